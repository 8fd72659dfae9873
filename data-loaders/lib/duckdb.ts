// Native DuckDB for the Node side, in one place: how a database is opened, how a query's rows are read, how a value
// or a name is quoted when it cannot be a bound parameter (file paths in COPY and read_parquet, identifiers), and how
// JS-built rows are loaded through the appender.
import {availableParallelism, tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBAppender, type DuckDBConnection} from "@duckdb/node-api";
import {InputError} from "../errors.js";

/** The memory budget when neither the config (`memoryLimit`) nor METERBOOK_MEMORY_LIMIT sets one (docs/scaling.md). */
export const DEFAULT_MEMORY_LIMIT = "1.5GB";

/** A DuckDB size: a number and a unit (`256MB`, `1.5GB`, `2GiB`). */
export const MEMORY_SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

// One budget for every DuckDB this process opens (snapshot, site files, reports, doctor, …): set once from the config
// (useMemoryLimit, called by loadConfig and by --memory-limit), read by every openDuckDB that names no limit.
let processMemoryLimit: string | null = null;

/** Sets the memory budget of every DuckDB opened afterwards in this process; an Error when `limit` is no size. */
export function useMemoryLimit(limit: string): void {
  if (!MEMORY_SIZE.test(limit.trim())) throw new Error(`invalid memory limit: ${JSON.stringify(limit)} (expected a size such as 256MB or 1.5GB)`);
  processMemoryLimit = limit.trim();
}

/** The budget in force: useMemoryLimit's, else METERBOOK_MEMORY_LIMIT, else 1.5 GB. */
export function memoryLimit(): string {
  return processMemoryLimit ?? process.env.METERBOOK_MEMORY_LIMIT ?? process.env.METERBOOK_DUCKDB_MEMORY ?? DEFAULT_MEMORY_LIMIT;
}

/** Bytes of a DuckDB size: `256MB` is 256 000 000, `2GiB` 2 × 2³⁰ (DuckDB's own reading). */
export function memoryBytes(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT])(i?)B$/i.exec(limit.trim());
  if (!match) throw new Error(`invalid memory limit: ${JSON.stringify(limit)} (expected a size such as 256MB or 1.5GB)`);
  const power = "KMGT".indexOf(match[2]!.toUpperCase()) + 1;
  return Math.round(Number(match[1]) * (match[3] ? 1024 : 1000) ** power);
}

// DuckDB's out-of-core operators (hash join, aggregate, sort, the Parquet writer) each hold some memory per thread
// that cannot spill: a 128MB budget with two threads ran out of memory staging 2.3 M breakdown lines that one thread
// stages by spilling (docs/scaling.md, "A 256 MB budget"). So a thread gets at least this much of the budget.
export const BUDGET_PER_THREAD = 256 * 2 ** 20;

/**
 * The cores DuckDB may use: METERBOOK_THREADS when set, else every core. For a machine shared with other work, and
 * for `npm test`, which runs two processes at a time on two cores: a second DuckDB thread there adds a quarter to
 * the CPU of a small snapshot (the sample's: 18.6 s of CPU on two threads, 14.1 s on one) for about the same wall time.
 */
export function duckdbCores(): number {
  const given = process.env.METERBOOK_THREADS;
  if (given === undefined || given === "") return availableParallelism();
  if (!/^[1-9]\d*$/.test(given)) throw new Error(`METERBOOK_THREADS must be a positive whole number, got ${JSON.stringify(given)}`);
  return Number(given);
}

/**
 * The threads DuckDB runs under a budget on `cores` cores: one per BUDGET_PER_THREAD of DuckDB's share of it
 * (duckdbMemory), at least one.
 */
export function threadsFor(limit: string, cores: number = duckdbCores()): number {
  return Math.max(1, Math.min(cores, Math.floor(duckdbMemory(limit) / BUDGET_PER_THREAD)));
}

// The least DuckDB's buffers get: the 1,000-customer export's snapshot runs in 256 MB and fails at its first model
// in 128 MB (docs/scaling.md, "Peak RSS").
export const DUCKDB_MEMORY_FLOOR = 256_000_000;

/**
 * The share of a process budget that DuckDB's buffer pool gets (its memory_limit); the rest is for what the process
 * holds beside that pool, which DuckDB's limit does not count (freed memory its allocator keeps for a while, the
 * readers' and writers' buffers, Node): up to 1.2 GB at 1,000 customers, whatever the pool's size. Under the default
 * 1.5 GB budget (1,431 MiB) the 1,000-customer snapshot peaked at 1,388–1,537 MiB with half for DuckDB, over the budget
 * in most runs, and at 1,195–1,343 MiB with two fifths, costing about 5 % of its time (docs/scaling.md, "Peak RSS").
 */
export const DUCKDB_SHARE = 0.4;

/**
 * Bytes of a process budget that DuckDB's buffer pool gets: DUCKDB_SHARE of it, never less than DUCKDB_MEMORY_FLOOR,
 * or the whole budget when it is smaller: a budget that small bounds DuckDB's buffers, not the process.
 */
export function duckdbMemory(limit: string): number {
  const budget = memoryBytes(limit);
  return Math.max(Math.floor(budget * DUCKDB_SHARE), Math.min(budget, DUCKDB_MEMORY_FLOOR));
}

export interface OpenOptions {
  /** Default: the process's budget (memoryLimit()). */
  memoryLimit?: string;
  /** Scratch database file; default in memory. */
  file?: string;
  /** Where DuckDB spills past the budget; default a folder of this process under the system's temporary folder. */
  tempDirectory?: string;
}

/**
 * A native DuckDB for models: UTC, insertion order kept (byte-identical outputs), and bounded memory — DuckDB takes
 * 80 % of RAM by default; here it takes its share of the budget (duckdbMemory) and past that spills to
 * `tempDirectory`. A query that still cannot fit (the budget is below what one operator needs, or the disk under the
 * temporary folder is full) fails with an InputError naming the budget and the folder, not DuckDB's bare message
 * (resourceError). A small budget runs on fewer threads
 * (threadsFor), so that each has the memory its operators need to spill.
 * With `file`, tables live in that scratch database file instead of in memory: DuckDB then writes large tables
 * compressed as they are built (ids repeated on millions of rows take a byte or two instead of 50), and evicts them
 * under memory pressure rather than spilling whole. The caller deletes the file.
 */
export async function openDuckDB({memoryLimit: limit = memoryLimit(), file = ":memory:", tempDirectory = join(tmpdir(), `meterbook-duckdb-${process.pid}`)}: OpenOptions = {}): Promise<{instance: DuckDBInstance; connection: DuckDBConnection}> {
  const instance = await DuckDBInstance.create(file, {memory_limit: `${duckdbMemory(limit)}B`, temp_directory: tempDirectory, threads: String(threadsFor(limit))});
  const connection = explained(await instance.connect(), {memoryLimit: limit, tempDirectory});
  await connection.run(`set TimeZone = 'UTC'; set preserve_insertion_order = true;`);
  return {instance, connection};
}

/**
 * DuckDB's out-of-memory and out-of-disk errors as an InputError saying what to change: the budget, the folder it
 * spills to. Other errors are returned unchanged.
 */
export function resourceError(error: unknown, {memoryLimit: limit, tempDirectory}: {memoryLimit: string; tempDirectory: string}): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/No space left on device|disk is full|Could not write .*temp/i.test(message)) {
    return new InputError(`out of disk: DuckDB could not spill to ${tempDirectory} (memory budget ${limit}); free space there, or raise the budget (memoryLimit in meterbook.config.json, METERBOOK_MEMORY_LIMIT or --memory-limit). DuckDB said: ${message.split("\n")[0]}`);
  }
  if (/Out of Memory Error|could not allocate block/i.test(message)) {
    return new InputError(`out of memory: the memory budget ${limit} is too small for this step even spilling to ${tempDirectory}; raise it (memoryLimit in meterbook.config.json, METERBOOK_MEMORY_LIMIT or --memory-limit). DuckDB said: ${message.split("\n")[0]}`);
  }
  return error;
}

/**
 * resourceError for an error a connection's proxy did not see (one raised while a streamed result is read a chunk at
 * a time): with the budget and spill folder openDuckDB opened it with, or for another connection as DuckDB's own
 * settings give them.
 */
export async function explainedError(connection: DuckDBConnection, error: unknown): Promise<unknown> {
  const budget = budgets.get(connection);
  if (budget) return resourceError(error, budget);
  try {
    const [setting] = await rows<{memory_limit: string; temp_directory: string}>(connection, `select current_setting('memory_limit') as memory_limit, current_setting('temp_directory') as temp_directory`);
    return resourceError(error, {memoryLimit: setting!.memory_limit, tempDirectory: setting!.temp_directory});
  } catch {
    return error;
  }
}

/** Whether `error` is DuckDB running out of memory (as it said it, or as resourceError explained it). */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Out of Memory Error|could not allocate block|^out of memory: /i.test(message);
}

/**
 * Runs `step` in DuckDB's share of the budget (duckdbMemory); if it runs out of memory there, runs it once more with
 * the whole budget as DuckDB's limit, then gives DuckDB its share back. DuckDB's share holds the 1,000-customer
 * snapshot's every step, and its process, under the budget; a step of a far larger export (10,000 customers) that
 * cannot spill its way through its share still completes, the process then holding more than the budget for that step,
 * which `log` says. `step` must be safe to run twice: one statement, a `create or replace`, a file written
 * whole or not at all. A connection openDuckDB did not open, or a budget DuckDB has whole already, is run once.
 */
export async function withWholeBudget<T>(connection: DuckDBConnection, what: string, log: (message: string) => void, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const budget = budgets.get(connection);
    const share = budget ? duckdbMemory(budget.memoryLimit) : 0;
    if (!budget || !isOutOfMemory(error) || share >= memoryBytes(budget.memoryLimit)) throw error;
    log(`snapshot: ${what} ran out of memory in DuckDB's share of the budget (${(share / 1e6).toFixed(0)}MB); running it again with the whole budget, ${budget.memoryLimit}: the process may hold more than the budget meanwhile`);
    return inWholeBudget(connection, what, log, step);
  }
}

/**
 * Runs `step` with the whole budget as DuckDB's limit, then gives DuckDB its share back (a model declared
 * `wholeBudget`, or withWholeBudget's second attempt). A connection openDuckDB did not open runs it as it is.
 */
export async function inWholeBudget<T>(connection: DuckDBConnection, what: string, log: (message: string) => void, step: () => Promise<T>): Promise<T> {
  const budget = budgets.get(connection);
  if (!budget) return step();
  await connection.run(`set memory_limit = '${memoryBytes(budget.memoryLimit)}B'`);
  try {
    return await step();
  } finally {
    // Lowering the limit evicts what is over it; if DuckDB cannot, the step's own outcome stands and the limit stays.
    await connection.run(`set memory_limit = '${duckdbMemory(budget.memoryLimit)}B'`).catch((error: unknown) => log(`snapshot: DuckDB's limit left at the whole budget after ${what}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`));
  }
}

// The budget and spill folder of each connection openDuckDB returned (recorded by `explained`), for explainedError,
// withWholeBudget and inWholeBudget.
const budgets = new WeakMap<DuckDBConnection, {memoryLimit: string; tempDirectory: string}>();

// Every promise a connection returns goes through resourceError, so every caller gets the explained message without
// wrapping its own queries.
function explained(connection: DuckDBConnection, budget: {memoryLimit: string; tempDirectory: string}): DuckDBConnection {
  const proxy = new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(resourceError(error, budget))) : result;
      };
    }
  });
  budgets.set(proxy, budget);
  return proxy;
}

/** What DuckDB spilled so far: the temporary files' count and bytes (duckdb_temporary_files()). */
export async function spilled(connection: DuckDBConnection): Promise<{files: number; bytes: number}> {
  const [row] = await rows<{files: number; bytes: string | null}>(connection, `select count(*)::integer as files, sum(size)::bigint as bytes from duckdb_temporary_files()`);
  return {files: row?.files ?? 0, bytes: Number(row?.bytes ?? 0)};
}

/** A query's rows as JSON-friendly objects (BIGINT and DECIMAL as strings, dates as ISO text); `values` bind $1, $2, … */
export async function rows<T = Record<string, unknown>>(connection: DuckDBConnection, sql: string, values?: unknown[]): Promise<T[]> {
  return (await connection.runAndReadAll(sql, values as never)).getRowObjectsJson() as T[];
}

/** A SQL string literal: for the places DuckDB takes no parameter (COPY targets, table functions' file lists). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier (a column or table name that may hold any character). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export type Cell = string | number | boolean | bigint | null;
export type AppendType = "VARCHAR" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN";

/**
 * Create `name` with the given columns and append the rows through DuckDB's appender (fast, no SQL escaping). `rows`
 * may be a generator: each row is appended as it comes, so a large table is never held in JS whole.
 */
export async function loadTable(connection: DuckDBConnection, name: string, columns: Array<[string, AppendType]>, rows: Iterable<Cell[]>): Promise<void> {
  await connection.run(`create or replace table ${name} (${columns.map(([c, t]) => `${sqlIdentifier(c)} ${t}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  try {
    for (const row of rows) {
      columns.forEach(([column, type], i) => append(appender, type, row[i] ?? null, `${name}.${column}`));
      appender.endRow();
    }
  } catch (error) {
    // The rows not flushed yet are dropped, not left to be flushed when the appender is collected: by then a second
    // attempt (withWholeBudget) may have made a new table of the same name.
    appender.clear();
    appender.closeSync();
    throw error;
  }
  appender.closeSync();
}

function append(appender: DuckDBAppender, type: AppendType, value: Cell, where: string): void {
  if (value === null) return appender.appendNull();
  switch (type) {
    case "VARCHAR":
      if (typeof value !== "string") throw new Error(`${where}: expected a string, got ${typeof value}`);
      return appender.appendVarchar(value);
    case "INTEGER":
      if (typeof value !== "number" || !Number.isInteger(value)) throw new Error(`${where}: expected an integer, got ${String(value)}`);
      return appender.appendInteger(value);
    case "BIGINT":
      if (typeof value === "bigint") return appender.appendBigInt(value);
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new Error(`${where}: expected a safe integer, got ${String(value)}`);
      return appender.appendBigInt(BigInt(value));
    case "DOUBLE":
      if (typeof value !== "number") throw new Error(`${where}: expected a number, got ${typeof value}`);
      return appender.appendDouble(value);
    case "BOOLEAN":
      if (typeof value !== "boolean") throw new Error(`${where}: expected a boolean, got ${typeof value}`);
      return appender.appendBoolean(value);
  }
}
