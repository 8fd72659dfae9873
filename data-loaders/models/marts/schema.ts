// Marts: what pages, reports and exports read. Their files and columns are a public contract (docs/metrics.md,
// docs/data-dictionary.md); money is in the credit type's minor unit (*_minor) beside its credit_type_id. Declared in
// the order the snapshot writes them. To add a mart: docs/models.md.
import {PATTERNS} from "../patterns.js";
import {check, shortName, type Model} from "../declare.js";
import {LINE_CATEGORIES, REVENUE_CATEGORIES} from "../lineRules.js";

export const MART_MODELS: Model[] = [
  {name: "mart_credit_types", layer: "marts", grain: "credit type", key: ["credit_type_id"]},
  {name: "mart_products", layer: "marts", grain: "product", key: ["product_id"]},
  {name: "mart_billable_metrics", layer: "marts", grain: "billable metric", key: ["billable_metric_id"]},
  {
    name: "mart_customers",
    layer: "marts",
    grain: "customer",
    key: ["customer_id"],
    checks: [check.unique("mart_customers", ["label"])]
  },
  {
    name: "mart_balance_segments",
    layer: "marts",
    grain: "segment (one access_schedule item)",
    key: ["balance_id", "segment_id"],
    checks: [
      check.relationship("mart_balance_segments", ["customer_id"], "mart_customers"),
      check.accepted("mart_balance_segments", "balance_type", ["prepaid", "postpaid", "credit", "free_commit"])
    ]
  },
  {
    name: "mart_burn_daily",
    layer: "marts",
    grain: "segment × day of the segment (segments with no end: days before as_of)",
    key: ["balance_id", "segment_id", "date"],
    checks: [
      check.relationship("mart_burn_daily", ["balance_id", "segment_id"], "mart_balance_segments", "burn_daily: segment in balance_segments"),
      check.expression(
        "burn_daily: pace_status accepted",
        `select balance_id, segment_id, date, pace_status from mart_burn_daily where pace_status not in ('over', 'under', 'on_track')`
      )
    ]
  },
  {
    name: "mart_pacing",
    layer: "marts",
    grain: "segment active on as_of (start_date <= as_of < end_date; no end counts as active)",
    key: ["balance_id", "segment_id"],
    checks: [
      check.relationship("mart_pacing", ["customer_id"], "mart_customers"),
      check.accepted("mart_pacing", "status", ["over", "under", "on_track"]),
      check.expression(
        "pacing: flags accepted",
        `select balance_id, flags from mart_pacing where len(list_filter(flags, f -> f not in ('week1_spike', 'unsustainable', 'adoption_risk', 'negative_balance'))) > 0`
      ),
      check.expression(
        "pacing: patterns accepted",
        `select balance_id, patterns from mart_pacing where len(list_filter(patterns, f -> f not in (${PATTERNS.map((p) => `'${p}'`).join(", ")}))) > 0`
      ),
      check.expression(
        "pacing: burned_to_date equals the last cumulative_burn_minor before as_of",
        `select p.balance_id, p.segment_id, p.burned_to_date_minor, b.cumulative_burn_minor
        from mart_pacing as p join mart_burn_daily as b using (balance_id, segment_id), meterbook_params as params
        where p.elapsed_days > 0 and b.date = params.as_of - 1 and b.cumulative_burn_minor is distinct from p.burned_to_date_minor`
      ),
      check.expression(
        "burn_daily: pace_status on the day before as_of equals pacing.status",
        `select p.balance_id, p.segment_id, p.status, b.pace_status
        from mart_pacing as p join mart_burn_daily as b using (balance_id, segment_id), meterbook_params as params
        where p.days is not null and p.burn_rate_pct is not null and b.date = params.as_of - 1 and b.pace_status is distinct from p.status`
      )
    ]
  },
  {
    name: "mart_revenue_daily",
    layer: "marts",
    grain: "day × customer × product × credit type × revenue category, days before as_of",
    key: ["date", "customer_id", "product_id", "credit_type_id", "category"],
    nullable: ["product_id"],
    checks: [
      check.relationship("mart_revenue_daily", ["customer_id"], "mart_customers"),
      check.hashDistinct("mart_revenue_daily", ["customer_id", "product_id", "credit_type_id", "category"]),
      check.accepted("mart_revenue_daily", "category", REVENUE_CATEGORIES),
      check.expression(
        "revenue_daily: revenue plus contra-revenue is the lines' gross, and only usage drawn from credits is contra",
        `select * from mart_revenue_daily
        where revenue_minor + contra_revenue_minor <> gross_minor
          or (category = 'usage_credit' and revenue_minor <> 0) or (category <> 'usage_credit' and contra_revenue_minor <> 0)`
      )
    ]
  },
  {
    name: "mart_line_categories",
    layer: "marts",
    grain: "rule × category × line_item_type × invoice type × credit type: how the export's lines were read",
    key: ["rule", "category", "line_item_type", "invoice_type", "credit_type_id"],
    nullable: ["line_item_type", "invoice_type"],
    checks: [
      check.accepted("mart_line_categories", "category", [...LINE_CATEGORIES]),
      check.expression(
        "line_categories: every daily line is counted once",
        `select 1 from (select sum(line_days) as n, sum(total_minor) as t from mart_line_categories)
        where n <> (select count(*) from int_daily_lines) or t is distinct from (select sum(total_minor) from int_daily_lines)`
      )
    ]
  },
  {
    name: "mart_usage_daily",
    layer: "marts",
    grain: "day × customer × product × billable metric, days before as_of",
    key: ["date", "customer_id", "product_id", "billable_metric_id"],
    nullable: ["billable_metric_id"],
    checks: [check.hashDistinct("mart_usage_daily", ["customer_id", "product_id", "billable_metric_id"])]
  },
  {
    name: "mart_invoices",
    layer: "marts",
    grain: "invoice (finalized, voided, or the latest draft snapshot of an open one)",
    key: ["invoice_id"],
    checks: [check.relationship("mart_invoices", ["customer_id"], "mart_customers")]
  },
  {
    name: "mart_burn_by_product_daily",
    layer: "marts",
    grain: "segment × product × day, days before as_of",
    key: ["balance_id", "segment_id", "product_id", "date"],
    nullable: ["product_id"],
    checks: [check.hashDistinct("mart_burn_by_product_daily", ["customer_id", "balance_id", "segment_id", "credit_type_id", "product_id"])]
  },
  {name: "mart_unit_cost_daily", layer: "marts", source: "cost", grain: "day × product × credit type of cost", key: ["date", "product_id", "credit_type_id"]},
  {
    name: "mart_margin_by_customer",
    layer: "marts",
    source: "cost",
    grain: "calendar month × customer × credit type of cost, days before as_of",
    key: ["month", "customer_id", "credit_type_id"],
    checks: [
      check.expression(
        "margin_by_customer: gross margin is revenue minus allocated cost",
        `select month, customer_id from mart_margin_by_customer where gross_margin_minor <> revenue_minor - allocated_cost_minor or allocated_cost_minor <> direct_cost_minor + shared_cost_minor`
      ),
      check.relationship("mart_margin_by_customer", ["customer_id"], "mart_customers")
    ]
  },
  {
    name: "mart_pricing_targets",
    layer: "marts",
    source: "cost",
    grain: "product × credit type of cost, over the last complete calendar month before as_of",
    key: ["product_id", "credit_type_id"]
  },
  {
    name: "mart_unallocated_cost",
    layer: "marts",
    source: "cost",
    grain: "month × reason × product × service × cost center × credit type",
    key: ["month", "reason", "product_id", "is_shared", "service_name", "cost_center", "credit_type_id"],
    nullable: ["product_id", "service_name", "cost_center"],
    checks: [
      check.accepted("mart_unallocated_cost", "reason", ["unmapped", "no usage"]),
      check.expression(
        "cost: allocated plus unallocated cost equals all cost before as_of, by month and credit type",
        `with total as (
          select date_trunc('month', date)::date as month, credit_type_id, sum(cost_minor) as cost from int_cost_days, meterbook_params as p where date < p.as_of group by all
        ),
        accounted as (
          select month, credit_type_id, sum(cost) as cost from (
            select month, credit_type_id, allocated_cost_minor as cost from mart_margin_by_customer
            union all select month, credit_type_id, cost_minor from mart_unallocated_cost
          ) group by all
        )
        select * from total full join accounted using (month, credit_type_id) where total.cost is distinct from accounted.cost`
      )
    ]
  },
  {
    name: "mart_portfolio_commit",
    layer: "marts",
    grain: "credit type of the segments active on as_of",
    key: ["credit_type_id"],
    checks: [
      check.expression(
        "portfolio_commit: sums of pacing per credit type",
        `select credit_type_id from mart_portfolio_commit full join (
          select credit_type_id, sum(amount_minor) as amount, sum(burned_to_date_minor) as burned, count(*) as n from mart_pacing group by all
        ) as p using (credit_type_id)
        where amount_minor is distinct from p.amount or burned_to_date_minor is distinct from p.burned or active_segments is distinct from p.n`
      )
    ]
  },
  {
    name: "mart_customer_status",
    layer: "marts",
    grain: "customer with at least one segment active on as_of",
    key: ["customer_id"],
    checks: [
      check.accepted("mart_customer_status", "status", ["over", "under", "on_track"]),
      check.expression(
        "customer_status: one row per customer in pacing",
        `select customer_id from (select distinct customer_id from mart_pacing) full join mart_customer_status using (customer_id) where mart_customer_status.status is null`
      ),
      check.relationship("mart_customer_status", ["customer_id"], "mart_customers")
    ]
  },
  {
    name: "mart_revenue_month_to_date",
    layer: "marts",
    grain: "credit type with any revenue before as_of",
    key: ["credit_type_id"],
    checks: [
      check.expression(
        "revenue_month_to_date: windows of equal length or capped at the previous month's end",
        `select credit_type_id from mart_revenue_month_to_date
        where previous_end_date > month_start_date or (previous_end_date < month_start_date and previous_end_date - previous_start_date <> days) or change_minor <> month_to_date_minor - previous_minor`
      )
    ]
  },
  {
    name: "mart_revenue_movers",
    layer: "marts",
    grain: "window (7, 30, 90 days) × dimension (product, customer) × entity × credit type",
    key: ["window_days", "dimension", "entity_id", "credit_type_id"],
    checks: [
      check.accepted("mart_revenue_movers", "dimension", ["product", "customer"]),
      check.expression(
        "revenue_movers: per window and dimension, current revenue sums to revenue_daily's",
        `with d as (select window_days, dimension, credit_type_id, sum(current_minor) as current, any_value(current_start_date) as s, any_value(current_last_date) as e from mart_revenue_movers group by all)
        select d.* from d where d.current <> (select sum(revenue_minor) from mart_revenue_daily as r where r.credit_type_id = d.credit_type_id and r.date between d.s and d.e)`
      ),
      check.expression(
        "revenue_movers: ranks are 1..n",
        `select window_days, dimension, credit_type_id from mart_revenue_movers group by all having max(change_rank) <> count(*) or min(change_rank) <> 1`
      )
    ]
  },
  {
    name: "mart_usage_growth",
    layer: "marts",
    grain: "product × billable metric with usage in the last complete month or the month before",
    key: ["product_id", "billable_metric_id"],
    nullable: ["billable_metric_id"],
    checks: [
      check.expression(
        "usage_growth: one fastest-growing metric per product",
        `select product_id from mart_usage_growth group by product_id having count(*) filter (where is_fastest_growing) <> 1`
      )
    ]
  },
  {
    name: "mart_usage_top_customers",
    layer: "marts",
    grain: "window (1, 3, 6, 12 months) × product × customer with usage in the window",
    key: ["window_months", "product_id", "customer_id"],
    checks: [
      check.expression(
        "usage_top_customers: shares sum to 100 per window and product",
        `select window_months, product_id, sum(share_pct) as total from mart_usage_top_customers group by all having sum(quantity) <> 0 and abs(sum(share_pct) - 100) > 1e-6`
      ),
      check.relationship("mart_usage_top_customers", ["customer_id"], "mart_customers")
    ]
  },
  {
    name: "mart_ledger_daily",
    layer: "marts",
    grain: "balance × segment × day × ledger entry type (entries with no segment found: segment_id null)",
    key: ["balance_id", "segment_id", "date", "entry_type"],
    nullable: ["segment_id", "entry_type"],
    checks: [
      check.accepted("mart_ledger_daily", "entry_group", ["segment_start", "invoice_deduction", "manual_adjustment", "expiration", "rollover", "true_up", "other"]),
      check.expression(
        "ledger_daily: every staged ledger entry, none dropped or repeated",
        `select * from (select count(*) as n, sum(amount) as amount from stg_ledger_entries) as s, (select coalesce(sum(entries), 0) as n, sum(amount_minor) as amount from mart_ledger_daily) as m
        where s.n is distinct from m.n or s.amount is distinct from m.amount`
      ),
      check.expression(
        "ledger_daily: unknown entry types are in other",
        `select entry_type from mart_ledger_daily where not is_known_type and entry_group <> 'other'`
      )
    ]
  },
  {
    name: "mart_balance_reconciliation",
    layer: "marts",
    grain: "segment started by as_of (start_date <= as_of)",
    key: ["balance_id", "segment_id"],
    checks: [
      check.relationship("mart_balance_reconciliation", ["balance_id", "segment_id"], "mart_balance_segments", "balance_reconciliation: segment in balance_segments"),
      check.accepted("mart_balance_reconciliation", "metronome_balance_source", ["balance", "ledger"]),
      check.expression(
        "balance_reconciliation: difference = explained + unexplained, explained = manual + expiration + rollover + true-up + pending deductions",
        `select balance_id, segment_id from mart_balance_reconciliation
        where difference_minor is distinct from metronome_balance_minor - remaining_minor
          or (metronome_balance_minor is not null and explained_minor is distinct from manual_adjustment_minor + expiration_minor + rollover_minor + true_up_minor + pending_deduction_minor)
          or difference_minor is distinct from explained_minor + unexplained_minor`
      ),
      check.expression(
        "balance_reconciliation: remaining equals pacing's for the active segments",
        `select balance_id, segment_id from mart_balance_reconciliation as r join mart_pacing as p using (balance_id, segment_id)
        where r.remaining_minor is distinct from p.remaining_minor or not r.is_active`
      )
    ]
  },
  {
    name: "mart_daily_sources",
    layer: "marts",
    grain: "daily path × invoice state: the invoices whose daily figures that path made",
    key: ["daily_source", "invoice_state"],
    checks: [check.accepted("mart_daily_sources", "daily_source", ["breakdowns", "draft_history", "even_spread"])]
  },
  {
    name: "mart_table_freshness",
    layer: "marts",
    grain: "export table Meterbook reads, found or absent: its files, rows, transfer dates and freshness against its cadence",
    key: ["table_name"],
    checks: [
      check.accepted("mart_table_freshness", "cadence", ["incremental", "daily_snapshot", "undocumented"]),
      check.accepted("mart_table_freshness", "freshness_status", ["current", "stale", "not_judged", "no_transfer_dates", "absent"])
    ]
  },
  {
    name: "mart_forecast_accuracy",
    layer: "marts",
    grain: "forecast method × horizon × slice (all; balance type; segment age at the origin), over the backtest's origins",
    key: ["method", "horizon", "slice_kind", "slice"],
    checks: [
      check.accepted("mart_forecast_accuracy", "method", ["baseline", "v2"]),
      check.accepted("mart_forecast_accuracy", "slice_kind", ["all", "balance_type", "segment_age"]),
      check.expression(
        "forecast_accuracy: coverage, precision and recall are percentages",
        `select method, horizon, slice from mart_forecast_accuracy
        where coverage_p10_p90_pct not between 0 and 100 or exhaustion_precision_pct not between 0 and 100 or exhaustion_recall_pct not between 0 and 100`
      )
    ]
  },
  {
    // Built last, from what the finding checks found over every other model (models/findings/).
    name: "mart_findings",
    layer: "marts",
    grain: "finding: check × table with at least one row to report",
    key: ["check_id", "table_name"],
    checks: [check.accepted("mart_findings", "severity", ["info", "warning", "error"])]
  }
];

export interface Mart {
  name: string;
  table: string;
  /** Unique key, also the row order of the written file. */
  key: string[];
  /** Key columns that may be null (unknown), still part of uniqueness. */
  nullable: string[];
  order: string;
}

/** Every mart the snapshot writes, as `marts/<name>.parquet` ordered by its key. */
export const MARTS: Mart[] = MART_MODELS.map((m) => ({
  name: shortName(m.name),
  table: m.name,
  key: m.key!,
  nullable: m.nullable ?? [],
  order: m.key!.join(", ")
}));
