-- Unit-economics marts: cost per unit by product and day, gross margin by customer and month, and the prices that
-- would give a target margin. Money in the credit type's minor unit beside credit_type_id; days before as_of.

-- unit_cost_daily — grain: day × product × credit type of cost. Direct (mapped) cost only; shared cost is not a
-- product's. A product with usage but no cost that day costs 0 per unit; cost with no usage has no cost per unit.
create or replace table mart_unit_cost_daily as
with params as (
  select * from meterbook_params
),
cost as (
  select d.date, d.product_id, d.credit_type_id, sum(d.cost_minor) as cost_minor
  from int_cost_days as d, params
  where d.product_id is not null and d.date < params.as_of
  group by all
),
usage as (
  select date, product_id, sum(quantity) as quantity from mart_usage_daily group by all
),
cost_credit_types as (
  select distinct credit_type_id from cost
),
keys as (
  select date, product_id, credit_type_id from cost
  union
  select u.date, u.product_id, ct.credit_type_id from usage as u, cost_credit_types as ct
),
final as (
  select k.date, k.product_id, p.product_name, k.credit_type_id,
    coalesce(c.cost_minor, 0)::decimal(38, 9) as cost_minor,
    coalesce(u.quantity, 0)::decimal(38, 9) as quantity,
    case when u.quantity > 0 then exact_ratio(coalesce(c.cost_minor, 0), u.quantity) end as cost_per_unit_minor,
    case when u.quantity > 0 then null else 'no usage' end as cost_per_unit_note
  from keys as k
  left join cost as c using (date, product_id, credit_type_id)
  left join usage as u using (date, product_id)
  left join mart_products as p using (product_id)
)
select * from final;

-- margin_by_customer — grain: calendar month × customer × credit type of cost, days before as_of (the as_of month is
-- partial: period_end). Revenue from revenue_daily in that credit type; cost allocated by usage share.
create or replace table mart_margin_by_customer as
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
    exact_ratio(100 * coalesce(a.shared_weight, 0), s.total_weight) as shared_usage_share_pct
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
    case when j.revenue_minor > 0 then exact_ratio(100 * (j.revenue_minor - j.direct_cost_minor - j.shared_cost_minor), j.revenue_minor) end as gross_margin_pct,
    j.shared_usage, j.shared_usage_share_pct, metric.allocation_metric_name
  from joined as j
  left join mart_customers as c using (customer_id)
  cross join params
  cross join metric
)
select * from final;

-- unallocated_cost — grain: month × reason × product × service × cost center × credit type. Cost that reaches no
-- customer, reported and never dropped: rows no rule maps ('unmapped'), and pools in a month where nobody used the
-- product or the allocation metric ('no usage'). With margin_by_customer it sums to all cost before as_of.
create or replace table mart_unallocated_cost as
with params as (
  select * from meterbook_params
),
unmapped as (
  select date_trunc('month', d.date)::date as month, 'unmapped' as reason, null::varchar as product_id, d.is_shared,
    d.service_name, d.cost_center, d.credit_type_id, sum(d.cost_minor) as cost_minor
  from int_cost_days as d, params
  where d.is_unmapped and d.date < params.as_of
  group by all
),
unused as (
  select p.month, 'no usage' as reason, p.product_id, p.is_shared, null::varchar as service_name, null::varchar as cost_center, p.credit_type_id, p.cost_minor
  from int_cost_pools as p
  anti join int_cost_weights as w on w.month = p.month and w.is_shared = p.is_shared and w.product_id is not distinct from p.product_id and w.credit_type_id = p.credit_type_id
),
final as (
  select u.month, u.reason, u.product_id, p.product_name, u.is_shared, u.service_name, u.cost_center, u.credit_type_id, u.cost_minor::decimal(38, 9) as cost_minor
  from (select * from unmapped union all select * from unused) as u
  left join mart_products as p using (product_id)
)
select * from final;

-- pricing_targets — grain: product × credit type of cost, over the last complete calendar month before as_of:
-- cost per unit there, and price = cost / (1 − margin) for 20, 40 and 60 % gross margin (exact: ×5/4, ×5/3, ×5/2).
create or replace table mart_pricing_targets as
with params as (
  select * from meterbook_params
),
bounds as (
  select (date_trunc('month', as_of) - interval 1 month)::date as window_start, date_trunc('month', as_of)::date as window_end from params
),
cost as (
  select u.product_id, any_value(u.product_name) as product_name, u.credit_type_id, sum(u.cost_minor) as cost_minor, sum(u.quantity) as quantity
  from mart_unit_cost_daily as u, bounds as b
  where u.date >= b.window_start and u.date < b.window_end
  group by u.product_id, u.credit_type_id
),
billed as (
  select r.product_id, r.credit_type_id, sum(r.revenue_minor) as revenue_minor, sum(r.quantity) as billed_quantity
  from mart_revenue_daily as r, bounds as b
  where r.date >= b.window_start and r.date < b.window_end
  group by all
),
per_unit as (
  select c.*, b.window_start, b.window_end,
    case when c.quantity > 0 then exact_ratio(c.cost_minor, c.quantity) end as cost_per_unit_minor,
    case when bl.billed_quantity > 0 then exact_ratio(bl.revenue_minor, bl.billed_quantity) end as average_price_minor
  from cost as c
  cross join bounds as b
  left join billed as bl using (product_id, credit_type_id)
),
final as (
  select product_id, product_name, credit_type_id, window_start, window_end,
    cost_minor::decimal(38, 9) as cost_minor, quantity::decimal(38, 9) as quantity, cost_per_unit_minor,
    case when quantity > 0 then null else 'no usage' end as cost_per_unit_note,
    exact_div(cost_per_unit_minor * 5, 4) as price_margin_20_minor,
    exact_div(cost_per_unit_minor * 5, 3) as price_margin_40_minor,
    exact_div(cost_per_unit_minor * 5, 2) as price_margin_60_minor,
    average_price_minor,
    case when average_price_minor > 0 then exact_ratio(100 * (average_price_minor - cost_per_unit_minor), average_price_minor) end as average_margin_pct
  from per_unit
)
select * from final;
