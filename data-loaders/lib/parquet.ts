// Writes query results as Parquet with native DuckDB, atomically.
import {rename, rm} from "node:fs/promises";
import {dirname, join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {sqlString} from "./duckdb.js";

/** COPY (query) to `path` as zstd Parquet through a temporary file in the same folder, renamed into place. */
export async function writeParquet(connection: DuckDBConnection, query: string, path: string): Promise<void> {
  const temporary = join(dirname(path), `.${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.parquet.tmp`);
  try {
    await connection.run(`copy (${query}) to ${sqlString(temporary)} (format parquet, compression zstd)`);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, {force: true});
    throw error;
  }
}
