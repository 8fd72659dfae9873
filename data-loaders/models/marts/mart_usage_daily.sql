-- Usage quantities (lines of the usage categories: on demand, drawn from commits or credits); the metric is the
-- line's, else its product's.
with params as (
  select * from meterbook_params
),
products as (
  select * from mart_products
),
lines as (
  select l.* from int_daily_lines as l, params
  where l.category in ('usage_on_demand', 'usage_commit', 'usage_credit') and l.product_id is not null
    and l.quantity is not null and l.date < params.as_of
),
metered as (
  select l.date, l.customer_id, l.product_id, coalesce(l.billable_metric_id, p.billable_metric_id) as billable_metric_id, l.quantity
  from lines as l
  left join products as p using (product_id)
),
-- Summed by day and the 64-bit hash of the three ids, then given its ids back from the exact keys (as
-- mart_revenue_daily, and for the same reason: grouping tens of millions of line-days by three strings ran a
-- 10,000-customer snapshot out of its 1.5 GB budget). A shared hash fails the mart's hashDistinct check.
keys as (
  select distinct customer_id, product_id, billable_metric_id, hash(customer_id, product_id, billable_metric_id) as key_hash
  from metered
),
sums as (
  select hash(customer_id, product_id, billable_metric_id) as key_hash, date, sum(quantity)::decimal(38, 9) as quantity
  from metered
  group by all
),
final as (
  select s.date, k.customer_id, k.product_id, k.billable_metric_id, s.quantity
  from sums as s
  join keys as k using (key_hash)
)
select * from final
