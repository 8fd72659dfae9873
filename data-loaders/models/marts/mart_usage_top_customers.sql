-- mart_usage_top_customers — grain: window × product × customer with usage in the window. The windows are the last 1, 3,
-- 6 and 12 calendar months up to as_of, [first day of the month n − 1 months before as_of's month, as_of): the
-- latest month is partial. Each customer's quantity, its average per calendar day of the window, its share of the
-- product's usage in the window, and its rank (largest first; ties by customer id).
with params as (
  select * from meterbook_params
),
windows as (
  select n as window_months, (date_trunc('month', as_of) - to_months(n - 1))::date as window_start_date, as_of
  from params, (select unnest([1, 3, 6, 12]) as n)
),
sums as (
  select w.window_months, w.window_start_date, (w.as_of - w.window_start_date)::integer as window_days, u.product_id, u.customer_id,
    sum(u.quantity)::decimal(38, 9) as quantity
  from mart_usage_daily as u
  join windows as w on u.date >= w.window_start_date and u.date < w.as_of
  group by all
),
final as (
  select window_months, window_start_date, window_days, product_id, customer_id, quantity,
    exact_div(quantity, window_days) as daily_average_quantity,
    case when sum(quantity) over (partition by window_months, product_id) <> 0
      then 100 * quantity::double / (sum(quantity) over (partition by window_months, product_id))::double end as share_pct,
    row_number() over (partition by window_months, product_id order by quantity desc, customer_id)::integer as quantity_rank
  from sums
)
select * from final;
