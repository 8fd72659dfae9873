// The staging cache: each export file's typed rows, kept under the snapshot's output folder (`<out>/.cache/`) so the
// next snapshot of the same export reads only the files it has not read before (docs/scaling.md, "Incremental
// snapshots"). A file is known by its path, size and transfer timestamp (a file without one — the flat layout — by
// its modification time instead): the export's files are written once and never changed, so the three name one
// content.
//
// Rows are kept in segments: one zstd Parquet file per table per snapshot, holding the typed rows of the files that
// snapshot read from the export, in the order it read them, each row with `_src` (its file's position in the
// segment's list), `_row` and `_bad`. A later snapshot reuses a segment (hard-linked into the new output folder, no
// copy) for those of its files still in the export unchanged, reading only their rows: a file gone (or a time-travel
// read of an earlier date, which leaves the later files out) only hides that file's rows. What is kept does not depend on the environment or anything else in the config: whether a row is kept is
// decided as the segments are read (stage.ts), so the cache serves every environment.
import {existsSync, readFileSync} from "node:fs";
import {copyFile, link, mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {ExportFile} from "./discover.js";
import type {TableSpec} from "./tables.js";

/** Raised whenever what a segment holds changes meaning (the typing of a column, the provenance kept). */
export const CACHE_VERSION = 1;

export interface StageCache {
  /** The previous snapshot's cache folder, read if it exists and matches this version and table spec. */
  from: string | null;
  /** This snapshot's cache folder, written (inside the output folder being built, so it is swapped in with it). */
  to: string;
  /** What was reused and what was read, for the log and the manifest. */
  stats: CacheStats;
}

export interface CacheStats {
  files_reused: number;
  bytes_reused: number;
  files_read: number;
  bytes_read: number;
}

export function newCache(from: string | null, to: string): StageCache {
  return {from, to, stats: {files_reused: 0, bytes_reused: 0, files_read: 0, bytes_read: 0}};
}

/** One segment: its file (relative to the table's cache folder) and the keys of its export files, in row order. */
interface Segment {
  file: string;
  files: string[];
}

interface TableIndex {
  version: number;
  /** The staged columns and types the segments hold. */
  spec: string;
  segments: Segment[];
}

/**
 * A segment of this snapshot: its path, and its files in row order (`_src` indexes this list) — each this run's
 * export file, or null for a file of the segment this run does not read (its rows are left out) — and their keys.
 */
export interface PlannedSegment {
  path: string;
  files: (ExportFile | null)[];
  keys: string[];
}

export interface CachePlan {
  /** Segments reused from the previous snapshot, linked into this one's folder already. */
  reused: PlannedSegment[];
  /** Files to read from the export (in transfer order), into the new segment at `newSegment`. */
  misses: ExportFile[];
  newSegment: string;
  /** Writes the table's index once its segments are all in place. */
  commit: (segments: PlannedSegment[]) => Promise<void>;
}

/** A file's identity in the cache: path, size and transfer timestamp (else modification time). */
export function fileKey(f: ExportFile): string {
  return JSON.stringify([f.relativePath, f.bytes, f.transferTimestamp ?? `mtime:${f.mtimeMs ?? 0}`]);
}

function specText(spec: TableSpec): string {
  return JSON.stringify(spec.columns.map((c) => [c.name, c.type]));
}

/**
 * Which of a table's files the previous snapshot's cache holds (whole segments only), linking those segments into
 * this snapshot's cache folder, and where this snapshot's own segment for the rest goes.
 */
export async function planTable(cache: StageCache, spec: TableSpec, files: ExportFile[]): Promise<CachePlan> {
  const dir = join(cache.to, spec.name);
  await mkdir(dir, {recursive: true});
  const current = new Map(files.map((f) => [fileKey(f), f]));
  const covered = new Set<string>();
  const reused: PlannedSegment[] = [];
  const previous = cache.from ? readIndex(join(cache.from, spec.name, "index.json")) : null;
  if (previous && previous.version === CACHE_VERSION && previous.spec === specText(spec)) {
    for (const segment of previous.segments) {
      const used = segment.files.filter((k) => current.has(k) && !covered.has(k));
      if (!used.length) continue;
      const source = join(cache.from!, spec.name, segment.file);
      if (!existsSync(source)) continue;
      const path = join(dir, `${reused.length}.parquet`);
      // Same file system (both under the output's parent folder): a hard link costs nothing; a copy where not allowed.
      await link(source, path).catch(() => copyFile(source, path));
      for (const k of used) covered.add(k);
      reused.push({path, files: segment.files.map((k) => (used.includes(k) ? current.get(k)! : null)), keys: segment.files});
    }
  }
  const misses = files.filter((f) => !covered.has(fileKey(f)));
  for (const f of reused.flatMap((segment) => segment.files)) {
    if (!f) continue;
    cache.stats.files_reused++;
    cache.stats.bytes_reused += f.bytes;
  }
  for (const f of misses) {
    cache.stats.files_read++;
    cache.stats.bytes_read += f.bytes;
  }
  return {
    reused,
    misses,
    newSegment: join(dir, `${reused.length}.parquet`),
    commit: async (segments) => {
      const index: TableIndex = {
        version: CACHE_VERSION,
        spec: specText(spec),
        segments: segments.map((s) => ({file: s.path.slice(dir.length + 1), files: s.keys}))
      };
      await writeFile(join(dir, "index.json"), JSON.stringify(index) + "\n");
    }
  };
}

function readIndex(path: string): TableIndex | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as TableIndex;
  } catch {
    return null; // an unreadable index is no cache: every file is read again
  }
}
