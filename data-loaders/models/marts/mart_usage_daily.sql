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
final as (
  select l.date, l.customer_id, l.product_id, coalesce(l.billable_metric_id, p.billable_metric_id) as billable_metric_id,
    sum(l.quantity)::decimal(38, 9) as quantity
  from lines as l
  left join products as p using (product_id)
  group by all
)
select * from final
