-- The as_of month is partial (period_end). Revenue from revenue_daily in the cost's credit type; cost allocated by
-- usage share (int_cost_allocated).
with params as (
  select * from meterbook_params
),
cost_credit_types as (
  select distinct credit_type_id from int_cost_pools
),
revenue as (
  select date_trunc('month', r.date)::date as month, r.customer_id, r.credit_type_id, sum(r.revenue_minor) as revenue_minor
  from mart_revenue_daily as r
  where r.credit_type_id in (select credit_type_id from cost_credit_types)
  group by all
),
allocated as (
  select month, customer_id, credit_type_id,
    coalesce(sum(allocated_minor) filter (where not is_shared), 0) as direct_cost_minor,
    coalesce(sum(allocated_minor) filter (where is_shared), 0) as shared_cost_minor,
    sum(weight) filter (where is_shared) as shared_weight
  from int_cost_allocated
  group by all
),
shared_totals as (
  select month, credit_type_id, sum(weight) as total_weight from int_cost_allocated where is_shared group by all
),
keys as (
  select month, customer_id, credit_type_id from revenue union select month, customer_id, credit_type_id from allocated
),
joined as (
  select k.month, k.customer_id, k.credit_type_id,
    coalesce(r.revenue_minor, 0)::decimal(38, 9) as revenue_minor,
    coalesce(a.direct_cost_minor, 0)::decimal(38, 9) as direct_cost_minor,
    coalesce(a.shared_cost_minor, 0)::decimal(38, 9) as shared_cost_minor,
    coalesce(a.shared_weight, 0)::decimal(38, 9) as shared_usage,
    exact_div(100 * coalesce(a.shared_weight, 0), s.total_weight) as shared_usage_share_pct
  from keys as k
  left join revenue as r using (month, customer_id, credit_type_id)
  left join allocated as a using (month, customer_id, credit_type_id)
  left join shared_totals as s using (month, credit_type_id)
),
metric as (
  select coalesce(bm.billable_metric_name, p.product_name, m.allocation_metric_id, m.allocation_product_id) as allocation_metric_name
  from meterbook_cost_params as m
  left join mart_billable_metrics as bm on bm.billable_metric_id = m.allocation_metric_id
  left join mart_products as p on p.product_id = m.allocation_product_id
),
final as (
  select j.month, least(j.month + interval 1 month, params.as_of)::date as period_end, j.customer_id, c.label, j.credit_type_id,
    j.revenue_minor, j.direct_cost_minor, j.shared_cost_minor,
    (j.direct_cost_minor + j.shared_cost_minor)::decimal(38, 9) as allocated_cost_minor,
    (j.revenue_minor - j.direct_cost_minor - j.shared_cost_minor)::decimal(38, 9) as gross_margin_minor,
    case when j.revenue_minor > 0 then exact_div(100 * (j.revenue_minor - j.direct_cost_minor - j.shared_cost_minor), j.revenue_minor) end as gross_margin_pct,
    j.shared_usage, j.shared_usage_share_pct, metric.allocation_metric_name
  from joined as j
  left join mart_customers as c using (customer_id)
  cross join params
  cross join metric
)
select * from final
