-- Burn summed per segment and day: the one input of pace, burn_daily and exhaustion.
with lines as (
  select balance_id, segment_id, date, total_minor from int_burn_lines
),
final as (
  select balance_id, segment_id, date, sum(total_minor) as burn_minor
  from lines
  group by balance_id, segment_id, date
)
select * from final
