-- Portfolio marts: the figures the overview, revenue and usage pages show, defined here once (docs/metrics.md) so
-- that pages only select, filter and draw. One `create table` per mart; each states its grain. Windows end the day
-- before as_of (data is complete for the days before it); money stays exact (*_minor), percentages are doubles and
-- null, never infinite, when their base is 0.

-- portfolio_commit — grain: credit type of the segments active on as_of. Commit under management and its burn.
create or replace table mart_portfolio_commit as
with active as (
  select * from mart_pacing
),
final as (
  select credit_type_id,
    sum(amount_minor)::decimal(38, 9) as amount_minor,
    sum(burned_to_date_minor)::decimal(38, 9) as burned_to_date_minor,
    count(*)::integer as active_segments,
    case when sum(amount_minor) <> 0 then 100 * sum(burned_to_date_minor)::double / sum(amount_minor)::double end as burned_pct
  from active
  group by credit_type_id
)
select * from final;

-- customer_status — grain: customer with at least one segment active on as_of. A customer's status is its worst
-- active segment's: over, else under, else on track.
create or replace table mart_customer_status as
with active as (
  select * from mart_pacing
),
final as (
  select customer_id,
    case when bool_or(status = 'over') then 'over' when bool_or(status = 'under') then 'under' else 'on_track' end as status,
    count(*)::integer as active_segments,
    count(*) filter (where status = 'over')::integer as over_segments,
    count(*) filter (where status = 'under')::integer as under_segments
  from active
  group by customer_id
)
select * from final;

-- revenue_month_to_date — grain: credit type with any revenue before as_of. Revenue of as_of's month so far,
-- [month_start, as_of), against the same number of days from the start of the previous month, capped at that
-- month's end.
create or replace table mart_revenue_month_to_date as
with params as (
  select * from meterbook_params
),
bounds as (
  select date_trunc('month', as_of)::date as month_start_date, as_of from params
),
periods as (
  select month_start_date, as_of, (as_of - month_start_date)::integer as days,
    (month_start_date - interval 1 month)::date as previous_start_date
  from bounds
),
windows as (
  select *, least(previous_start_date + days, month_start_date) as previous_end_date from periods
),
sums as (
  select r.credit_type_id, w.month_start_date, w.as_of as end_date, w.days, w.previous_start_date, w.previous_end_date,
    coalesce(sum(r.revenue_minor) filter (where r.date >= w.month_start_date and r.date < w.as_of), 0)::decimal(38, 9) as month_to_date_minor,
    coalesce(sum(r.revenue_minor) filter (where r.date >= w.previous_start_date and r.date < w.previous_end_date), 0)::decimal(38, 9) as previous_minor
  from mart_revenue_daily as r, windows as w
  group by all
),
final as (
  select *,
    (month_to_date_minor - previous_minor)::decimal(38, 9) as change_minor,
    case when previous_minor <> 0 then 100 * (month_to_date_minor - previous_minor)::double / previous_minor::double end as change_pct
  from sums
)
select * from final;

-- revenue_movers — grain: window × dimension × entity × credit type. For the last 7, 30 and 90 days before as_of
-- (current period [as_of − n, as_of)) against the n days before them ([as_of − 2n, as_of − n)): each product's, and
-- each customer's, revenue in both, the change, and its rank by the size of the change (largest first; ties by
-- name, then id). Entities with revenue rows in either period.
create or replace table mart_revenue_movers as
with params as (
  select * from meterbook_params
),
windows as (
  select unnest([7, 30, 90]) as window_days, as_of from params
),
periods as (
  select window_days, (as_of - window_days) as current_start_date, as_of as current_end_date,
    (as_of - 2 * window_days) as previous_start_date
  from windows
),
entities as (
  select 'product' as dimension, product_id as entity_id, date, credit_type_id, revenue_minor from mart_revenue_daily
  union all
  select 'customer' as dimension, customer_id as entity_id, date, credit_type_id, revenue_minor from mart_revenue_daily
),
sums as (
  select p.window_days, e.dimension, e.entity_id, e.credit_type_id,
    p.current_start_date, (p.current_end_date - 1) as current_last_date, p.previous_start_date, (p.current_start_date - 1) as previous_last_date,
    coalesce(sum(e.revenue_minor) filter (where e.date >= p.current_start_date), 0)::decimal(38, 9) as current_minor,
    coalesce(sum(e.revenue_minor) filter (where e.date < p.current_start_date), 0)::decimal(38, 9) as previous_minor
  from entities as e
  join periods as p on e.date >= p.previous_start_date and e.date < p.current_end_date
  group by all
),
named as (
  select s.*, case s.dimension when 'product' then coalesce(pr.product_name, s.entity_id) else coalesce(c.label, s.entity_id) end as entity_name
  from sums as s
  left join mart_products as pr on s.dimension = 'product' and pr.product_id = s.entity_id
  left join mart_customers as c on s.dimension = 'customer' and c.customer_id = s.entity_id
),
final as (
  select window_days, dimension, entity_id, entity_name, credit_type_id,
    current_start_date, current_last_date, previous_start_date, previous_last_date, current_minor, previous_minor,
    (current_minor - previous_minor)::decimal(38, 9) as change_minor,
    case when previous_minor <> 0 then 100 * (current_minor - previous_minor)::double / previous_minor::double end as change_pct,
    row_number() over (partition by window_days, dimension, credit_type_id order by abs(current_minor - previous_minor) desc, entity_name, entity_id)::integer as change_rank
  from named
)
select * from final;

-- usage_growth — grain: product × billable metric (null when unknown) with usage in the last complete calendar
-- month before as_of's month or the month before it. Growth of each metric, the product's totals, and which metric
-- grew fastest (null growth ranks last; ties by metric id).
create or replace table mart_usage_growth as
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

-- usage_top_customers — grain: window × product × customer with usage in the window. The windows are the last 1, 3,
-- 6 and 12 calendar months up to as_of, [first day of the month n − 1 months before as_of's month, as_of): the
-- latest month is partial. Each customer's quantity, its average per calendar day of the window, its share of the
-- product's usage in the window, and its rank (largest first; ties by customer id).
create or replace table mart_usage_top_customers as
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
