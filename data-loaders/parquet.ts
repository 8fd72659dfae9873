// Writes query results as Parquet with native DuckDB: atomically to a path, or to stdout for Framework's loaders.
import {createReadStream} from "node:fs";
import {mkdtemp, rename, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {pipeline} from "node:stream/promises";
import type {DuckDBConnection} from "@duckdb/node-api";

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

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

/** The Framework loader contract: one artifact on stdout, nothing partial (it is complete before the first byte). */
export async function writeParquetToStdout(connection: DuckDBConnection, query: string, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "meterbook-"));
  try {
    const path = join(dir, "out.parquet");
    await writeParquet(connection, query, path);
    await pipeline(createReadStream(path), output, {end: output !== process.stdout});
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}
