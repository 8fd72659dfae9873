-- The usage patterns of each segment (docs/metrics.md, "Usage patterns"): shapes of its daily burn over the complete
-- days before as_of — every elapsed day, 0 where nothing burned — judged with the thresholds of
-- meterbook_pattern_params (config `patterns`). Burn is compared as double: these are flags, not money.
with t as (
  select * from meterbook_pattern_params
),
pace as (
  select balance_id, segment_id, start_date, days, elapsed_days, remaining_minor, run_rate_minor, projected_exhaustion_date
  from int_segment_pace
),
day_index as (
  select balance_id, segment_id, unnest(range(elapsed_days)) as i from pace
),
daily as (
  select x.balance_id, x.segment_id, x.i::integer as i, p.elapsed_days, coalesce(d.burn_minor, 0)::double as burn
  from day_index as x
  join pace as p on p.balance_id = x.balance_id and p.segment_id = x.segment_id
  left join int_segment_burn_days as d on d.balance_id = x.balance_id and d.segment_id = x.segment_id and d.date = p.start_date + x.i::integer
),
segment_median as (
  select balance_id, segment_id, median(burn) as median_burn from daily group by balance_id, segment_id
),
early_spike as (
  -- A day of the first early_days burning ≥ early_spike_factor × the segment's median day (a week seen at least),
  -- whose level did not stay: the median of the (up to 14) days after it is below burn / early_spike_factor. A spike on
  -- the last complete day is judged the day after.
  select balance_id, segment_id
  from (
    select d.*, m.median_burn,
      median(d.burn) over (partition by d.balance_id, d.segment_id order by d.i rows between 1 following and 14 following) as after_median
    from daily as d join segment_median as m using (balance_id, segment_id)
  ), t
  where elapsed_days >= 7 and i < t.early_days and median_burn > 0
    and burn >= t.early_spike_factor * median_burn and after_median is not null and after_median * t.early_spike_factor < burn
  group by balance_id, segment_id
),
recent as (
  -- The last spike_window_days elapsed days (at least half of them seen), with that window's median day.
  select d.*, median(d.burn) over (partition by d.balance_id, d.segment_id) as window_median
  from daily as d, t
  where d.i >= d.elapsed_days - t.spike_window_days and d.elapsed_days * 2 >= t.spike_window_days
),
spikes as (
  select *, window_median > 0 and burn >= t.spike_factor * window_median as is_spike from recent, t
),
spike_and_drop as (
  -- Drops: a day that is no spike after a day that was; at least spike_episodes of them.
  select balance_id, segment_id
  from (
    select balance_id, segment_id, is_spike, lag(is_spike) over (partition by balance_id, segment_id order by i) as was_spike from spikes
  ), t
  group by balance_id, segment_id, t.spike_episodes
  having count(*) filter (where was_spike and not is_spike) >= t.spike_episodes
),
weeks as (
  -- Whole weeks counted back from as_of: week 0 is the last 7 elapsed days.
  select balance_id, segment_id, ((elapsed_days - 1 - i) // 7)::integer as week_ago, sum(burn) as burn
  from daily
  group by all
  having count(*) = 7
),
stable as (
  -- The last 4 weeks' burn: mean > 0 and coefficient of variation ≤ stable_cv.
  select balance_id, segment_id
  from weeks, t
  where week_ago < 4
  group by balance_id, segment_id, t.stable_cv
  having count(*) = 4 and avg(burn) > 0 and stddev_pop(burn) <= t.stable_cv * avg(burn)
),
growth as (
  -- The last growth_weeks weeks: weekly burn on a line rising ≥ growth_per_week × its mean a week, R² ≥ growth_r2.
  select balance_id, segment_id
  from weeks, t
  where week_ago < t.growth_weeks
  group by balance_id, segment_id, t.growth_weeks, t.growth_per_week, t.growth_r2
  having count(*) = t.growth_weeks and avg(burn) > 0
    and regr_slope(burn, -week_ago) >= t.growth_per_week * avg(burn) and regr_r2(burn, -week_ago) >= t.growth_r2
),
final as (
  select p.balance_id, p.segment_id,
    list_filter([
      case when e.balance_id is not null then 'early_spike' end,
      case when s.balance_id is not null then 'spike_and_drop' end,
      -- Stable, and the run rate exhausts it before its end (not exhausted yet).
      case when st.balance_id is not null and p.projected_exhaustion_date is not null and p.remaining_minor > 0 then 'expansion_candidate' end,
      case when g.balance_id is not null then 'gradual_growth' end,
      -- Late in the term, and at the run rate less than breakage_use_share of the remainder gets used.
      case when p.days is not null and p.elapsed_days < p.days and p.elapsed_days >= t.breakage_late_share * p.days and p.remaining_minor > 0
        and p.run_rate_minor is not null and p.run_rate_minor::double * (p.days - p.elapsed_days) < t.breakage_use_share * p.remaining_minor::double
        then 'likely_breakage' end
    ], f -> f is not null) as patterns
  from pace as p
  cross join t
  left join early_spike as e on e.balance_id = p.balance_id and e.segment_id = p.segment_id
  left join spike_and_drop as s on s.balance_id = p.balance_id and s.segment_id = p.segment_id
  left join stable as st on st.balance_id = p.balance_id and st.segment_id = p.segment_id
  left join growth as g on g.balance_id = p.balance_id and g.segment_id = p.segment_id
)
select * from final
