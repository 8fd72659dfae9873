// Intermediate models: re-grain and join staging into the shapes the marts read. Grain, guards and checks of each.
import {allocateCostPools} from "./allocate.js";
import {buildBacktest, buildForecast, forecastDailyBuilt} from "../../forecast/build.js";
import {check, type Model} from "../declare.js";
import {LINE_CATEGORIES} from "../lineRules.js";
import {failOnCurrencyWithoutCreditType, failOnMixedCurrencies} from "./guards.js";

export const INTERMEDIATE: Model[] = [
  {name: "int_export_transfers", layer: "intermediate", grain: "export file, with its transfer (date, timestamp) and whether it is its table's latest", key: ["file_id"]},
  {name: "int_segments", layer: "intermediate", grain: "commit/credit segment (an access_schedule item of a contracts_balances row)"},
  {name: "int_latest_draft_snapshots", layer: "intermediate", grain: "draft table (draft_invoice or breakdowns_draft_invoices) × invoice: its latest snapshot before as_of + 1 day"},
  {
    name: "int_invoice_daily_sources",
    layer: "intermediate",
    grain: "invoice with daily figures: the path that makes them (breakdowns, draft_history, even_spread)",
    key: ["invoice_id"],
    checks: [check.accepted("int_invoice_daily_sources", "daily_source", ["breakdowns", "draft_history", "even_spread"])]
  },
  {
    name: "int_draft_history_lines",
    layer: "intermediate",
    grain: "invoice line (credit type, product, name, commit, segment, line type) × UTC day, from the draft history",
    checks: [
      check.expression(
        "draft history: a finalized invoice's daily amounts sum exactly to its finalized line items, line by line",
        `with daily as (
          select invoice_id, credit_type_id, product_id, line_name, commit_id, commit_segment_id,
            sum(total_minor) as daily_minor
          from int_daily_lines where daily_source = 'draft_history' and invoice_state = 'finalized' group by all
        ),
        invoiced as (
          select li.invoice_id, li.credit_type_id, li.product_id, li.name as line_name, li.commit_id, li.commit_segment_id,
            sum(li.total) as invoiced_minor
          from stg_line_item as li
          join int_invoice_daily_sources as s on s.invoice_id = li.invoice_id and s.daily_source = 'draft_history' and s.invoice_state = 'finalized'
          join stg_invoice as i on i.id = li.invoice_id and i.end_timestamp::date > i.start_timestamp::date
          group by all
        )
        select * from daily as d full join invoiced as i
          on i.invoice_id = d.invoice_id and i.credit_type_id is not distinct from d.credit_type_id
          and i.product_id is not distinct from d.product_id and i.line_name is not distinct from d.line_name
          and i.commit_id is not distinct from d.commit_id and i.commit_segment_id is not distinct from d.commit_segment_id
        where coalesce(d.daily_minor, 0) <> coalesce(i.invoiced_minor, 0)`
      )
    ]
  },
  // Held as Parquet: int_line_classes and int_daily_lines each read it. As a view, each read joined millions of
  // breakdown lines to their chosen breakdowns again, and under a tight budget that join spilled the whole of its
  // probe side beside the classes' aggregate (docs/scaling.md, "10,000 customers").
  {name: "int_line_days", layer: "intermediate", grain: "invoice line × UTC day, by the invoice's daily path, before classification", materialized: "parquet", wholeBudget: true},
  {
    name: "int_line_classes",
    layer: "intermediate",
    grain: "line group (invoice × credit type × product × name × commit × segment × line type), by the 64-bit hash of those columns, with its line rule's category",
    key: ["group_hash"]
  },
  // A finalized invoice whose breakdowns disagree with its line items is a finding, not a failed check
  // (models/findings/breakdowns_disagree_with_invoice.sql): real exports have backdated usage after finalization.
  {
    name: "int_daily_lines",
    layer: "intermediate",
    grain: "invoice line × UTC day, with the category its line rule gives it",
    materialized: "parquet",
    checks: [
      check.accepted("int_daily_lines", "category", [...LINE_CATEGORIES]),
      check.expression(
        "line classification: every line-day classified exactly once",
        `select 1 where (select count(*) from int_daily_lines) <> (select count(*) from int_line_days)`
      )
    ]
  },
  {name: "int_burn_attribution", layer: "intermediate", grain: "burn line × day, with the segment it burns (null when none)", materialized: "parquet"},
  {
    name: "int_burn_lines",
    materialized: "view",
    layer: "intermediate",
    grain: "burn line × day attributed to a segment",
    guards: [failOnMixedCurrencies],
    checks: [check.unique("int_burn_lines", ["source_table", "source_id", "date"], "burn lines: each attributed to one segment")]
  },
  {name: "int_unattributed_burn", layer: "intermediate", grain: "burn line × day that reached no segment"},
  {name: "int_segment_burn_days", layer: "intermediate", grain: "segment × day with burn"},
  {name: "int_segment_pace", layer: "intermediate", grain: "segment (every one; pacing keeps the active ones)"},
  {name: "int_segment_patterns", layer: "intermediate", grain: "segment (every one): its usage patterns", key: ["balance_id", "segment_id"]},
  {
    name: "int_cost_days",
    layer: "intermediate",
    source: "cost",
    grain: "cost row × UTC day of its charge period",
    guards: [failOnCurrencyWithoutCreditType]
  },
  {name: "int_cost_pools", layer: "intermediate", source: "cost", grain: "month × pool (a product, or shared) × credit type"},
  {name: "int_cost_weights", layer: "intermediate", source: "cost", grain: "pool × customer with usage in it"},
  {
    // Forecast v2, in TypeScript (data-loaders/forecast/, docs/forecast.md): one pass writes int_forecast_segments
    // and int_forecast_daily; the backtest is its own model, read only by mart_forecast_accuracy.
    name: "int_forecast_segments",
    layer: "intermediate",
    grain: "segment active on as_of with an end and burn history: forecast v2 to its end",
    key: ["balance_id", "segment_id"],
    build: buildForecast,
    depends_on: ["int_segments", "int_segment_burn_days"],
    checks: [
      check.expression(
        "forecast_segments: P10 ≤ P50 ≤ P90 and the chance to exhaust is a probability",
        `select balance_id, segment_id from int_forecast_segments
        where not (end_burn_p10_minor <= end_burn_p50_minor and end_burn_p50_minor <= end_burn_p90_minor) or exhaust_probability not between 0 and 1`
      )
    ]
  },
  {
    name: "int_forecast_daily",
    layer: "intermediate",
    grain: "segment of int_forecast_segments × day from as_of to its end",
    key: ["balance_id", "segment_id", "date"],
    build: forecastDailyBuilt,
    depends_on: ["int_forecast_segments"]
  },
  {
    name: "int_forecast_backtest",
    layer: "intermediate",
    grain: "backtest origin × segment active then × horizon (7d, 30d, 90d, end) × method (baseline, v2)",
    key: ["origin_date", "balance_id", "segment_id", "horizon", "method"],
    build: (connection) => buildBacktest(connection),
    depends_on: ["int_segments", "int_segment_burn_days"],
    checks: [check.accepted("int_forecast_backtest", "method", ["baseline", "v2"]), check.accepted("int_forecast_backtest", "horizon", ["7d", "30d", "90d", "end"])]
  },
  {
    name: "int_cost_allocated",
    layer: "intermediate",
    source: "cost",
    grain: "pool × customer with usage in it, with its exact share of the pool",
    // Largest-remainder split in BigInt: pool × weight products exceed DuckDB's 128-bit integers (cost/allocate.ts).
    build: allocateCostPools,
    depends_on: ["int_cost_weights", "int_cost_pools"],
    checks: [
      check.expression(
        "cost allocation: each pool's customer shares sum exactly to the pool",
        `select a.month, a.product_id, a.is_shared, a.credit_type_id, sum(a.allocated_minor) as allocated, any_value(p.cost_minor) as pool
        from int_cost_allocated as a join int_cost_pools as p using (month, is_shared, credit_type_id)
        where a.product_id is not distinct from p.product_id group by all having sum(a.allocated_minor) <> any_value(p.cost_minor)`
      )
    ]
  }
];
