-- The pace figures of docs/metrics.md, for every segment (pacing keeps the active ones). Money stays exact: expected and run rate use exact_div; status and flags compare exact
-- cross-products (100·burned·days against threshold·amount·elapsed) so 80 % and 110 % land exactly on track.
with params as (
  select * from meterbook_params
),
segments as (
  select s.*,
    case
      when s.days is null then greatest(params.as_of - s.start_date, 0)
      else least(greatest(params.as_of - s.start_date, 0), s.days)
    end::integer as elapsed_days
  from int_segments as s, params
),
windows as (
  -- The run-rate window: the last min(30, elapsed_days) days of the elapsed part of the segment.
  select *, least(30, elapsed_days)::integer as rate_days from segments
),
burned as (
  select w.balance_id, w.segment_id,
    coalesce(sum(d.burn_minor) filter (where d.date >= w.start_date and d.date < w.start_date + w.elapsed_days), 0)::decimal(38, 9) as burned_to_date_minor,
    coalesce(sum(d.burn_minor) filter (where d.date >= w.start_date + w.elapsed_days - w.rate_days and d.date < w.start_date + w.elapsed_days), 0)::decimal(38, 9) as rate_window_burn_minor
  from windows as w
  left join int_segment_burn_days as d on d.balance_id = w.balance_id and d.segment_id = w.segment_id
  group by w.balance_id, w.segment_id
),
exhausted as (
  -- The first day cumulative burn reached the amount, before as_of.
  select balance_id, segment_id, min(date) as exhausted_date
  from (
    select d.balance_id, d.segment_id, d.date, w.amount_minor,
      sum(d.burn_minor) over (partition by d.balance_id, d.segment_id order by d.date) as cumulative
    from int_segment_burn_days as d
    join windows as w on w.balance_id = d.balance_id and w.segment_id = d.segment_id
    where d.date >= w.start_date and d.date < w.start_date + w.elapsed_days
  )
  where cumulative >= amount_minor
  group by balance_id, segment_id
),
figures as (
  select w.*, b.burned_to_date_minor,
    case when w.days is not null then exact_div(w.amount_minor * w.elapsed_days, w.days) end as expected_to_date_minor,
    (w.amount_minor - b.burned_to_date_minor)::decimal(38, 9) as remaining_minor,
    case when w.rate_days > 0 then exact_div(b.rate_window_burn_minor, w.rate_days) end as run_rate_minor,
    -- burn rate as an exact fraction: 100·burned·days / (amount·elapsed); null when expected is 0 (or no end).
    case when w.days is not null and w.amount_minor * w.elapsed_days > 0 then 100 * b.burned_to_date_minor * w.days end as pct_numerator,
    case when w.days is not null and w.amount_minor * w.elapsed_days > 0 then w.amount_minor * w.elapsed_days end as pct_denominator,
    e.exhausted_date
  from windows as w
  join burned as b using (balance_id, segment_id)
  left join exhausted as e using (balance_id, segment_id)
),
projected as (
  select
    customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id,
    start_date, end_date, days, amount_minor, elapsed_days, expected_to_date_minor, burned_to_date_minor,
    remaining_minor, inactive_reason,
    (pct_numerator::double / pct_denominator::double) as burn_rate_pct,
    pace_status(pct_numerator, pct_denominator) as status,
    list_filter([
      case when elapsed_days <= 7 and pct_numerator >= 300 * pct_denominator then 'week1_spike' end,
      case when elapsed_days < 90 and pct_numerator > 150 * pct_denominator then 'unsustainable' end,
      case when elapsed_days >= 60 and pct_numerator < 50 * pct_denominator then 'adoption_risk' end,
      case when remaining_minor < 0 then 'negative_balance' end
    ], f -> f is not null) as flags,
    run_rate_minor,
    case when days is not null and run_rate_minor is not null then burned_to_date_minor + run_rate_minor * (days - elapsed_days) end as projected_end_burn_minor,
    case
      when exhausted_date is not null then exhausted_date
      when run_rate_minor > 0 and remaining_minor > 0 then (
        -- k = the least whole number of days with run_rate·k ≥ remaining, in exact integers.
        start_date + elapsed_days - 1 + (((remaining_minor * 1000000000)::hugeint + (run_rate_minor * 1000000000)::hugeint - 1) // (run_rate_minor * 1000000000)::hugeint)::integer
      )
    end as exhaustion_candidate
  from figures
),
final as (
  select * exclude (exhaustion_candidate),
    case when exhaustion_candidate is not null and (end_date is null or exhaustion_candidate < end_date) then exhaustion_candidate end as projected_exhaustion_date
  from projected
)
select * from final

