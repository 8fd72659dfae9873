-- Each segment's days: burn and cumulative burn before as_of, the expected pace, and the forecast from as_of on.
-- Segments with no end run to as_of.
with params as (
  select * from meterbook_params
),
spine as (
  select p.*, unnest(range(0, coalesce(p.days, p.elapsed_days))) as day_index
  from int_segment_pace as p
),
days as (
  select s.*, (s.start_date + s.day_index::integer) as date from spine as s
),
joined as (
  select d.*, coalesce(b.burn_minor, 0)::decimal(38, 9) as burn_all_minor
  from days as d
  left join int_segment_burn_days as b on b.balance_id = d.balance_id and b.segment_id = d.segment_id and b.date = d.date
),
v2 as (
  select * from int_forecast_daily
),
cumulative as (
  select *, sum(burn_all_minor) over (partition by balance_id, segment_id order by date rows between unbounded preceding and current row) as cumulative_all_minor
  from joined
),
final as (
  select
    c.customer_id, c.contract_id, c.balance_id, c.segment_id, c.credit_type_id, c.date,
    case when c.date < params.as_of then c.burn_all_minor end as burn_minor,
    case when c.date < params.as_of then c.cumulative_all_minor::decimal(38, 9) end as cumulative_burn_minor,
    case when c.days is not null then exact_div(c.amount_minor * (c.day_index + 1), c.days) end as expected_cumulative_minor,
    case when c.date >= params.as_of and c.run_rate_minor is not null
      then (c.burned_to_date_minor + c.run_rate_minor * (c.date - params.as_of + 1))::decimal(38, 9) end as forecast_cumulative_minor,
    -- Forecast v2's band (docs/metrics.md, "Forecast v2"), whole minor units; null before as_of and where v2 has no forecast.
    round(v.p10_cumulative_minor)::decimal(38, 9) as forecast_p10_cumulative_minor,
    round(v.p50_cumulative_minor)::decimal(38, 9) as forecast_p50_cumulative_minor,
    round(v.p90_cumulative_minor)::decimal(38, 9) as forecast_p90_cumulative_minor,
    -- Pace at the end of the day, as mart_pacing's status would say on the next day: the same exact fraction
    -- (100·cumulative·days against amount·day number) and the same thresholds. Null from as_of on, with no end, or
    -- with nothing expected.
    case when c.date < params.as_of and c.days is not null and c.amount_minor * (c.day_index + 1) > 0
      then pace_status(100 * c.cumulative_all_minor * c.days, c.amount_minor * (c.day_index + 1)) end as pace_status
  from cumulative as c
  cross join params
  left join v2 as v on v.balance_id = c.balance_id and v.segment_id = c.segment_id and v.date = c.date
)
select * from final
