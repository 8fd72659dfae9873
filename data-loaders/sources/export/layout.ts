// The Data Export's object-storage layout, as written by anything that produces an export folder (the API pull, the
// sample generator): `<table>/dt=<YYYY-MM-DD>/<part>_<YYYYMMDDhhmmss>.parquet`, each file holding exactly the columns
// of data-loaders/sources/export/tables.ts (the reader's contract) in its order and staging types. Columns a writer has no
// value for are written as typed NULLs, so the files always carry every column.
import type {DuckDBConnection} from "@duckdb/node-api";
import {isoDay, transferStamp} from "../../lib/dates.js";
import {loadTable, sqlIdentifier, type AppendType} from "../../lib/duckdb.js";
import {tableSpec, type ColumnType} from "./tables.js";

/** One transfer of one table (one file): its partition, its transfer time and the query that produces its rows. */
export interface Batch {
  table: string;
  /** Partition day (day number). */
  dt: number;
  /** Transfer start time (ms); gives the file name's timestamp. */
  stampMs: number;
  /** The COPY source query; gets the transfer id (breakdown tables carry it in a column). */
  query: (transferId: string) => string;
}

/** A file's path under the export root: `<table>/dt=<day>/<part>_<stamp>.parquet`. */
export function exportFilePath(table: string, dt: number, part: number | string, stampMs: number): string {
  return `${table}/dt=${isoDay(dt)}/${part}_${transferStamp(stampMs)}.parquet`;
}

const SQL_TYPES: Record<ColumnType, string> = {
  varchar: "varchar",
  json: "varchar", // JSON as text: the documented warehouse encodings are text, and readers parse strings
  timestamp: "timestamptz", // Parquet TIMESTAMP(isAdjustedToUTC = true), microseconds
  money: "decimal(38, 9)",
  quantity: "decimal(38, 9)",
  double: "double",
  integer: "integer",
  boolean: "boolean"
};

/** The SELECT list for `table`: every contract column, in order, cast to its type. Unknown keys are a bug here. */
export function projection(table: string, exprs: Record<string, string>): string {
  const spec = tableSpec(table);
  const unknown = Object.keys(exprs).filter((k) => !spec.columns.some((c) => c.name === k));
  if (unknown.length > 0) throw new Error(`${table}: no such column(s) in the export contract: ${unknown.join(", ")}`);
  return spec.columns.map((c) => `cast(${exprs[c.name] ?? "null"} as ${SQL_TYPES[c.type]}) as ${sqlIdentifier(c.name)}`).join(",\n      ");
}

export type Cell = string | number | boolean | null;

/** A row of a table built in JS: its partition, transfer time and values by contract column name. */
export interface StagedRow {
  dt: number;
  stampMs: number;
  values: Record<string, Cell>;
}

/**
 * Stage JS-built rows in DuckDB (timestamps as ISO text, decimals as exact text, cast on the way out) and return one
 * batch per (partition, transfer). Row order inside a file is the order given.
 */
export async function stagedBatches(connection: DuckDBConnection, table: string, rows: StagedRow[]): Promise<Batch[]> {
  const spec = tableSpec(table);
  const stageType = (t: ColumnType): AppendType => (t === "boolean" ? "BOOLEAN" : t === "double" ? "DOUBLE" : t === "integer" ? "INTEGER" : "VARCHAR");
  const columns: Array<[string, AppendType]> = [
    ...spec.columns.map((c): [string, AppendType] => [c.name, stageType(c.type)]),
    ["_dt", "INTEGER"],
    ["_stamp", "BIGINT"],
    ["_ord", "INTEGER"]
  ];
  for (const row of rows) {
    const unknown = Object.keys(row.values).filter((k) => !spec.columns.some((c) => c.name === k));
    if (unknown.length > 0) throw new Error(`${table}: no such column(s) in the export contract: ${unknown.join(", ")}`);
  }
  const name = `s_${table}`;
  await loadTable(connection, name, columns, rows.map((r, i) => [...spec.columns.map((c) => r.values[c.name] ?? null), r.dt, r.stampMs, i]));
  const select = projection(table, Object.fromEntries(spec.columns.map((c) => [c.name, sqlIdentifier(c.name)])));
  const keys = new Map<string, {dt: number; stampMs: number}>();
  for (const r of rows) keys.set(`${r.dt}:${r.stampMs}`, {dt: r.dt, stampMs: r.stampMs});
  return [...keys.values()]
    .sort((a, b) => a.stampMs - b.stampMs)
    .map(({dt, stampMs}) => ({table, dt, stampMs, query: () => `select ${select} from ${name} where _dt = ${dt} and _stamp = ${stampMs} order by _ord`}));
}

