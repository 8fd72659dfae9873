// The floor: native DuckDB reading every column of every file of the export once (hashing each row forces it).
import {readdirSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";

const exportDir = process.argv[2]!;
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const start = performance.now();
let rows = 0;
for (const table of readdirSync(exportDir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const glob = join(exportDir, table, "**", "*.parquet").replaceAll("'", "''");
  const reader = await connection.runAndReadAll(`select count(*)::bigint as n, max(hash(t)) as h from read_parquet('${glob}', union_by_name = true) as t`);
  rows += Number(reader.getRowObjectsJson()[0]!.n);
}
process.stdout.write(JSON.stringify({ms: performance.now() - start, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024}));
