// Finds an export's files: the object-storage layout Metronome delivers
// (`<root>/<table>/dt=<YYYY-MM-DD>/<part>_<YYYYMMDDhhmmss>.parquet`) or a flat warehouse dump
// (`<root>/<table>.parquet` / `.csv`). Each file carries its transfer order, which breaks ties between row versions.
import {existsSync, readdirSync, statSync} from "node:fs";
import {join, relative, sep} from "node:path";
import {InputError} from "../../errors.js";
import {LINE_TABLE_SETS, REQUIRED_TABLES, TABLE_NAMES, TABLES} from "./tables.js";

export interface ExportFile {
  table: string;
  /** Absolute path. */
  path: string;
  /** Path relative to the export root, as shown in errors and the manifest. */
  relativePath: string;
  format: "parquet" | "csv";
  /** Transfer date from the `dt=` folder, or null in a flat layout. */
  dt: string | null;
  /** Transfer start from the file name (YYYYMMDDhhmmss), or null. */
  transferTimestamp: string | null;
  part: number | null;
  bytes: number;
  /** Modification time: names a file without a transfer timestamp in the staging cache (cache.ts). */
  mtimeMs?: number;
}

const FILE_NAME = /^(\d+)_(\d{14})\.(parquet|csv)$/;
const DT = /^dt=(\d{4}-\d{2}-\d{2})$/;

function walk(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.name.startsWith(".")) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : entry.isFile() ? [path] : [];
  });
}

function describe(root: string, table: string, path: string): ExportFile | null {
  const format = path.endsWith(".parquet") ? "parquet" : path.endsWith(".csv") ? "csv" : null;
  if (!format) return null;
  const relativePath = relative(root, path).split(sep).join("/");
  const segments = relativePath.split("/");
  const dt = segments.map((s) => DT.exec(s)?.[1]).find(Boolean) ?? null;
  const name = FILE_NAME.exec(segments[segments.length - 1]!);
  const stats = statSync(path);
  return {
    table,
    path,
    relativePath,
    format,
    dt,
    transferTimestamp: name ? name[2]! : null,
    part: name ? Number(name[1]) : null,
    bytes: stats.size,
    mtimeMs: stats.mtimeMs
  };
}

/** An export's files as they stood on an as-of date (discoverExportAsOf). */
export interface ExportAsOf {
  /** Every known table's files kept, in transfer order. */
  files: Map<string, ExportFile[]>;
  /** Files of partitions dated after the as-of date: not yet delivered on it, left out. */
  afterAsOf: ExportFile[];
  /** Files without a `dt=` partition (a flat layout): their date is unknown, so they are read whole. */
  undated: ExportFile[];
}

/** Every known table's files, in transfer order (dt, timestamp, part, path). Unknown tables are ignored. */
export function discoverExport(root: string): Map<string, ExportFile[]> {
  return discoverExportAsOf(root, null).files;
}

/**
 * The export as it stood once its transfers dated `asOf` had landed: the files of partitions `dt ≤ asOf` (null: every
 * file). The default as-of is the latest transfer date, which reads every file, so "≤" keeps a snapshot without
 * --as-of unchanged; the as-of day's own transfers are those that complete the days before it. Files without a date
 * (flat layout) cannot be placed in time and are kept. The table checks below run on the files kept, so an export
 * read as of D fails or succeeds exactly as the same export with its later partitions deleted would.
 */
export function discoverExportAsOf(root: string, asOf: string | null): ExportAsOf {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(`export folder not found: ${root}`);
  const entries = readdirSync(root).filter((e) => !e.startsWith("."));
  const all = new Map<string, ExportFile[]>();
  for (const {name} of TABLES) {
    const found: ExportFile[] = [];
    const dir = join(root, name);
    if (existsSync(dir) && statSync(dir).isDirectory()) {
      for (const path of walk(dir)) {
        const file = describe(root, name, path);
        if (file) found.push(file);
      }
    }
    for (const format of ["parquet", "csv"]) {
      const flat = join(root, `${name}.${format}`);
      if (existsSync(flat) && statSync(flat).isFile()) found.push(describe(root, name, flat)!);
    }
    if (found.length) all.set(name, found.sort(compareTransfer));
  }
  const afterAsOf: ExportFile[] = [];
  const undated: ExportFile[] = [];
  const files = new Map<string, ExportFile[]>();
  for (const [name, list] of all) {
    const kept: ExportFile[] = [];
    for (const f of list) {
      if (f.dt === null) undated.push(f);
      if (f.dt !== null && asOf !== null && f.dt > asOf) afterAsOf.push(f);
      else kept.push(f);
    }
    if (kept.length) files.set(name, kept);
  }
  if (files.size === 0 && all.size > 0) {
    const first = [...all.values()].flat().reduce((min, f) => (f.dt && f.dt < min ? f.dt : min), "9999-99-99");
    throw new InputError(`nothing delivered by the as-of date: ${root}'s first transfer is dt=${first}, after --as-of ${asOf}`);
  }
  if (files.size === 0) {
    if (entries.length === 0 || walk(root).length === 0) throw new InputError(`empty export: ${root} contains no files`);
    throw new InputError(
      `not a Metronome Data Export: ${root} has none of the export tables (${TABLES.map((t) => t.name).join(", ")}) as <table>/…/*.parquet, <table>.parquet or <table>.csv`
    );
  }
  const missing = REQUIRED_TABLES.filter((t) => !files.has(t));
  if (!LINE_TABLE_SETS.some((set) => set.every((t) => files.has(t)))) {
    // The set closest to complete names what is missing; either set would do.
    const closest = [...LINE_TABLE_SETS].sort((a, b) => a.filter((t) => !files.has(t)).length - b.filter((t) => !files.has(t)).length)[0]!;
    missing.push(...closest.filter((t) => !files.has(t)));
  }
  if (missing.length) {
    const later = missing.filter((t) => all.has(t));
    throw new InputError(
      `export ${root} is missing required table${missing.length > 1 ? "s" : ""}: ${missing.join(", ")} (it needs ${REQUIRED_TABLES.join(", ")} and either ${LINE_TABLE_SETS.map((s) => s.join(" + ")).join(" or ")})` +
        (later.length ? `; as of ${asOf}, ${later.join(", ")} ${later.length > 1 ? "have" : "has"} files only in later partitions` : "")
    );
  }
  return {files, afterAsOf, undated};
}

/** The export's tables Meterbook knows, found and not found, and the other top-level folders or files it ignores. */
export interface TableSet {
  present: string[];
  absent: string[];
  ignored: string[];
}

export function tableSet(root: string, files: Map<string, ExportFile[]>): TableSet {
  const known = new Set(TABLE_NAMES);
  // Folders, and Parquet or CSV files: what could be a table (a README beside the tables is no table).
  const ignored = readdirSync(root)
    .filter((e) => !e.startsWith("."))
    .flatMap((e) => (statSync(join(root, e)).isDirectory() ? [e] : /\.(parquet|csv)$/.test(e) ? [e.replace(/\.(parquet|csv)$/, "")] : []))
    .filter((name) => !known.has(name));
  return {
    present: TABLE_NAMES.filter((t) => files.has(t)),
    absent: TABLE_NAMES.filter((t) => !files.has(t)),
    ignored: [...new Set(ignored)].sort()
  };
}

export function compareTransfer(a: ExportFile, b: ExportFile): number {
  return (
    (a.dt ?? "").localeCompare(b.dt ?? "") ||
    (a.transferTimestamp ?? "").localeCompare(b.transferTimestamp ?? "") ||
    (a.part ?? -1) - (b.part ?? -1) ||
    a.relativePath.localeCompare(b.relativePath)
  );
}

/** The earliest transfer date (dt=), or null when there is none or a file has no dt= partition (read for every date). */
export function firstTransferDate(files: Map<string, ExportFile[]>): string | null {
  let first: string | null = null;
  for (const list of files.values()) for (const f of list) {
    if (!f.dt) return null;
    if (!first || f.dt < first) first = f.dt;
  }
  return first;
}

/** The latest transfer date in the export (its data is complete for the days before it), or null if flat. */
export function latestTransferDate(files: Map<string, ExportFile[]>): string | null {
  let latest: string | null = null;
  for (const list of files.values()) for (const f of list) if (f.dt && (!latest || f.dt > latest)) latest = f.dt;
  return latest;
}
