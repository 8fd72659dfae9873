-- Segments whose start or end is not at a UTC midnight: Meterbook counts segment days by UTC date.
with items as (
  select * from stg_access_schedule_items
),
off_midnight as (
  select *,
    starting_at <> date_trunc('day', starting_at) as starts_off,
    coalesce(ending_before <> date_trunc('day', ending_before), false) as ends_off
  from items
),
final as (
  select
    'contracts_balances' as table_name,
    'balance_id=' || balance_id || ', segment_id=' || segment_id as example_key,
    customer_id,
    concat_ws(', ',
      case when starts_off then 'starts ' || strftime(starting_at, '%Y-%m-%d %H:%M:%S') || ' UTC' end,
      case when ends_off then 'ends ' || strftime(ending_before, '%Y-%m-%d %H:%M:%S') || ' UTC' end
    ) as detail
  from off_midnight
  where starts_off or ends_off
)
select * from final
