-- The segments active on as_of (start_date <= as_of < end_date; no end counts as active) with their pace, but those of
-- archived contracts and of balances missing from the latest contracts_balances transfer (int_segments' inactive_reason).
with params as (
  select * from meterbook_params
),
pace as (
  select p.*, coalesce(pt.patterns, []) as patterns from int_segment_pace as p
  left join int_segment_patterns as pt using (balance_id, segment_id)
),
final as (
  select
    customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id, start_date, end_date, days,
    amount_minor, elapsed_days, expected_to_date_minor, burned_to_date_minor, remaining_minor, burn_rate_pct,
    status, flags, patterns, run_rate_minor, projected_end_burn_minor, projected_exhaustion_date
  from pace, params
  where start_date <= params.as_of and (end_date is null or params.as_of < end_date) and inactive_reason is null
)
select * from final
