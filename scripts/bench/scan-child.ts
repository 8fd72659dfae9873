// The floor: native DuckDB reading every column of every file of the export once (hashing each row forces it).
import {readdirSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {rows as queryRows, sqlString} from "../../data-loaders/lib/duckdb.js";

const exportDir = process.argv[2]!;
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const start = performance.now();
const cpuStart = process.cpuUsage();
let rows = 0;
for (const table of readdirSync(exportDir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
  const glob = sqlString(join(exportDir, table, "**", "*.parquet"));
  const [counted] = await queryRows<{n: string}>(connection, `select count(*)::bigint as n, max(hash(t)) as h from read_parquet(${glob}, union_by_name = true) as t`);
  rows += Number(counted!.n);
}
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(JSON.stringify({ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, rows, maxRssBytes: process.resourceUsage().maxRSS * 1024}));
