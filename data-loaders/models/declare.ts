// What a model declares beside its SQL, in the manner of dbt's schema files: its grain, unique key, the checks that
// must hold once it is built (unique, not null, relationships, accepted values, expressions), and the guards that
// stop the build with an InputError naming the source row. models/run.ts builds and checks what is declared here.
import type {DuckDBConnection} from "@duckdb/node-api";
import {InputError} from "../errors.js";
import {rows} from "../lib/duckdb.js";

export type Layer = "staging" | "intermediate" | "marts";

/** A query returning the rows that violate a rule: it holds when there are none. */
export interface Check {
  name: string;
  sql: string;
}

/** Stops the build when the model holds a row the next layers cannot use; runs right after the model is built. */
export type Guard = (connection: DuckDBConnection, model: string) => Promise<void>;

export interface Model {
  /** The table it makes; its SQL is `<layer>/<name>.sql` unless it is built in TypeScript (`build`). */
  name: string;
  layer: Layer;
  /** One row per … */
  grain: string;
  /** Unique key (checked unique and not null), also the row order of a mart's written file. */
  key?: string[];
  /** Key columns that may be null (unknown), still part of uniqueness. */
  nullable?: string[];
  /** The cost models need the cost source's parameter tables: cost/models.ts runs them. */
  source?: "export" | "cost";
  /** Made in TypeScript instead of SQL, with the tables it reads (SQL models' are read from their SQL). */
  build?: (connection: DuckDBConnection) => Promise<void>;
  depends_on?: string[];
  guards?: Guard[];
  /** Columns kept only for the guards' messages, dropped once the guards pass. */
  private?: string[];
  checks?: Check[];
  /**
   * How it is held (default a table in memory): "view", computed again where read — for a model read once or twice
   * whose millions of rows would cost more to hold than to recompute; "parquet", written once to a zstd Parquet file
   * in the snapshot's scratch folder and read through a view — millions of rows read by many models, a tenth of the
   * memory (docs/scaling.md). Without a scratch folder (doctor, tests), "parquet" is a table.
   */
  materialized?: "view" | "parquet";
  /**
   * Built with the whole memory budget as DuckDB's limit, not its share (duckdbMemory): for a model that needs more
   * than half at scale, and whose process stays below the snapshot's peak at 1,000 customers with it. int_line_days'
   * join took 523 s of the 10,000-customer snapshot in half of 1.5 GB against 46 s in all of it; at 1,000 customers
   * it holds 0.65–0.78 GB of DuckDB's memory, the process 0.87–0.90 GB (docs/scaling.md, "Peak RSS").
   */
  wholeBudget?: true;
}

/** The name checks are reported under: the table without its layer prefix. */
export function shortName(table: string): string {
  return table.replace(/^(stg|int|mart)_/, "");
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export const check = {
  unique: (table: string, columns: string[], name = `${shortName(table)}: ${columns.join(", ")} unique`): Check => {
    const key = columns.join(", ");
    return {
      name,
      // Keys repeated by their 64-bit hash first (one integer grouped, not several strings: at 1,000 customers the
      // seven-million-row marts' checks took 18 s grouped by the key itself); then only those rows, grouped by the key.
      sql: `select ${key}, count(*) as n from ${table}
        where hash(${key}) in (select hash(${key}) from ${table} group by 1 having count(*) > 1)
        group by all having count(*) > 1`
    };
  },
  notNull: (table: string, columns: string[], name = `${shortName(table)}: ${columns.join(", ")} not null`): Check => ({
    name,
    sql: `select ${columns.join(", ")} from ${table} where ${columns.map((c) => `${c} is null`).join(" or ")}`
  }),
  /** Every value of `columns` is a key of `to` (one column: `not in`, so nulls pass; several: an anti join). */
  relationship: (table: string, columns: string[], to: string, name = `${shortName(table)}: ${columns.join(", ")} in ${shortName(to)}`): Check => ({
    name,
    sql: columns.length === 1
      ? `select distinct ${columns[0]} from ${table} where ${columns[0]} not in (select ${columns[0]} from ${to})`
      : `select distinct ${columns.join(", ")} from ${table} anti join ${to} using (${columns.join(", ")})`
  }),
  accepted: (table: string, column: string, values: string[], name = `${shortName(table)}: ${column} accepted`): Check => ({
    name,
    sql: `select ${column} from ${table} where ${column} not in (${values.map(literal).join(", ")})`
  }),
  /**
   * No two distinct values of `columns` share their 64-bit hash. A model summed by that hash and given its ids back
   * from the exact keys (mart_revenue_daily, mart_usage_daily, mart_burn_by_product_daily) would otherwise give two
   * colliding keys each other's sums, under keys still unique: its key check cannot see it; this can.
   */
  hashDistinct: (table: string, columns: string[], name = `${shortName(table)}: ${columns.join(", ")} distinct by their hash`): Check => ({
    name,
    sql: `select hash(${columns.join(", ")}) as key_hash, count(*) as n from (select distinct ${columns.join(", ")} from ${table}) group by 1 having count(*) > 1`
  }),
  expression: (name: string, sql: string): Check => ({name, sql})
};

/** The key checks of a model with a key: not null (but the nullable columns), and unique. */
export function keyChecks(model: Model): Check[] {
  if (!model.key) return [];
  const key = model.key.join(", ");
  const required = model.key.filter((k) => !(model.nullable ?? []).includes(k));
  return [
    check.notNull(model.name, required, `${shortName(model.name)}: key (${required.join(", ")}) not null`),
    check.unique(model.name, model.key, `${shortName(model.name)}: key (${key}) unique`)
  ];
}

/**
 * A guard failing on the first row (in file order) where `where` holds, naming that row's source file and row
 * (the model keeps `_file` and `_row`).
 */
export function failOnRow({where, source, message}: {where: string; source: {table: string; column: string; key: (row: Record<string, string | number>) => string}; message: (row: Record<string, string | number>) => string}): Guard {
  return async (connection, model) => {
    const [row] = await rows<Record<string, string | number>>(connection, `select *, source_file(_file) as _path from ${model} where ${where} order by _file, _row limit 1`);
    if (row) throw new InputError(message(row), {table: source.table, column: source.column, file: String(row._path), row: Number(row._row), key: source.key(row)});
  };
}
