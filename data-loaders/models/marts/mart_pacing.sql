-- The segments active on as_of (start_date <= as_of < end_date; no end counts as active) with their pace, but those of
-- archived contracts and of balances missing from the latest contracts_balances transfer (int_segments' inactive_reason).
with params as (
  select * from meterbook_params
),
pace as (
  select p.*, coalesce(pt.patterns, []) as patterns from int_segment_pace as p
  left join int_segment_patterns as pt using (balance_id, segment_id)
),
forecast as (
  -- Forecast v2 (docs/metrics.md, "Forecast v2"): estimates, rounded to whole minor units.
  select balance_id, segment_id, 100 * exhaust_probability as exhaust_chance_pct,
    round(end_burn_p10_minor)::decimal(38, 9) as forecast_end_burn_p10_minor,
    round(end_burn_p50_minor)::decimal(38, 9) as forecast_end_burn_p50_minor,
    round(end_burn_p90_minor)::decimal(38, 9) as forecast_end_burn_p90_minor,
    exhaustion_date_p10 as forecast_exhaustion_p10_date,
    exhaustion_date_p50 as forecast_exhaustion_p50_date,
    exhaustion_date_p90 as forecast_exhaustion_p90_date,
    round(projected_true_up_minor)::decimal(38, 9) as projected_true_up_minor,
    round(projected_breakage_minor)::decimal(38, 9) as projected_breakage_minor
  from int_forecast_segments
),
final as (
  select
    customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id, start_date, end_date, days,
    amount_minor, elapsed_days, expected_to_date_minor, burned_to_date_minor, remaining_minor, burn_rate_pct,
    status, flags, patterns, run_rate_minor, projected_end_burn_minor, projected_exhaustion_date,
    f.exhaust_chance_pct, f.forecast_end_burn_p10_minor, f.forecast_end_burn_p50_minor, f.forecast_end_burn_p90_minor,
    f.forecast_exhaustion_p10_date, f.forecast_exhaustion_p50_date, f.forecast_exhaustion_p90_date,
    f.projected_true_up_minor, f.projected_breakage_minor
  from pace left join forecast as f using (balance_id, segment_id), params
  where start_date <= params.as_of and (end_date is null or params.as_of < end_date) and inactive_reason is null
)
select * from final
