// Meterbook's browser database: DuckDB-WASM 1.32 from node_modules, with Parquet snapshots decoded by parquet-wasm
// and inserted as Arrow IPC, so DuckDB's parquet extension (a network download) is never needed. One database per
// page: every `database()` call on a page shares it, and each file is registered once. See docs/offline.md.
import * as duckdb from "@duckdb/duckdb-wasm";
// Through Framework's npm: resolver (primed offline from node_modules): the copy FileAttachment.parquet() uses too,
// at the installed version. A bare "parquet-wasm/esm" import is bundled from the package's esm/ folder, whose own
// package.json has no version, so Framework served it as parquet-wasm@undefined.
import initParquet, {readParquet} from "npm:parquet-wasm";
import {sqlTemplate} from "./sqlTemplate.js";

/** The part of Framework's FileAttachment this module uses, so tests can pass their own. */
export interface ParquetSource {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A query result: plain rows (numbers, strings, booleans, Dates, null), with the column names in order. */
export type Rows = Record<string, unknown>[] & {columns: string[]};

export interface Database {
  /** Runs `text` with `?` placeholders bound to `params` (never spliced into the SQL). */
  query(text: string, params?: unknown[]): Promise<Rows>;
  /** Tagged template for ```sql fences: each `${value}` becomes a bound parameter. */
  sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<Rows>;
  /** Every query run on this page so far: its SQL text, bound parameters and milliseconds (tests, benchmarks). */
  readonly log: QueryLogEntry[];
}

export interface QueryLogEntry {
  text: string;
  params: unknown[];
  ms: number;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

let instance: Promise<duckdb.AsyncDuckDB> | undefined;
let parquetReady: Promise<unknown> | undefined;
const registered = new Map<string, Promise<void>>();
// Shared with the page's window so browser tests and the benchmark can read it without importing this module; with
// it, how many queries are running, so they can wait for a change's queries to be done (Framework marks no cell as
// running: the inspector's `observablehq--running` class is a notebook's, never set on a Framework page).
const log: QueryLogEntry[] = ((globalThis as {__meterbookQueries?: QueryLogEntry[]}).__meterbookQueries ??= []);
const running = globalThis as {__meterbookQueriesInFlight?: number};
running.__meterbookQueriesInFlight ??= 0;
// One connection for the page's queries, and each query text prepared once: a query is then one message to DuckDB's
// worker and one answer, not five (connect, prepare, run, close the statement, close the connection), each of which
// waited its turn on a main thread busy redrawing what a change invalidated (docs/performance.md, "Pages"). DuckDB-WASM
// runs one message at a time either way, so sharing the connection serialises nothing that ran in parallel. A temp
// table or setting one query makes is there for the page's later queries, as in a notebook.
let shared: Promise<duckdb.AsyncDuckDBConnection> | undefined;
const statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();

function startDuckDB(): Promise<duckdb.AsyncDuckDB> {
  return (instance ??= (async () => {
    performance.mark("meterbook:duckdb-start");
    const worker = new Worker(import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js"), {type: "module"});
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"));
    // Numbers for pages: DECIMAL money and BIGINT counts become doubles, timestamps become Dates. The marts keep
    // exact decimals; only display-bound query results are converted.
    await db.open({query: {castBigIntToDouble: true, castDecimalToDouble: true, castTimestampToDate: true}});
    performance.mark("meterbook:duckdb-ready");
    return db;
  })());
}

/** Fetches and decodes one Parquet file to Arrow IPC; starts at once, in parallel with DuckDB's start-up. */
function decode(source: ParquetSource): Promise<Uint8Array> {
  parquetReady ??= initParquet({module_or_path: import.meta.resolve("npm:parquet-wasm/esm/parquet_wasm_bg.wasm")});
  return Promise.all([source.arrayBuffer(), parquetReady]).then(([bytes]) => readParquet(new Uint8Array(bytes)).intoIPCStream());
}

/** Inserts one Parquet file as table `name` (once per page, however many cells ask). */
function register(dbReady: Promise<duckdb.AsyncDuckDB>, name: string, source: ParquetSource): Promise<void> {
  if (!TABLE_NAME.test(name)) throw new Error(`invalid table name: ${JSON.stringify(name)}`);
  const key = `${name}\0${source.name}`;
  let done = registered.get(key);
  if (!done) {
    const ipc = decode(source);
    done = (async () => {
      const db = await dbReady;
      const connection = await db.connect();
      try {
        await connection.insertArrowFromIPCStream(await ipc, {name, create: true});
        performance.mark(`meterbook:registered:${name}`);
      } finally {
        await connection.close();
      }
    })();
    registered.set(key, done);
  }
  return done;
}

/** Opens the page's database with `tables` registered (name → Parquet file). */
export async function database(tables: Record<string, ParquetSource> = {}): Promise<Database> {
  const ready = startDuckDB();
  await Promise.all(Object.entries(tables).map(([name, source]) => register(ready, name, source)));
  const db = await ready;
  async function query(text: string, params: unknown[] = []): Promise<Rows> {
    const start = performance.now();
    running.__meterbookQueriesInFlight! += 1;
    try {
      const connection = await (shared ??= db.connect().catch((error) => ((shared = undefined), Promise.reject(error))));
      let table;
      if (params.length === 0) {
        table = await connection.query(text);
      } else {
        let statement = statements.get(text);
        if (!statement) {
          statement = connection.prepare(text);
          statements.set(text, statement);
          statement.catch(() => statements.delete(text)); // a text that fails to prepare is not kept: it may run later
        }
        table = await (await statement).query(...params.map(toParameter));
      }
      return toRows(table);
    } finally {
      log.push({text, params, ms: performance.now() - start});
      running.__meterbookQueriesInFlight! -= 1;
    }
  }
  return {
    query,
    sql: (strings, ...values) => query(...sqlTemplate(strings, values)),
    log
  };
}

/** JS values as DuckDB-WASM can bind them: a UTC-midnight Date as `YYYY-MM-DD` (so `?::date` works), others ISO. */
export function toParameter(value: unknown): unknown {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof value === "bigint") return Number(value);
  if (value !== null && typeof value === "object") {
    // DuckDB-WASM binds scalars only. Pass a list as one string and split it in SQL.
    throw new TypeError(`cannot bind ${Array.isArray(value) ? "an array" : "an object"} as a SQL parameter: pass a string, e.g. \${values.join("|")} with string_split(?, '|')`);
  }
  return value;
}

// Arrow type ids (apache-arrow's Type enum) of the values that need turning into Dates.
const ARROW_DATE = 8;
const ARROW_TIMESTAMP = 10;

function toRows(table: {schema: {fields: {name: string; typeId: number}[]}; numRows: number; getChildAt(i: number): {get(i: number): unknown} | null}): Rows {
  const fields = table.schema.fields;
  const columns = fields.map((f) => f.name);
  const vectors = fields.map((_, i) => table.getChildAt(i)!);
  const rows = new Array(table.numRows) as Rows;
  for (let r = 0; r < table.numRows; ++r) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < fields.length; ++c) {
      let value = vectors[c]!.get(r);
      if (value != null && (fields[c]!.typeId === ARROW_DATE || fields[c]!.typeId === ARROW_TIMESTAMP)) value = new Date(value as number);
      row[columns[c]!] = value;
    }
    rows[r] = row;
  }
  rows.columns = columns;
  return rows;
}
