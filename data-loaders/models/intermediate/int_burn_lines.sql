-- The burn lines attributed to a segment: what pace and burn are computed from.
with attributed as (
  select * from int_burn_attribution where segment_id is not null
),
final as (
  select * from attributed
)
select * from final
