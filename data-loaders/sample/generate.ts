// A deterministic, seeded Metronome Data Export for a fictional AI-infrastructure company ("Cirrus Forge"): every
// table Meterbook reads, as Parquet in Metronome's object-storage layout, with the delivery quirks a reader must
// survive (newer row versions, daily snapshots, re-delivered files, SANDBOX rows) and hand-placed scenarios
// (SAMPLE_SCENARIOS) that reports are tested against. See docs/sample-data.md.
//
// Pipeline: model.ts builds the small entities in JS from the seed; pipeline.ts turns them into daily usage, commit
// attribution and aggregates in DuckDB SQL; write-*.ts / contracts.ts define each table's files; layout.ts numbers
// the transfers and picks re-deliveries; this module writes everything into a temporary folder and renames it into
// place, so a reader never sees a half-written export.
import {copyFile, mkdir, rename, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {writeFolderAtomically} from "../lib/atomic.js";
import {TABLE_NAMES} from "../sources/export/tables.js";
import {contractBatches, type SnapshotBatch} from "./contracts.js";
import {dayNumber, isoDay, monthStart} from "../lib/dates.js";
import {planFiles} from "./layout.js";
import {buildModel} from "./build.js";
import type {ResolvedOptions, SampleVariant} from "./model.js";
import {buildBulk, createMacros, loadParameters, segmentDraws} from "./pipeline.js";
import {catalogBatches} from "./write-catalog.js";
import {draftBatches} from "./write-drafts.js";
import {finalizedBatches} from "./write-invoices.js";
import {buildGuideLines} from "./guide-lines.js";
import {DEFAULT_HISTORY, type HistoryKnobs} from "./history.js";
import {choosePlants, plantBatches} from "./plants.js";
import {duckdbCores, openDuckDB, sqlString} from "../lib/duckdb.js";

export {EUR, USD_CENTS} from "./catalog.js";
export {SAMPLE_SCENARIOS} from "./scenarios.js";
export type {SampleScenario} from "./scenarios.js";
export type {SampleVariant} from "./model.js";
export {DEFAULT_HISTORY} from "./history.js";
export type {HistoryKnobs} from "./history.js";

/** Fixed as-of date (UTC): usage is complete for the days before it; the open month has drafts up to it. */
export const SAMPLE_AS_OF = "2026-10-15";
/** First day of generated history (15+ months before SAMPLE_AS_OF). */
export const SAMPLE_HISTORY_START = "2025-07-01";

/**
 * The guide variant's defaults: a small export (it is built by `npm test` too) of the table set Metronome's
 * commit-analytics guide enables. History starts on a month's first day (5½ months, 167 days, before as-of) so every
 * finalized period is whole; the scenarios kept are those whose commits start inside that history.
 */
export const GUIDE_DEFAULTS = {customers: 16, products: 6, startDate: "2026-05-01", scenarios: ["over", "week1_spike", "under", "backdated_usage", "price_change"]};
/** The tables the guide variant writes (no breakdowns_*, no catalog tables: product names come from line items). */
export const GUIDE_TABLES = ["customer", "contracts_contracts", "contracts_balances", "invoice", "line_item", "draft_invoice", "draft_line_item"];

export interface SampleOptions {
  /** Folder to write (replaced atomically). */
  out: string;
  /** Default 42. */
  seed?: number;
  /** Production customers, scenario customers included (default 160). Three SANDBOX customers come on top. */
  customers?: number;
  /** Usage products (default 10: the core catalog). */
  products?: number;
  /** YYYY-MM-DD, default SAMPLE_HISTORY_START. */
  startDate?: string;
  /** YYYY-MM-DD, default SAMPLE_AS_OF. */
  asOf?: string;
  /** Include the hand-placed scenario customers (default true). */
  scenarios?: boolean;
  /** Benchmark mode: every customer uses every product every day from startDate (default false). */
  dense?: boolean;
  /**
   * "full" (default): every table Meterbook reads. "guide": the guide's table set (GUIDE_TABLES), API line-type names
   * (`usage`, `applied_commit_or_credit`, `commit_purchase`, `scheduled`) with applied-commit offset lines, daily draft
   * history for every period, a few CONTRACT_SCHEDULED invoices, and smaller defaults (GUIDE_DEFAULTS).
   */
  variant?: SampleVariant;
  /**
   * The history model's knobs (docs/sample-data.md, "The history model"), each a multiplier of the sample's value
   * (default 1): weekday amplitude, trend spread, noise, seasonality, events (spikes, cycles, fades). For backtests on
   * exports the sample was not tuned on.
   */
  history?: Partial<HistoryKnobs>;
}

export interface SampleStats {
  files: number;
  /** Rows written per table, counting re-delivered duplicates. */
  rows: Record<string, number>;
}

export function resolveOptions(options: SampleOptions): ResolvedOptions {
  const variant = options.variant ?? "full";
  if (variant !== "full" && variant !== "guide") throw new Error(`variant must be "full" or "guide", got ${String(variant)}`);
  const guide = variant === "guide";
  const seed = options.seed ?? 42;
  const customers = options.customers ?? (guide ? GUIDE_DEFAULTS.customers : 160);
  const products = options.products ?? (guide ? GUIDE_DEFAULTS.products : 10);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(customers) || customers < 1) throw new Error(`customers must be a positive integer, got ${customers}`);
  if (!Number.isInteger(products) || products < 1 || products > 500) throw new Error(`products must be an integer in 1..500, got ${products}`);
  const startDay = dayNumber(options.startDate ?? (guide ? GUIDE_DEFAULTS.startDate : SAMPLE_HISTORY_START));
  const asOfDay = dayNumber(options.asOf ?? SAMPLE_AS_OF);
  if (startDay >= asOfDay) throw new Error(`startDate (${isoDay(startDay)}) must be before asOf (${isoDay(asOfDay)})`);
  const history: HistoryKnobs = {...DEFAULT_HISTORY};
  for (const [name, value] of Object.entries(options.history ?? {})) {
    if (!(name in DEFAULT_HISTORY)) throw new Error(`history knob must be one of ${Object.keys(DEFAULT_HISTORY).join(", ")}, got ${name}`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 10) throw new Error(`history knob ${name} must be a number in 0..10, got ${String(value)}`);
    history[name as keyof HistoryKnobs] = value;
  }
  return {seed, customers, products, startDay, asOfDay, openMonth: monthStart(asOfDay), scenarios: options.scenarios ?? true,
    scenarioNames: guide ? GUIDE_DEFAULTS.scenarios : null, dense: options.dense ?? false, variant, history};
}

export async function generateSampleExport(options: SampleOptions): Promise<SampleStats> {
  const resolved = resolveOptions(options);
  const model = buildModel(resolved);
  const out = resolve(options.out);
  // DuckDB works in a scratch database file rather than in memory: its tables are then compressed and can be evicted,
  // which keeps the dense benchmark configuration (~10M rows) near 1.3 GB RSS instead of ~1.9 GB, for a few seconds.
  const work = join(tmpdir(), `meterbook-sample-${process.pid}`);
  await rm(work, {recursive: true, force: true});
  await mkdir(work, {recursive: true});
  // A 3GB budget: DuckDB's buffers get 1.5 GB of it (duckdbMemory), what this generator was measured with.
  const {instance, connection} = await openDuckDB({file: join(work, "sample.duckdb"), memoryLimit: "3GB"});
  try {
    // Output does not depend on the thread count: every COPY has a total ORDER BY and all money sums are integers.
    await connection.run(`set threads = ${Math.min(2, duckdbCores())}; set temp_directory = ${sqlString(join(work, "spill"))}`);
    await createMacros(connection);
    await loadParameters(connection, model);
    await buildBulk(connection, model);
    if (resolved.variant === "guide") await buildGuideLines(connection, model);
    const draws = await segmentDraws(connection);
    // Planted facts of real data (plants.ts): findings the snapshot lists, on customers no scenario uses.
    const plants = choosePlants(model);
    const batches = await plantBatches(connection, [
      ...(await catalogBatches(connection, model)),
      ...(await finalizedBatches(connection, model)),
      ...(await draftBatches(connection, model)),
      ...(await contractBatches(connection, model, draws, plants))
    ], plants);
    const kept = resolved.variant === "guide" ? batches.filter((b) => GUIDE_TABLES.includes(b.table)) : batches;
    const files = planFiles(kept, resolved.seed, resolved.asOfDay);
    const order = new Map(TABLE_NAMES.map((t, i) => [t, i]));
    files.sort((a, b) => order.get(a.table)! - order.get(b.table)! || a.part - b.part);

    // Written into a temporary folder and swapped in: readers see the old export or the complete new one.
    return await writeFolderAtomically(out, async (staging) => {
      const rows: Record<string, number> = Object.fromEntries((resolved.variant === "guide" ? GUIDE_TABLES : TABLE_NAMES).map((t) => [t, 0]));
      const written = new Map<string, number>();
      const made = new Set<string>();
      for (const file of files) {
        const path = join(staging, file.path);
        const dir = dirname(path);
        if (!made.has(dir)) {
          await mkdir(dir, {recursive: true});
          made.add(dir);
        }
        let count: number;
        const partitioned = "batch" in file.source && "partitioned" in file.source.batch ? (file.source.batch as SnapshotBatch).partitioned : null;
        if (partitioned) {
          // Daily snapshot tables: every partition's file from one COPY (see SnapshotBatch), moved into place.
          const parts = join(staging, `.partitioned-${file.table}`);
          if (!made.has(parts)) {
            made.add(parts);
            // One thread keeps each file's rows in the query's order (byte-identical output).
            await connection.run("set threads = 1");
            await connection.run(`copy (${partitioned.all}) to ${sqlString(parts)} (format parquet, compression zstd, partition_by (_dt))`);
            await connection.run("set threads = 2");
          }
          await rename(join(parts, `_dt=${file.dt}`, "data_0.parquet"), path);
          count = partitioned.rows;
        } else if ("batch" in file.source) {
          const result = await connection.run(`copy (${file.source.batch.query(file.transferId)}) to ${sqlString(path)} (format parquet, compression zstd)`);
          count = Number(result.rowsChanged);
        } else {
          // At-least-once delivery: the same bytes again, a day later, under a new part number.
          await copyFile(join(staging, file.source.duplicateOf.path), path);
          count = written.get(file.source.duplicateOf.path)!;
        }
        written.set(file.path, count);
        rows[file.table] = (rows[file.table] ?? 0) + count;
      }
      for (const dir of made) if (dir.includes(".partitioned-")) await rm(dir, {recursive: true});
      return {files: files.length, rows};
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(work, {recursive: true, force: true});
  }
}
