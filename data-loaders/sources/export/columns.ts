// How export files become typed columns: the columns each file has, one SQL reading all files of a table with each
// row's provenance, and each column's cast from its source type to its staging type (with when that cast failed).
// Assembled in TypeScript because the columns differ by file and by format (a Parquet file's own types, a CSV's
// text): the cast that is both fast and able to report a bad value depends on the source type found at run time.
import type {DuckDBConnection} from "@duckdb/node-api";
import {rows, sqlIdentifier as q, sqlString} from "../../lib/duckdb.js";
import type {ExportFile} from "./discover.js";
import {MONEY_SQL, type ColumnType} from "./tables.js";

/** Top-level column names of every Parquet file, from its schema (one query for all files). */
export async function parquetColumns(connection: DuckDBConnection, files: ExportFile[]): Promise<Map<string, string[]>> {
  const schema = await rows<{file_name: string; name: string; num_children: number | null}>(
    connection,
    `select file_name, name, num_children from parquet_schema([${files.map((f) => sqlString(f.path)).join(", ")}])`
  );
  const byFile = new Map<string, {name: string; num_children: number | null}[]>();
  for (const row of schema) {
    const list = byFile.get(row.file_name) ?? [];
    list.push(row);
    byFile.set(row.file_name, list);
  }
  const columns = new Map<string, string[]>();
  for (const [file, elements] of byFile) {
    // Depth-first schema: element 0 is the root; walk its children, skipping each child's subtree.
    const size = (i: number): number => {
      let n = 1;
      for (let c = 0, j = i + 1; c < (elements[i]!.num_children ?? 0); ++c) {
        const s = size(j);
        j += s;
        n += s;
      }
      return n;
    };
    const names: string[] = [];
    for (let c = 0, j = 1; c < (elements[0]!.num_children ?? 0); ++c) {
      names.push(elements[j]!.name);
      j += size(j);
    }
    columns.set(file, names);
  }
  return columns;
}

export async function csvColumns(connection: DuckDBConnection, file: ExportFile): Promise<string[]> {
  const described = await rows<{column_name: string}>(connection, `describe select * from read_csv(${sqlString(file.path)}, all_varchar = true, header = true)`);
  return described.map((d) => d.column_name);
}

/** SQL reading every file of a table, with provenance: the file's id (see registerFiles) and the 1-based row. */
export function rawQuery(files: ExportFile[], ids: Map<ExportFile, number>): string {
  const parts: string[] = [];
  const parquet = files.filter((f) => f.format === "parquet");
  if (parquet.length) {
    // file_index is the position in the list read: an integer per row, no per-row string work.
    parts.push(
      `select * exclude (file_row_number), ([${parquet.map((f) => ids.get(f)!).join(", ")}])[file_index::integer + 1]::integer as _file, file_row_number + 1 as _row
       from read_parquet([${parquet.map((f) => sqlString(f.path)).join(", ")}], union_by_name = true, file_row_number = true)`
    );
  }
  for (const f of files.filter((f) => f.format === "csv")) {
    // One read per CSV file: a single-file scan keeps file order, so row_number() is the row in the file.
    parts.push(
      `select *, ${ids.get(f)!}::integer as _file, row_number() over () as _row
       from read_csv(${sqlString(f.path)}, all_varchar = true, header = true)`
    );
  }
  return parts.join("\nunion all by name\n");
}

export interface Cast {
  expression: string;
  /** True where a present value failed to convert (null when the cast cannot fail). */
  failure: string | null;
}

export const SQL_TYPE: Record<Exclude<ColumnType, "json">, string> = {
  varchar: "varchar",
  timestamp: "timestamp",
  money: MONEY_SQL,
  quantity: MONEY_SQL,
  double: "double",
  integer: "integer",
  boolean: "boolean"
};

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

/** How column `name` of source type `source` becomes the staging type, and when that conversion failed. */
export function castColumn(name: string, type: ColumnType, source: string): Cast {
  const col = q(name);
  const fails = (expression: string): Cast => ({expression, failure: `(${col} is not null and ${expression} is null)`});
  switch (type) {
    case "varchar":
      return {expression: source === "VARCHAR" ? col : `${col}::varchar`, failure: null};
    case "json":
      if (source === "JSON") return {expression: col, failure: null};
      if (source === "VARCHAR") return {expression: `case when json_valid(${col}) then ${col}::json end`, failure: `(${col} is not null and not json_valid(${col}))`};
      return {expression: `to_json(${col})`, failure: null}; // nested Parquet values (STRUCT, LIST, MAP)
    case "timestamp":
      // TIMESTAMPTZ → TIMESTAMP through its microseconds: the same instant in UTC, without ICU's per-value calendar
      // (7× faster; most export timestamps are TIMESTAMPTZ).
      if (source === "TIMESTAMP WITH TIME ZONE") return {expression: `make_timestamp(epoch_us(${col}))`, failure: null};
      if (source.startsWith("TIMESTAMP") || source === "DATE") return {expression: `${col}::timestamp`, failure: null}; // TimeZone is UTC
      if (source === "VARCHAR") return fails(`try_cast(${col} as timestamptz)::timestamp`);
      return fails(`try_cast(${col} as timestamp)`);
    case "money":
    case "quantity":
      return NUMERIC.test(source) ? fails(`try_cast(${col} as ${MONEY_SQL})`) : fails(`try_cast(trim(${col}::varchar) as ${MONEY_SQL})`);
    case "boolean":
      return source === "BOOLEAN" ? {expression: col, failure: null} : fails(`try_cast(${col} as boolean)`);
    default:
      return source === SQL_TYPE[type].toUpperCase() ? {expression: col, failure: null} : fails(`try_cast(${col} as ${SQL_TYPE[type]})`);
  }
}
