// Native DuckDB for the Node side, in one place: how a database is opened, how a query's rows are read, how a value
// or a name is quoted when it cannot be a bound parameter (file paths in COPY and read_parquet, identifiers), and how
// JS-built rows are loaded through the appender.
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DuckDBInstance, type DuckDBAppender, type DuckDBConnection} from "@duckdb/node-api";

/**
 * A native DuckDB for models: UTC, insertion order kept (byte-identical outputs), and bounded memory — DuckDB takes
 * 80 % of RAM by default; past the limit it spills to a temporary folder. METERBOOK_DUCKDB_MEMORY overrides.
 * With `file`, tables live in that scratch database file instead of in memory: DuckDB then writes large tables
 * compressed as they are built (ids repeated on millions of rows take a byte or two instead of 50), and evicts them
 * under memory pressure rather than spilling whole. The caller deletes the file.
 */
export async function openDuckDB({memoryLimit = process.env.METERBOOK_DUCKDB_MEMORY ?? "1536MB", file = ":memory:"} = {}): Promise<{instance: DuckDBInstance; connection: DuckDBConnection}> {
  const instance = await DuckDBInstance.create(file, {memory_limit: memoryLimit, temp_directory: join(tmpdir(), `meterbook-duckdb-${process.pid}`)});
  const connection = await instance.connect();
  await connection.run(`set TimeZone = 'UTC'; set preserve_insertion_order = true;`);
  return {instance, connection};
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

/** Create `name` with the given columns and append the rows through DuckDB's appender (fast, no SQL escaping). */
export async function loadTable(connection: DuckDBConnection, name: string, columns: Array<[string, AppendType]>, rows: Cell[][]): Promise<void> {
  await connection.run(`create or replace table ${name} (${columns.map(([c, t]) => `${sqlIdentifier(c)} ${t}`).join(", ")})`);
  const appender = await connection.createAppender(name);
  for (const row of rows) {
    columns.forEach(([column, type], i) => append(appender, type, row[i] ?? null, `${name}.${column}`));
    appender.endRow();
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
