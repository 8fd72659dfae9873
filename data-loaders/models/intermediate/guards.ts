// Guards of intermediate models whose messages need more than one row's columns (see declare.ts failOnRow).
import type {DuckDBConnection} from "@duckdb/node-api";
import {InputError} from "../../errors.js";
import type {Guard} from "../declare.js";
import {rows} from "../../lib/duckdb.js";

async function first<T>(connection: DuckDBConnection, sql: string): Promise<T | undefined> {
  return (await rows<T>(connection, sql))[0];
}

/** A burn line in another currency than its segment would add cents to euros: the snapshot stops. */
export const failOnMixedCurrencies: Guard = async (connection, model) => {
  const m = await first<Record<string, string | number>>(
    connection,
    `select *, source_file(_file) as _path from ${model} where credit_type_id is distinct from segment_credit_type_id order by source_table, source_id limit 1`
  );
  if (m) {
    throw new InputError(
      `mixed currencies: a line burning balance ${m.balance_id} segment ${m.segment_id} is in credit type ${m.credit_type_id}, the segment in ${m.segment_credit_type_id}`,
      {table: String(m.source_table), column: "credit_type_id", file: String(m._path), row: Number(m._row), key: `id=${m.source_id}`}
    );
  }
};

/** Cost in a currency no credit type of the export uses cannot meet revenue: Meterbook does not convert. */
export const failOnCurrencyWithoutCreditType: Guard = async (connection, model) => {
  const bad = await first<{source_file: string; source_row: number; currency: string; kind: string}>(
    connection,
    `select d.source_file, d.source_row, d.currency, s.source_kind as kind from ${model} as d join stg_cost as s using (source_file, source_row)
     where d.credit_type_id is null order by 1, 2 limit 1`
  );
  if (bad) {
    throw new InputError(`cost in ${bad.currency}, but no credit type of the export is in ${bad.currency}: Meterbook does not convert between currencies`, {
      file: bad.source_file, row: Number(bad.source_row), column: bad.kind === "focus" ? "BillingCurrency" : "currency"
    });
  }
};
