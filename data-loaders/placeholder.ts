// Placeholder data for the overview until the export models exist: a deterministic daily usage table for a few
// fictional customers, computed in native DuckDB so the loader → Parquet → DuckDB-WASM path runs end to end.
import {DuckDBInstance} from "@duckdb/node-api";
import {writeParquetToStdout} from "./parquet.js";

export const PLACEHOLDER_QUERY = `
  with customers as (
    select * from (values ('c1', 'Acme Compute'), ('c2', 'O''Brien Robotics'), ('c3', 'Northwind AI')) as t(customer_id, name)
  ),
  days as (
    select (date '2026-01-01' + range::int) as date from range(31)
  ),
  final as (
    select d.date, c.customer_id, c.name,
      ((hash(c.customer_id || d.date::varchar) % 1000) + 100)::bigint as quantity
    from days as d cross join customers as c
  )
  select * from final order by date, customer_id
`;

export async function writePlaceholder(output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await writeParquetToStdout(connection, PLACEHOLDER_QUERY, output);
}
