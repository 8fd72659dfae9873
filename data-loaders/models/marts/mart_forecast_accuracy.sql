-- How good both forecasts were, replayed over the export's past (docs/metrics.md, "Forecast accuracy"): the backtest's
-- scored pairs (int_forecast_backtest) summed per method × horizon, for all segments, per balance type and per
-- segment age at the origin. Exhaustion figures are judged at the segment's end only.
with pairs as (
  -- Burn as exact decimals (to 10⁻⁶ minor units) before it is summed: sums of doubles depend on the order DuckDB's
  -- threads add them in, and the mart must be the same on every run.
  select * replace (actual_minor::decimal(38, 6) as actual_minor, forecast_minor::decimal(38, 6) as forecast_minor),
    case when p10_minor is not null then (actual_minor >= p10_minor and actual_minor <= p90_minor)::integer end as is_covered,
    case when segment_age_days < 30 then '0-29 days' when segment_age_days < 90 then '30-89 days' else '90+ days' end as age_bucket,
    origin_date + horizon_days as horizon_end_date
  from int_forecast_backtest
),
sliced as (
  select *, 'all' as slice_kind, 'all' as slice from pairs
  union all by name
  select *, 'balance_type' as slice_kind, balance_type as slice from pairs
  union all by name
  select *, 'segment_age' as slice_kind, age_bucket as slice from pairs
),
scored as (
  select
    method, horizon, slice_kind, slice,
    any_value(case horizon when '7d' then 1 when '30d' then 2 when '90d' then 3 else 4 end)::integer as horizon_rank,
    count(distinct origin_date)::integer as origins,
    count(*)::integer as pairs,
    sum(actual_minor) as actual_minor,
    sum(forecast_minor) as forecast_minor,
    sum(abs(forecast_minor - actual_minor)) as absolute_error_minor,
    avg(is_covered) as coverage_p10_p90,
    count(*) filter (where actual_exhausts is not null)::integer as exhaustion_judged,
    avg(abs(coalesce(forecast_exhaustion_date, horizon_end_date) - actual_exhaustion_date)) filter (where actual_exhausts) as exhaustion_mae_days,
    count(*) filter (where forecast_exhausts and actual_exhausts) as true_positives,
    count(*) filter (where forecast_exhausts) as predicted_exhausts,
    count(*) filter (where actual_exhausts) as actual_exhausts
  from sliced
  group by method, horizon, slice_kind, slice
),
final as (
  select
    method, horizon, slice_kind, slice, horizon_rank, origins, pairs, actual_minor, forecast_minor,
    100 * absolute_error_minor::double / nullif(actual_minor, 0)::double as wape_pct,
    100 * (forecast_minor - actual_minor)::double / nullif(actual_minor, 0)::double as bias_pct,
    100 * coverage_p10_p90 as coverage_p10_p90_pct,
    exhaustion_judged,
    exhaustion_mae_days,
    100 * true_positives / nullif(predicted_exhausts, 0) as exhaustion_precision_pct,
    100 * true_positives / nullif(actual_exhausts, 0) as exhaustion_recall_pct
  from scored
)
select * from final
