// The one model runner: orders models by the tables they read, builds each (its SQL file wrapped in `create or
// replace table <name> as`, or its TypeScript `build`), runs its guards, and afterwards runs every declared check.
// Inputs reach the SQL only through parameter tables (meterbook_params …), never by splicing values into SQL text.
import {readFileSync} from "node:fs";
import {mkdir} from "node:fs/promises";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {DuckDBConnection} from "@duckdb/node-api";
import {InputError} from "../errors.js";
import {inWholeBudget, rows, sqlString, withWholeBudget} from "../lib/duckdb.js";
import {writeParquet} from "../lib/parquet.js";
import {keyChecks, shortName, type Check, type Model} from "./declare.js";

const MODELS_DIR = dirname(fileURLToPath(import.meta.url));

export function modelSql(model: Model): string {
  return readFileSync(join(MODELS_DIR, model.layer, `${model.name}.sql`), "utf8");
}

/** The models each model reads: named in its SQL (like dbt's ref), or declared (`depends_on`). */
export function dependencies(model: Model, names: Set<string>): string[] {
  // Comments are prose: a model named in one is not read.
  const read = model.build ? [] : (modelSql(model).replace(/--[^\n]*/g, "").match(/\b(?:stg|int|mart)_[a-z0-9_]+\b/g) ?? []);
  return [...new Set([...read, ...(model.depends_on ?? [])])].filter((n) => n !== model.name && names.has(n));
}

/** Dependencies first; otherwise the declared order. Models not in the list are taken as built already. */
export function ordered(models: Model[]): Model[] {
  const names = new Set(models.map((m) => m.name));
  const waiting = new Map(models.map((m) => [m.name, new Set(dependencies(m, names))]));
  const order: Model[] = [];
  while (order.length < models.length) {
    const next = models.find((m) => waiting.get(m.name)?.size === 0);
    if (!next) throw new Error(`models depend on each other in a cycle: ${[...waiting.keys()].join(", ")}`);
    waiting.delete(next.name);
    for (const deps of waiting.values()) deps.delete(next.name);
    order.push(next);
  }
  return order;
}

export interface RunOptions {
  log?: (message: string) => void;
  /** A folder for the models materialized as Parquet (the snapshot's scratch folder); without it they are tables. */
  scratch?: string | null;
  /**
   * The snapshot's marts folder: each SQL mart is written there as its output file, `<name>.parquet` in key order, as
   * it is built, and read through a view (writeMart); without it marts are tables, written afterwards.
   */
  marts?: string | null;
}

/** Builds the models in dependency order, each followed by its guards. */
export async function runModels(connection: DuckDBConnection, models: Model[], {log = () => {}, scratch = null, marts = null}: RunOptions = {}): Promise<void> {
  await connection.run(readFileSync(join(MODELS_DIR, "macros.sql"), "utf8"));
  for (const model of ordered(models)) {
    const start = performance.now();
    // Each way a model is built replaces what a failed attempt left (`create or replace`, a file written again).
    await (model.wholeBudget ? inWholeBudget : withWholeBudget)(connection, `model ${model.name}`, log, async () => {
      if (model.build) await model.build(connection);
      else if (model.materialized === "view") await connection.run(`create or replace view ${model.name} as\n${modelSql(model)}`);
      else if (model.materialized === "parquet" && scratch) await materializeParquet(connection, model.name, modelSql(model), scratch);
      else if (marts && writesOwnFile(model)) await writeMart(connection, model, marts);
      else await connection.run(`create or replace table ${model.name} as\n${modelSql(model)}`);
      for (const guard of model.guards ?? []) await guard(connection, model.name);
    });
    for (const column of model.private ?? []) await connection.run(`alter table ${model.name} drop column ${column}`);
    log(`snapshot: model ${model.name} in ${Math.round(performance.now() - start)} ms`);
  }
}

/** A mart written as its own output file (writeMart): an SQL mart with a key and nothing to drop after its guards. */
export const writesOwnFile = (model: Model): boolean =>
  model.layer === "marts" && !model.build && !model.materialized && !!model.key?.length && !model.private?.length;

/**
 * `model` written straight to its output file, in key order (zstd, as every output), and read through a view: the
 * snapshot's rows are sorted and compressed once, instead of held as a table (7 M rows, spilled past the budget at
 * 1,000 customers) and then read back, sorted and written. The same rows in the same order as writing the table.
 */
export async function writeMart(connection: DuckDBConnection, model: Model, marts: string): Promise<void> {
  // The file MARTS names it by (marts/schema.ts): `mart_revenue_daily` → `revenue_daily.parquet`.
  const path = join(marts, `${shortName(model.name)}.parquet`);
  await mkdir(marts, {recursive: true});
  const sql = modelSql(model).replace(/;\s*$/, "");
  await writeParquet(connection, `select * from (\n${sql}\n) order by ${model.key!.join(", ")}`, path);
  await connection.run(`create or replace view ${model.name} as select * from read_parquet(${sqlString(path)})`);
}

// The Parquet writer holds a whole row group in memory it cannot spill: 122,880 rows by default, tens of MB for the
// line-level models' dozen id columns, which a 128MB budget could not hold beside the query feeding it (it failed in
// int_daily_lines). Capped in bytes, a row group fits any budget; the files are scratch, read back whole.
const ROW_GROUP_BYTES = "8MB";

/**
 * How the snapshot's scratch Parquet (the line-level tables, read back once or twice and deleted) is compressed:
 * Snappy, not zstd. Four 1,000-customer snapshots, two each, alternated: 156 and 160 s wall (272 and 277 s CPU) with
 * Snappy against 173 and 167 s (302 and 289 s) with zstd; the scratch files are larger on disk. Outputs stay zstd.
 */
export const SCRATCH_COMPRESSION = "snappy";

/**
 * `name` as a view over a Parquet file in `scratch` holding the query's rows in its order: millions of rows held
 * compressed on disk and read column by column, instead of uncompressed in memory (and spilled past the budget).
 */
export async function materializeParquet(connection: DuckDBConnection, name: string, query: string, scratch: string, {replaceTable = false} = {}): Promise<void> {
  const path = join(scratch, `${name}.parquet`);
  await mkdir(scratch, {recursive: true});
  // Written in any order: keeping insertion order makes DuckDB buffer out-of-order batches in memory it cannot
  // spill (a 256MB budget failed here); the rows' order is no model's input, and every written file has an order by.
  await connection.run(`set preserve_insertion_order = false`);
  try {
    await connection.run(`copy (${query}) to ${sqlString(path)} (format parquet, compression ${SCRATCH_COMPRESSION}, row_group_size_bytes '${ROW_GROUP_BYTES}')`);
  } finally {
    await connection.run(`set preserve_insertion_order = true`);
  }
  // `replaceTable`: `query` read the table `name`, which the view now stands for.
  if (replaceTable) await connection.run(`drop table ${name}`);
  await connection.run(`create or replace view ${name} as select * from read_parquet(${sqlString(path)})`);
}

export function checksOf(models: Model[]): Check[] {
  return models.flatMap((m) => [...keyChecks(m), ...(m.checks ?? [])]);
}

// Checks counted per query: one statement per check cost ~7 ms each on a tiny export (123 checks: most of a second of
// every small snapshot); a passing check reads all it reads either way.
const CHECKS_PER_QUERY = 40;

/** Runs every declared check of the models; the first that fails stops the snapshot with a few violating rows. */
export async function runChecks(connection: DuckDBConnection, models: Model[], log: (message: string) => void = () => {}): Promise<{name: string; passed: boolean}[]> {
  const checks = checksOf(models);
  for (let from = 0; from < checks.length; from += CHECKS_PER_QUERY) {
    const batch = checks.slice(from, from + CHECKS_PER_QUERY);
    const counted = await withWholeBudget(connection, `model checks ${from + 1}–${from + batch.length}`, log, () =>
      rows<{i: number; n: number}>(connection, batch.map((c, i) => `select ${i}::integer as i, count(*)::integer as n from (${c.sql})`).join("\nunion all\n"))
    );
    const failing = counted.filter((r) => r.n > 0).map((r) => r.i).sort((a, b) => a - b);
    if (failing.length) {
      const check = batch[failing[0]!]!;
      const n = counted.find((r) => r.i === failing[0])!.n;
      const violations = await rows(connection, `select * from (${check.sql}) limit 5`);
      throw new InputError(`model check failed: ${check.name} — ${n} row${n > 1 ? "s" : ""}, e.g. ${violations.map((v) => JSON.stringify(v)).join("; ")}`);
    }
  }
  return checks.map((c) => ({name: c.name, passed: true}));
}
