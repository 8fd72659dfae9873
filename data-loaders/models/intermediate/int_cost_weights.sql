-- A product's pool is weighed by each customer's quantity of that product in the month, the shared pool by their
-- quantity of the allocation metric. Only positive weights. Only the months that have a pool are weighed: without cost
-- files (no pools) nothing is read, where weighing every month's usage took 6.5 s at 1,000 customers for no row.
with usage as (
  select date_trunc('month', date)::date as month, customer_id, product_id, billable_metric_id, quantity from mart_usage_daily
  where date_trunc('month', date)::date in (select month from int_cost_pools)
),
metric as (
  select * from meterbook_cost_params
),
product_weights as (
  select month, product_id, false as is_shared, customer_id, sum(quantity) as weight from usage group by all
),
shared_weights as (
  select u.month, null::varchar as product_id, true as is_shared, u.customer_id, sum(u.quantity) as weight
  from usage as u, metric as m
  where u.billable_metric_id = m.allocation_metric_id or u.product_id = m.allocation_product_id
  group by all
),
weights as (
  select * from product_weights union all select * from shared_weights
),
final as (
  select p.month, p.product_id, p.is_shared, p.credit_type_id, w.customer_id, w.weight::decimal(38, 9) as weight
  from int_cost_pools as p
  join weights as w on w.month = p.month and w.is_shared = p.is_shared and w.product_id is not distinct from p.product_id
  where w.weight > 0
)
select * from final
