// Unit-economics models over stg_cost and the revenue/usage marts: the config's mapping rules and allocation metric
// become parameter tables, then the cost models (declared with `source: "cost"` in models/*/schema.ts: int_cost_*,
// the exact allocation, the cost marts) run through the model runner.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {CostConfig} from "../config.js";
import {InputError, type Observation} from "../errors.js";
import {INTERMEDIATE} from "./intermediate/schema.js";
import {MART_MODELS} from "./marts/schema.js";
import {runModels} from "./run.js";
import {rows} from "../lib/duckdb.js";
import {stageCost} from "../sources/cost/read.js";

export const COST_MODELS = [...INTERMEDIATE, ...MART_MODELS].filter((m) => m.source === "cost");

/** A product named by id or name in the config → its id. Names must be unambiguous. */
async function productId(connection: DuckDBConnection, ref: string, where: string): Promise<string> {
  const found = await rows<{product_id: string}>(connection, `select product_id from mart_products where product_id = $1 or product_name = $1 order by product_id = $1 desc, product_id`, [ref]);
  if (!found.length) throw new InputError(`${where}: no product with id or name ${JSON.stringify(ref)}`);
  if (found.length > 1 && found[0]!.product_id !== ref) throw new InputError(`${where}: several products are named ${JSON.stringify(ref)}; use the product id`);
  return found[0]!.product_id;
}

export async function buildCostModels(connection: DuckDBConnection, cost: CostConfig | null, {log = () => {}}: {log?: (message: string) => void} = {}): Promise<Observation[]> {
  // Models built without a snapshot's cost stage (tests of the revenue models) get an empty cost table.
  const [exists] = await rows(connection, `select 1 from duckdb_tables() where table_name = 'stg_cost'`);
  if (!exists) await stageCost(connection, null);
  const rules = cost?.rules ?? [];
  await connection.run(`create or replace table meterbook_cost_rules (rule_index integer, product_id varchar, is_shared boolean, tag_key varchar, tag_value varchar, service varchar, cost_center varchar)`);
  for (const [i, rule] of rules.entries()) {
    const shared = rule.product === "shared";
    const id = shared ? null : await productId(connection, rule.product, `cost.rules[${i}]`);
    const [key, ...value] = rule.tag?.split("=") ?? [];
    await connection.run(`insert into meterbook_cost_rules values ($1, $2, $3, $4, $5, $6, $7)`, [i, id, shared, key ?? null, value.length ? value.join("=") : null, rule.service ?? null, rule.costCenter ?? null] as never);
  }
  let metricId: string | null = null;
  let metricProductId: string | null = null;
  const metric = cost?.sharedAllocationMetric ?? null;
  if (metric) {
    const [m] = await rows<{billable_metric_id: string}>(connection, `select billable_metric_id from mart_billable_metrics where billable_metric_id = $1 or billable_metric_name = $1 order by billable_metric_id = $1 desc limit 1`, [metric]);
    if (m) metricId = m.billable_metric_id;
    else metricProductId = await productId(connection, metric, "cost.sharedAllocationMetric (a billable metric or product)");
  } else if (rules.some((r) => r.product === "shared")) {
    throw new InputError(`cost.sharedAllocationMetric is needed: a rule maps cost to "shared", which is split by each customer's share of that metric's usage`);
  }
  await connection.run(`create or replace table meterbook_cost_params as select $1::varchar as allocation_metric_id, $2::varchar as allocation_product_id`, [metricId, metricProductId] as never);

  await runModels(connection, COST_MODELS, {log});
  return costFindings(connection);
}

async function costFindings(connection: DuckDBConnection): Promise<Observation[]> {
  const findings: Observation[] = [];
  const [unmapped] = await rows<{n: number; examples: string[]}>(
    connection,
    `select count(*)::integer as n, list(distinct coalesce(service_name, cost_center) order by coalesce(service_name, cost_center))[1:5] as examples from mart_unallocated_cost where reason = 'unmapped'`
  );
  if (unmapped && unmapped.n > 0) {
    findings.push({check: "unmapped_cost", table: "cost", rows: unmapped.n, examples: unmapped.examples,
      message: `cost that no mapping rule assigns (${unmapped.n} month-service rows) is reported in unallocated_cost, not allocated to customers`});
  }
  const [later] = await rows<{n: number; examples: string[]}>(
    connection,
    `select count(distinct (source_file, source_row))::integer as n, list(distinct source_file order by source_file)[1:5] as examples from int_cost_days, meterbook_params as p where date >= p.as_of`
  );
  if (later && later.n > 0) {
    findings.push({check: "cost_after_as_of", table: "cost", rows: later.n, examples: later.examples,
      message: `${later.n} cost row${later.n > 1 ? "s" : ""} fall on or after the as-of date, outside the snapshot's period, and are left out of the marts`});
  }
  return findings;
}
