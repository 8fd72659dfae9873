-- mart_revenue_month_to_date — grain: credit type with any revenue before as_of. Revenue of as_of's month so far,
-- [month_start, as_of), against the same number of days from the start of the previous month, capped at that
-- month's end.
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
