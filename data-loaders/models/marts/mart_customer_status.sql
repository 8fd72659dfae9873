-- mart_customer_status — grain: customer with at least one segment active on as_of. A customer's status is its worst
-- active segment's: over, else under, else on track.
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
