-- mart_usage_growth — grain: product × billable metric (null when unknown) with usage in the last complete calendar
-- month before as_of's month or the month before it. Growth of each metric, the product's totals, and which metric
-- grew fastest (null growth ranks last; ties by metric id).
with params as (
  select * from meterbook_params
),
months as (
  select (date_trunc('month', as_of) - interval 1 month)::date as last_month_date,
    (date_trunc('month', as_of) - interval 2 month)::date as month_before_date
  from params
),
by_metric as (
  select u.product_id, u.billable_metric_id, m.last_month_date, m.month_before_date,
    coalesce(sum(u.quantity) filter (where u.date >= m.last_month_date), 0)::decimal(38, 9) as last_month_quantity,
    coalesce(sum(u.quantity) filter (where u.date < m.last_month_date), 0)::decimal(38, 9) as month_before_quantity
  from mart_usage_daily as u, months as m
  where u.date >= m.month_before_date and u.date < m.last_month_date + interval 1 month
  group by all
),
growth as (
  select *,
    case when month_before_quantity <> 0 then 100 * (last_month_quantity - month_before_quantity)::double / month_before_quantity::double end as growth_pct,
    sum(last_month_quantity) over (partition by product_id)::decimal(38, 9) as product_last_month_quantity,
    sum(month_before_quantity) over (partition by product_id)::decimal(38, 9) as product_month_before_quantity
  from by_metric
),
final as (
  select g.product_id, coalesce(p.product_name, g.product_id) as product_name, g.billable_metric_id,
    coalesce(b.billable_metric_name, g.billable_metric_id) as billable_metric_name,
    g.last_month_date, g.month_before_date, g.last_month_quantity, g.month_before_quantity, g.growth_pct,
    g.product_last_month_quantity, g.product_month_before_quantity,
    case when g.product_month_before_quantity <> 0 then 100 * (g.product_last_month_quantity - g.product_month_before_quantity)::double / g.product_month_before_quantity::double end as product_growth_pct,
    row_number() over (partition by g.product_id order by g.growth_pct desc nulls last, g.billable_metric_id nulls last) = 1 as is_fastest_growing
  from growth as g
  left join mart_products as p on p.product_id = g.product_id
  left join mart_billable_metrics as b on b.billable_metric_id = g.billable_metric_id
)
select * from final;
