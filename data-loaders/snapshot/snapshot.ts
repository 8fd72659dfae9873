// `meterbook snapshot`: export folder → staging tables and marts as zstd Parquet, plus manifest.json, written into
// a sibling temporary folder and swapped into place only when everything succeeded, so a failed run leaves the
// previous snapshot untouched. Facts of the data become findings (models/findings/): logged a line each, written in the
// manifest and the `findings` mart; with `strict`, an error-level finding fails the run before anything is swapped in.
// planExport + analyzeExport stage and model an export without writing a file (what `meterbook doctor` reads).
import {createHash} from "node:crypto";
import {createReadStream, existsSync} from "node:fs";
import {mkdir, readdir, rm, stat, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {basename, dirname, join, relative, resolve} from "node:path";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import type {Config} from "../config.js";
import {InputError, type Finding} from "../errors.js";
import {discoverExportAsOf, latestTransferDate, tableSet, type ExportFile, type TableSet} from "../sources/export/discover.js";
import {PROVENANCE, STAGING_TABLES, stageExport, type TableCounts} from "../sources/export/stage.js";
import {TABLES} from "../sources/export/tables.js";
import {newCache, type CacheStats, type StageCache} from "../sources/export/cache.js";
import {stageCost, type CostFileSummary} from "../sources/cost/read.js";
import {buildModels, MARTS, type ModelResult} from "../models/build.js";
import {carryHistoryCache} from "../alerts/history-cache.js";
import {duplicateDeliveries, findingLine} from "../models/findings/findings.js";
import type {FindingCheck} from "../models/findings/schema.js";
import {writeFolderAtomically} from "../lib/atomic.js";
import {duckdbMemory, MEMORY_SIZE, memoryLimit as processMemoryLimit, openDuckDB, rows, spilled, sqlIdentifier, sqlString, withWholeBudget} from "../lib/duckdb.js";
import {writeParquet} from "../lib/parquet.js";

export interface SnapshotOptions {
  exportDir: string;
  out: string;
  /**
   * YYYY-MM-DD; data is complete for the days before it. Default: the export's latest transfer date, else today. Given,
   * only the files of partitions dated on or before it are read: the export as it stood then (docs/time-travel.md).
   */
  asOf?: string;
  config: Config;
  now?: () => Date;
  log?: (message: string) => void;
  /** Fail (and keep the previous snapshot) when any finding is error-level. */
  strict?: boolean;
  /** The findings catalog, when not the declared one (tests). */
  findingChecks?: FindingCheck[];
  /**
   * Keep each export file's typed rows under `<out>/.cache/` and reuse the previous snapshot's (default true): a
   * snapshot of the same export plus new files reads only the new files (docs/scaling.md, "Incremental snapshots").
   */
  cache?: boolean;
  /**
   * Also write the breakdown line tables' staging files (`staging/breakdowns_line_items.parquet`,
   * `staging/breakdowns_draft_line_items.parquet`; default false). Nothing downstream reads them — the models read the
   * staged tables in the snapshot's own DuckDB — and at 1,000 customers they are 7 M rows sorted by key, a fifth
   * to a quarter of the snapshot's time and most of its size (docs/scaling.md). `meterbook snapshot --staging-line-items`.
   */
  stagingLineItems?: boolean;
}

/** The staging tables written only with `stagingLineItems`: the breakdown line tables (millions of rows). */
export const LINE_ITEM_STAGING = TABLES.filter((t) => t.staged !== undefined).map((t) => t.name);

export interface Manifest {
  meterbook_snapshot_version: 1;
  as_of: string;
  /** Where as_of came from: given (--as-of, asOf, METERBOOK_AS_OF), the export's latest transfer date, or today. */
  as_of_source: "given" | "latest_transfer" | "today";
  /** Files of partitions dated after as_of, left out: the export as it stood on as_of (docs/time-travel.md). */
  files_after_as_of: number;
  /** Set when as_of was given but the export has files without a dt= partition, which are read whole. */
  as_of_note: string | null;
  built_at: string;
  environment: string;
  source: {kind: "export"; root: string; layout: "object-storage" | "flat"};
  source_files: {table: string; path: string; bytes: number; dt: string | null}[];
  /** The known tables found and absent (staged empty), and the folders or files that are no export table (ignored). */
  table_set: TableSet;
  /** Cost files read for unit economics (docs/unit-economics.md); empty when no cost input is configured. */
  cost_files: CostFileSummary[];
  tables: Record<string, TableCounts>;
  outputs: Record<string, {rows: number; bytes: number; sha256: string}>;
  /** Every finding, by severity; the same as marts/findings.parquet. */
  findings: Finding[];
  checks: ModelResult["checks"];
  /** Per mart made from the daily lines: which path made its daily figures (breakdowns, draft_history, even_spread). */
  daily_sources: ModelResult["daily_sources"];
  /** The staging cache: files whose typed rows the previous snapshot had kept, and files read; null without it. */
  staging_cache: CacheStats | null;
  content_hash: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The staging cache's folder inside a snapshot (sources/export/cache.ts). */
export const CACHE_FOLDER = ".cache";


/** An export before anything is read: its files, the tables found, absent and ignored, and the as-of date. */
export interface ExportPlan {
  root: string;
  files: Map<string, ExportFile[]>;
  tables: TableSet;
  asOf: string;
  /** Where asOf came from (docs/time-travel.md). */
  asOfSource: Manifest["as_of_source"];
  /** Files of partitions after a given as-of, left out. */
  afterAsOf: ExportFile[];
  /** A given as-of on files without a dt= partition: they are read whole (docs/time-travel.md). */
  asOfNote: string | null;
}

/** Finds an export's files and settles the as-of date; an InputError when the folder is no export. */
export function planExport(exportDir: string, asOf: string | undefined, now: () => Date = () => new Date()): ExportPlan {
  const root = resolve(exportDir);
  if (asOf !== undefined && (!DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))) throw new Error(`invalid --as-of date: ${asOf} (expected YYYY-MM-DD)`);
  // Time travel: a given as-of reads only the partitions dated on or before it (the filter is on the file list).
  const {files, afterAsOf, undated} = discoverExportAsOf(root, asOf ?? null);
  const tables = tableSet(root, files);
  const latest = latestTransferDate(files);
  const asOfDate = asOf ?? latest ?? now().toISOString().slice(0, 10);
  const asOfSource: Manifest["as_of_source"] = asOf !== undefined ? "given" : latest ? "latest_transfer" : "today";
  const asOfNote = asOf !== undefined && undated.length
    ? `time travel needs the partitioned layout: ${undated.length} file${undated.length > 1 ? "s" : ""} without a dt= partition (no transfer date) read whole, as they are now, whatever the as-of`
    : null;
  return {root, files, tables, asOf: asOfDate, asOfSource, afterAsOf, asOfNote};
}

/** What an export holds once staged and modelled: staging's counts, the cost files read, the models' results. */
export interface Analysis extends ExportPlan {
  counts: Record<string, TableCounts>;
  costFiles: CostFileSummary[];
  models: ModelResult;
}

export interface AnalyzeOptions {
  config: Config;
  /** A folder for the tables held as Parquet instead of in memory (the snapshot's); none: all in memory. */
  scratch?: string | null;
  log?: (message: string) => void;
  findingChecks?: FindingCheck[];
  /** Only these models, what they read and the findings (models/build.ts); no cost files are read. Default: all. */
  only?: string[];
  /** The staging cache (sources/export/cache.ts); none: every file is read. */
  cache?: StageCache | null;
  /** The snapshot's marts folder: the SQL marts are written there as they are built (models/run.ts, writeMart). */
  marts?: string | null;
}

/**
 * Stages the export and builds every model, its findings and checks into `connection`: the tables `snapshot` then
 * writes, and what `meterbook doctor` prints. It writes no file but, given `marts`, the marts built as their files.
 * Progress goes to `log` as the snapshot's log lines.
 */
export async function analyzeExport(connection: DuckDBConnection, plan: ExportPlan, {config, log = () => {}, findingChecks, scratch = null, only, cache = null, marts = null}: AnalyzeOptions): Promise<Analysis> {
  const {root, files, tables, asOf} = plan;
  log(`snapshot: staging ${[...files.values()].reduce((n, f) => n + f.length, 0)} files from ${root}`);
  if (plan.asOfSource === "given") log(`snapshot: as of ${asOf}: ${plan.afterAsOf.length} file${plan.afterAsOf.length === 1 ? "" : "s"} of partitions after it left out`);
  if (plan.asOfNote) log(`snapshot: ${plan.asOfNote}`);
  if (tables.absent.length) log(`snapshot: tables absent, staged empty: ${tables.absent.join(", ")}`);
  if (tables.ignored.length) log(`snapshot: ignored, not an export table Meterbook reads: ${tables.ignored.join(", ")}`);
  const staging = performance.now();
  const {counts, findings: staged} = await stageExport(connection, files, {environment: config.environment, log, scratch, cache});
  if (cache) {
    const {files_reused, bytes_reused, files_read, bytes_read} = cache.stats;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    log(`snapshot: cache: ${files_reused} file${files_reused === 1 ? "" : "s"} (${mib(bytes_reused)}) reused from the previous snapshot, ${files_read} (${mib(bytes_read)}) read from the export`);
  }
  const costFiles = only ? [] : await stageCost(connection, config.cost, {log});
  log(`snapshot: staging in ${Math.round(performance.now() - staging)} ms`);
  log(`snapshot: models as of ${asOf}`);
  const phase = performance.now();
  const models = await buildModels(connection, {asOf, config, log, staged: [...staged, ...duplicateDeliveries(counts)], findingChecks, scratch, only, marts});
  log(`snapshot: models and checks in ${Math.round(performance.now() - phase)} ms`);
  return {...plan, counts, costFiles, models};
}

export async function snapshot({exportDir, out, asOf, config, now = () => new Date(), log = () => {}, strict = false, findingChecks, cache: useCache = true, stagingLineItems = false}: SnapshotOptions): Promise<Manifest> {
  const target = resolve(out);
  const plan = planExport(exportDir, asOf, now);
  const {root, files, tables} = plan;

  const scratch = join(tmpdir(), `meterbook-snapshot-${process.pid}-${Date.now()}.duckdb`);
  // DuckDB spills past the budget into a hidden folder beside the output (the disk the snapshot is written to, not
  // the system's temporary folder, which is often a small tmpfs); removed afterwards.
  const memoryLimit = config.memoryLimit ?? processMemoryLimit();
  if (!MEMORY_SIZE.test(memoryLimit.trim())) throw new InputError(`invalid memory limit: ${JSON.stringify(memoryLimit)} (expected a size such as 256MB or 1.5GB)`);
  const tempDirectory = join(dirname(target), `.${basename(target)}.spill-${process.pid}`);
  // The line-level tables held as Parquet (models/run.ts materializeParquet), beside it; removed with it.
  const scratchTables = join(dirname(target), `.${basename(target)}.tables-${process.pid}`);
  await mkdir(dirname(target), {recursive: true});
  // In memory by default: a scratch file keeps peak memory lower but staged the benchmark export several times
  // slower (DuckDB compresses each table as it writes it). METERBOOK_SNAPSHOT_ON_DISK=1 chooses the file.
  const {instance, connection} = await openDuckDB({file: process.env.METERBOOK_SNAPSHOT_ON_DISK === "1" ? scratch : ":memory:", memoryLimit, tempDirectory});
  const spill = await watchSpill(instance);
  log(`snapshot: memory budget ${memoryLimit}, DuckDB's buffers ${(duckdbMemory(memoryLimit) / 1e6).toFixed(0)}MB of it; spills to ${tempDirectory}`);
  try {
    const manifest = await writeFolderAtomically(target, async (staging) => {
      await mkdir(join(staging, "staging"), {recursive: true});
      await mkdir(join(staging, "marts"), {recursive: true});
      // The previous snapshot's cache is read where it stands (target is replaced only at the end); this one's is built
      // inside the new folder, so a failed run leaves the old one as it was.
      const cache = useCache ? newCache(existsSync(join(target, CACHE_FOLDER)) ? join(target, CACHE_FOLDER) : null, join(staging, CACHE_FOLDER)) : null;
      const {counts, costFiles, models} = await analyzeExport(connection, plan, {config, log, findingChecks, scratch: scratchTables, cache, marts: join(staging, "marts")});
      // The alert history's evaluated dates (alerts/history-cache.ts) of this snapshot's window, for the next build.
      if (useCache) await carryHistoryCache(target, staging, plan.asOf, config.alerts.history.weeks);
      for (const finding of models.findings) log(`snapshot: ${findingLine(finding)}`);
      const errors = models.findings.filter((f) => f.severity === "error");
      if (strict && errors.length) {
        throw new InputError(
          `--strict: ${errors.length} error-level finding${errors.length > 1 ? "s" : ""} (${[...new Set(errors.map((f) => f.check))].join(", ")}); nothing written, ${target} left as it was`
        );
      }
      const outputs: Manifest["outputs"] = {};
      const writing = performance.now();
      for (const table of STAGING_TABLES.filter((t) => stagingLineItems || !LINE_ITEM_STAGING.includes(t))) {
        const path = join(staging, "staging", `${table}.parquet`);
        // Written in key order: staging keeps rows in transfer order, which a redelivery changes; the file must not.
        const spec = TABLES.find((t) => t.name === table);
        const order = spec ? ` order by ${spec.key.map(sqlIdentifier).join(", ")}` : "";
        const columns = await publicColumns(connection, `stg_${table}`);
        await withWholeBudget(connection, `staging file ${table}`, log, () => writeParquet(connection, `select ${columns} from stg_${table}${order}`, path));
        outputs[`staging/${table}.parquet`] = await describeOutput(connection, path);
      }
      await withWholeBudget(connection, "staging file cost", log, () => writeParquet(connection, `select * from stg_cost order by source_file, source_row`, join(staging, "staging", "cost.parquet")));
      outputs["staging/cost.parquet"] = await describeOutput(connection, join(staging, "staging", "cost.parquet"));
      log(`snapshot: staging files written in ${Math.round(performance.now() - writing)} ms`);
      if (!stagingLineItems) log(`snapshot: staging files of ${LINE_ITEM_STAGING.join(" and ")} not written (nothing reads them; --staging-line-items writes them)`);
      const phase = performance.now();
      for (const mart of MARTS) {
        const path = join(staging, "marts", `${mart.name}.parquet`);
        // Most marts were written as they were built (writeMart); the rest (made in TypeScript, or dropping columns
        // after their guards; the findings and the cost marts) are tables, written now.
        if (!existsSync(path)) await withWholeBudget(connection, `mart ${mart.name}`, log, () => writeParquet(connection, `select * from ${mart.table} order by ${mart.order}`, path));
        outputs[`marts/${mart.name}.parquet`] = await describeOutput(connection, path);
      }
      log(`snapshot: marts written in ${Math.round(performance.now() - phase)} ms`);
      const contentHash = createHash("sha256");
      for (const name of Object.keys(outputs).sort()) contentHash.update(`${name}\0${outputs[name]!.sha256}\n`);
      const manifest: Manifest = {
        meterbook_snapshot_version: 1,
        as_of: plan.asOf,
        as_of_source: plan.asOfSource,
        files_after_as_of: plan.afterAsOf.length,
        as_of_note: plan.asOfNote,
        built_at: now().toISOString(),
        environment: config.environment,
        source: {kind: "export", root, layout: [...files.values()].some((l) => l.some((f) => f.dt)) ? "object-storage" : "flat"},
        source_files: [...files.values()].flat().map((f: ExportFile) => ({table: f.table, path: f.relativePath, bytes: f.bytes, dt: f.dt})),
        table_set: tables,
        cost_files: costFiles,
        tables: counts,
        outputs,
        findings: models.findings,
        checks: models.checks,
        daily_sources: models.daily_sources,
        staging_cache: cache?.stats ?? null,
        content_hash: contentHash.digest("hex")
      };
      await writeFile(join(staging, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
      return manifest;
    });
    log(`snapshot: wrote ${Object.keys(manifest.outputs).length} tables to ${target}`);
    return manifest;
  } finally {
    const peak = await spill.stop();
    log(peak > 0 ? `snapshot: spilled up to ${(peak / 2 ** 20).toFixed(0)} MiB to ${tempDirectory} (memory budget ${memoryLimit}), removed` : `snapshot: nothing spilled (memory budget ${memoryLimit})`);
    connection.closeSync();
    instance.closeSync();
    await Promise.all([scratch, `${scratch}.wal`, tempDirectory, scratchTables].map((f) => rm(f, {recursive: true, force: true})));
  }
}

/**
 * The most DuckDB had spilled at once, sampled every quarter second on a connection of its own (the temporary files
 * are gone by the end of each query, so only sampling sees them).
 */
async function watchSpill(instance: DuckDBInstance): Promise<{stop: () => Promise<number>}> {
  const watcher = await instance.connect();
  let peak = 0;
  let pending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pending = pending.then(async () => {
      peak = Math.max(peak, (await spilled(watcher)).bytes);
    }).catch(() => {});
  }, 250);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      watcher.closeSync();
      return peak;
    }
  };
}

/** A staging table's columns without the provenance kept for error messages. */
async function publicColumns(connection: DuckDBConnection, table: string): Promise<string> {
  const described = await rows<{column_name: string}>(connection, `describe ${table}`);
  return described.filter((d) => !(PROVENANCE as readonly string[]).includes(d.column_name)).map((d) => sqlIdentifier(d.column_name)).join(", ");
}

async function describeOutput(connection: DuckDBConnection, path: string): Promise<{rows: number; bytes: number; sha256: string}> {
  const [{n}] = (await rows<{n: number}>(connection, `select count(*)::integer as n from read_parquet(${sqlString(path)})`)) as [{n: number}];
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return {rows: n, bytes: (await stat(path)).size, sha256: hash.digest("hex")};
}

/** Every file under a snapshot folder, relative, sorted (for tests and copies); not the staging cache (`.cache/`). */
export async function listSnapshotFiles(dir: string): Promise<string[]> {
  const walk = async (d: string): Promise<string[]> =>
    (await Promise.all((await readdir(d, {withFileTypes: true})).filter((e) => !(e.isDirectory() && e.name === CACHE_FOLDER)).map((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])))).flat();
  return (await walk(dir)).map((f) => relative(dir, f)).sort();
}
