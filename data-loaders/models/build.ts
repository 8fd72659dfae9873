// Runs the SQL models (staging → intermediate → marts) in native DuckDB, then the model checks. Inputs reach the
// SQL only through one-row parameter tables, never by splicing values into SQL text.
import {readdirSync, readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../config.js";
import {buildCostModels} from "../cost/models.js";
import {InputError, type Finding} from "../errors.js";

export interface Mart {
  name: string;
  table: string;
  /** Unique key, also the row order of the written file. */
  key: string[];
  /** Key columns that may be null (unknown), still part of uniqueness. */
  nullable: string[];
  order: string;
}

function mart(name: string, key: string[], nullable: string[] = []): Mart {
  return {name, table: `mart_${name}`, key, nullable, order: key.join(", ")};
}

export const MARTS: Mart[] = [
  mart("credit_types", ["credit_type_id"]),
  mart("products", ["product_id"]),
  mart("billable_metrics", ["billable_metric_id"]),
  mart("customers", ["customer_id"]),
  mart("balance_segments", ["balance_id", "segment_id"]),
  mart("burn_daily", ["balance_id", "segment_id", "date"]),
  mart("pacing", ["balance_id", "segment_id"]),
  mart("revenue_daily", ["date", "customer_id", "product_id", "credit_type_id"]),
  mart("usage_daily", ["date", "customer_id", "product_id", "billable_metric_id"], ["billable_metric_id"]),
  mart("invoices", ["invoice_id"]),
  mart("burn_by_product_daily", ["balance_id", "segment_id", "product_id", "date"], ["product_id"]),
  mart("unit_cost_daily", ["date", "product_id", "credit_type_id"]),
  mart("margin_by_customer", ["month", "customer_id", "credit_type_id"]),
  mart("pricing_targets", ["product_id", "credit_type_id"]),
  mart("unallocated_cost", ["month", "reason", "product_id", "is_shared", "service_name", "cost_center", "credit_type_id"], ["product_id", "service_name", "cost_center"]),
  mart("portfolio_commit", ["credit_type_id"]),
  mart("customer_status", ["customer_id"]),
  mart("revenue_month_to_date", ["credit_type_id"]),
  mart("revenue_movers", ["window_days", "dimension", "entity_id", "credit_type_id"]),
  mart("usage_growth", ["product_id", "billable_metric_id"], ["billable_metric_id"]),
  mart("usage_top_customers", ["window_months", "product_id", "customer_id"])
];

export interface ModelResult {
  checks: {name: string; passed: boolean}[];
  findings: Finding[];
}

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), "sql");

async function rows<T = Record<string, unknown>>(connection: DuckDBConnection, sql: string, values?: unknown[]): Promise<T[]> {
  return (await connection.runAndReadAll(sql, values as never)).getRowObjectsJson() as T[];
}

export async function buildModels(connection: DuckDBConnection, {asOf, config, log = () => {}}: {asOf: string; config: Config; log?: (message: string) => void}): Promise<ModelResult> {
  await connection.run(`create or replace table meterbook_params (as_of date, owner_field varchar, label_source varchar)`);
  await connection.run(`insert into meterbook_params values ($1::date, $2, $3)`, [asOf, `$.${JSON.stringify(config.ownerField)}`, config.labelSource] as never);
  await connection.run(`create or replace table meterbook_burn_types (line_item_type varchar)`);
  for (const type of config.burnLineItemTypes) await connection.run(`insert into meterbook_burn_types values ($1)`, [type] as never);

  for (const file of readdirSync(SQL_DIR).filter((f) => f.endsWith(".sql")).sort()) {
    const start = performance.now();
    await connection.run(readFileSync(join(SQL_DIR, file), "utf8"));
    log(`snapshot: model ${file} in ${Math.round(performance.now() - start)} ms`);
  }

  await failOnMixedCurrencies(connection);
  const costFindings = await buildCostModels(connection, config.cost, {log});
  const findings = [...(await burnFindings(connection)), ...costFindings];
  const checks = await runChecks(connection);
  return {checks, findings};
}

/** A burn line in another currency than its segment would add cents to euros: the snapshot stops. */
async function failOnMixedCurrencies(connection: DuckDBConnection): Promise<void> {
  const mixed = await rows<Record<string, string | number>>(
    connection,
    `select *, source_file(_file) as _path from int_burn_lines where credit_type_id is distinct from segment_credit_type_id order by source_table, source_id limit 1`
  );
  if (mixed.length) {
    const m = mixed[0]!;
    throw new InputError(
      `mixed currencies: a line burning balance ${m.balance_id} segment ${m.segment_id} is in credit type ${m.credit_type_id}, the segment in ${m.segment_credit_type_id}`,
      {table: String(m.source_table), column: "credit_type_id", file: String(m._path), row: Number(m._row), key: `id=${m.source_id}`}
    );
  }
}

async function burnFindings(connection: DuckDBConnection): Promise<Finding[]> {
  const [u] = await rows<{n: number; examples: string[]}>(connection, `select count(*)::integer as n, list(distinct balance_id order by balance_id)[1:5] as examples from int_unattributed_burn`);
  if (!u || u.n === 0) return [];
  return [{
    check: "unattributed_burn",
    table: "breakdowns_line_items",
    rows: u.n,
    examples: u.examples,
    message: `${u.n} burn line-day${u.n > 1 ? "s" : ""} name a commit with no matching segment (balance absent, or dated outside every segment); left out of burn`
  }];
}

interface Check {
  name: string;
  /** Rows that violate the check; empty when it holds. */
  sql: string;
}

function checksFor(): Check[] {
  const checks: Check[] = [];
  for (const m of MARTS) {
    const key = m.key.join(", ");
    const required = m.key.filter((k) => !m.nullable.includes(k));
    checks.push({name: `${m.name}: key (${required.join(", ")}) not null`, sql: `select ${key} from ${m.table} where ${required.map((k) => `${k} is null`).join(" or ")}`});
    checks.push({name: `${m.name}: key (${key}) unique`, sql: `select ${key}, count(*) as n from ${m.table} group by all having count(*) > 1`});
  }
  checks.push(
    {name: "customers: label unique", sql: `select label, count(*) as n from mart_customers group by label having count(*) > 1`},
    {name: "balance_segments: customer_id in customers", sql: `select customer_id, segment_id from mart_balance_segments where customer_id not in (select customer_id from mart_customers)`},
    {name: "pacing: customer_id in customers", sql: `select customer_id, segment_id from mart_pacing where customer_id not in (select customer_id from mart_customers)`},
    {name: "revenue_daily: customer_id in customers", sql: `select distinct customer_id from mart_revenue_daily where customer_id not in (select customer_id from mart_customers)`},
    {name: "burn_daily: segment in balance_segments", sql: `select distinct balance_id, segment_id from mart_burn_daily anti join mart_balance_segments using (balance_id, segment_id)`},
    {name: "invoices: customer_id in customers", sql: `select invoice_id, customer_id from mart_invoices where customer_id not in (select customer_id from mart_customers)`},
    {name: "balance_segments: balance_type accepted", sql: `select balance_id, balance_type from mart_balance_segments where balance_type not in ('prepaid', 'postpaid', 'credit', 'free_commit')`},
    {name: "pacing: status accepted", sql: `select balance_id, status from mart_pacing where status not in ('over', 'under', 'on_track')`},
    {name: "pacing: flags accepted", sql: `select balance_id, flags from mart_pacing where len(list_filter(flags, f -> f not in ('week1_spike', 'unsustainable', 'adoption_risk', 'negative_balance'))) > 0`},
    {name: "burn lines: each attributed to one segment", sql: `select source_table, source_id, date, count(*) as n from int_burn_lines group by all having count(*) > 1`},
    {
      name: "pacing: burned_to_date equals the last cumulative_burn_minor before as_of",
      sql: `select p.balance_id, p.segment_id, p.burned_to_date_minor, b.cumulative_burn_minor
            from mart_pacing as p join mart_burn_daily as b using (balance_id, segment_id), meterbook_params as params
            where p.elapsed_days > 0 and b.date = params.as_of - 1 and b.cumulative_burn_minor is distinct from p.burned_to_date_minor`
    },
    {
      name: "cost allocation: each pool's customer shares sum exactly to the pool",
      sql: `select a.month, a.product_id, a.is_shared, a.credit_type_id, sum(a.allocated_minor) as allocated, any_value(p.cost_minor) as pool
            from int_cost_allocated as a join int_cost_pools as p using (month, is_shared, credit_type_id)
            where a.product_id is not distinct from p.product_id group by all having sum(a.allocated_minor) <> any_value(p.cost_minor)`
    },
    {
      name: "cost: allocated plus unallocated cost equals all cost before as_of, by month and credit type",
      sql: `with total as (
              select date_trunc('month', date)::date as month, credit_type_id, sum(cost_minor) as cost from int_cost_days, meterbook_params as p where date < p.as_of group by all
            ),
            accounted as (
              select month, credit_type_id, sum(cost) as cost from (
                select month, credit_type_id, allocated_cost_minor as cost from mart_margin_by_customer
                union all select month, credit_type_id, cost_minor from mart_unallocated_cost
              ) group by all
            )
            select * from total full join accounted using (month, credit_type_id) where total.cost is distinct from accounted.cost`
    },
    {
      name: "margin_by_customer: gross margin is revenue minus allocated cost",
      sql: `select month, customer_id from mart_margin_by_customer where gross_margin_minor <> revenue_minor - allocated_cost_minor or allocated_cost_minor <> direct_cost_minor + shared_cost_minor`
    },
    {name: "margin_by_customer: customer_id in customers", sql: `select distinct customer_id from mart_margin_by_customer where customer_id not in (select customer_id from mart_customers)`},
    {name: "unallocated_cost: reason accepted", sql: `select reason from mart_unallocated_cost where reason not in ('unmapped', 'no usage')`},
    {name: "burn_daily: pace_status accepted", sql: `select balance_id, segment_id, date, pace_status from mart_burn_daily where pace_status not in ('over', 'under', 'on_track')`},
    {
      name: "burn_daily: pace_status on the day before as_of equals pacing.status",
      sql: `select p.balance_id, p.segment_id, p.status, b.pace_status
            from mart_pacing as p join mart_burn_daily as b using (balance_id, segment_id), meterbook_params as params
            where p.days is not null and p.burn_rate_pct is not null and b.date = params.as_of - 1 and b.pace_status is distinct from p.status`
    },
    {
      name: "portfolio_commit: sums of pacing per credit type",
      sql: `select credit_type_id from mart_portfolio_commit full join (
              select credit_type_id, sum(amount_minor) as amount, sum(burned_to_date_minor) as burned, count(*) as n from mart_pacing group by all
            ) as p using (credit_type_id)
            where amount_minor is distinct from p.amount or burned_to_date_minor is distinct from p.burned or active_segments is distinct from p.n`
    },
    {name: "customer_status: status accepted", sql: `select customer_id, status from mart_customer_status where status not in ('over', 'under', 'on_track')`},
    {name: "customer_status: one row per customer in pacing", sql: `select customer_id from (select distinct customer_id from mart_pacing) full join mart_customer_status using (customer_id) where mart_customer_status.status is null`},
    {name: "customer_status: customer_id in customers", sql: `select customer_id from mart_customer_status where customer_id not in (select customer_id from mart_customers)`},
    {
      name: "revenue_month_to_date: windows of equal length or capped at the previous month's end",
      sql: `select credit_type_id from mart_revenue_month_to_date
            where previous_end_date > month_start_date or (previous_end_date < month_start_date and previous_end_date - previous_start_date <> days) or change_minor <> month_to_date_minor - previous_minor`
    },
    {name: "revenue_movers: dimension accepted", sql: `select dimension from mart_revenue_movers where dimension not in ('product', 'customer')`},
    {
      name: "revenue_movers: per window and dimension, current revenue sums to revenue_daily's",
      sql: `with d as (select window_days, dimension, credit_type_id, sum(current_minor) as current, any_value(current_start_date) as s, any_value(current_last_date) as e from mart_revenue_movers group by all)
            select d.* from d where d.current <> (select sum(revenue_minor) from mart_revenue_daily as r where r.credit_type_id = d.credit_type_id and r.date between d.s and d.e)`
    },
    {name: "revenue_movers: ranks are 1..n", sql: `select window_days, dimension, credit_type_id from mart_revenue_movers group by all having max(change_rank) <> count(*) or min(change_rank) <> 1`},
    {name: "usage_growth: one fastest-growing metric per product", sql: `select product_id from mart_usage_growth group by product_id having count(*) filter (where is_fastest_growing) <> 1`},
    {
      name: "usage_top_customers: shares sum to 100 per window and product",
      sql: `select window_months, product_id, sum(share_pct) as total from mart_usage_top_customers group by all having sum(quantity) <> 0 and abs(sum(share_pct) - 100) > 1e-6`
    },
    {name: "usage_top_customers: customer_id in customers", sql: `select distinct customer_id from mart_usage_top_customers where customer_id not in (select customer_id from mart_customers)`},
    {
      name: "revenue: a finalized invoice's daily product revenue sums to its usage line items' total",
      sql: `with daily as (
              select invoice_id, sum(total_minor) as revenue_minor from int_daily_lines
              where invoice_state = 'finalized' and product_id is not null and source_table = 'breakdowns_line_items'
              group by invoice_id
            ),
            invoiced as (
              select li.invoice_id, sum(li.total) as usage_total_minor from stg_line_item as li
              join stg_invoice as i on i.id = li.invoice_id
              where upper(i.status) <> 'VOID' and li.product_id is not null group by li.invoice_id
            )
            select invoice_id, d.revenue_minor, i.usage_total_minor from daily as d join invoiced as i using (invoice_id)
            where d.revenue_minor <> i.usage_total_minor`
    }
  );
  return checks;
}

async function runChecks(connection: DuckDBConnection): Promise<ModelResult["checks"]> {
  const results: ModelResult["checks"] = [];
  for (const check of checksFor()) {
    const violations = await rows(connection, `select * from (${check.sql}) limit 5`);
    if (violations.length) {
      const [{n}] = (await rows<{n: number}>(connection, `select count(*)::integer as n from (${check.sql})`)) as [{n: number}];
      throw new InputError(`model check failed: ${check.name} — ${n} row${n > 1 ? "s" : ""}, e.g. ${violations.map((v) => JSON.stringify(v)).join("; ")}`);
    }
    results.push({name: check.name, passed: true});
  }
  return results;
}
