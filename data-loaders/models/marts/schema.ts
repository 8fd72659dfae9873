// Marts: what pages, reports and exports read. Their files and columns are a public contract (docs/metrics.md,
// docs/data-dictionary.md); money is in the credit type's minor unit (*_minor) beside its credit_type_id. Declared in
// the order the snapshot writes them. To add a mart: docs/models.md.
import {check, type Model} from "../declare.js";

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
    checks: [check.relationship("mart_burn_daily", ["balance_id", "segment_id"], "mart_balance_segments", "burn_daily: segment in balance_segments")]
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
        "pacing: burned_to_date equals the last cumulative_burn_minor before as_of",
        `select p.balance_id, p.segment_id, p.burned_to_date_minor, b.cumulative_burn_minor
        from mart_pacing as p join mart_burn_daily as b using (balance_id, segment_id), meterbook_params as params
        where p.elapsed_days > 0 and b.date = params.as_of - 1 and b.cumulative_burn_minor is distinct from p.burned_to_date_minor`
      )
    ]
  },
  {
    name: "mart_revenue_daily",
    layer: "marts",
    grain: "day × customer × product × credit type, days before as_of",
    key: ["date", "customer_id", "product_id", "credit_type_id"],
    checks: [check.relationship("mart_revenue_daily", ["customer_id"], "mart_customers")]
  },
  {
    name: "mart_usage_daily",
    layer: "marts",
    grain: "day × customer × product × billable metric, days before as_of",
    key: ["date", "customer_id", "product_id", "billable_metric_id"],
    nullable: ["billable_metric_id"]
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
    nullable: ["product_id"]
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
  name: m.name.replace(/^mart_/, ""),
  table: m.name,
  key: m.key!,
  nullable: m.nullable ?? [],
  order: m.key!.join(", ")
}));
