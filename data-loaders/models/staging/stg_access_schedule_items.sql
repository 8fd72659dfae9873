-- The commit and credit segments: each contracts_balances row's access_schedule items, parsed from JSON. The *_text
-- columns keep the raw values for the guards' messages; the runner drops them once the guards pass.
with balances as (
  select id as balance_id, customer_id, access_schedule, _file, _row from stg_contracts_balances
),
items as (
  select balance_id, customer_id, _file, _row,
    access_schedule->>'credit_type_id' as credit_type_id,
    access_schedule->>'credit_type_name' as credit_type_name,
    unnest(coalesce(json_extract(access_schedule, '$.schedule_items[*]'), []::json[])) as item,
    generate_subscripts(coalesce(json_extract(access_schedule, '$.schedule_items[*]'), []::json[]), 1) as item_index
  from balances
),
parsed as (
  select balance_id, customer_id, item->>'id' as segment_id, item_index::integer as item_index,
    coalesce(item->>'credit_type_id', credit_type_id) as credit_type_id, credit_type_name,
    item->>'date' as date_text, item->>'end_date' as end_date_text, item->>'amount' as amount_text,
    try_cast(item->>'date' as timestamptz)::timestamp as starting_at,
    try_cast(item->>'end_date' as timestamptz)::timestamp as ending_before,
    try_cast(item->>'amount' as decimal(38, 9)) as amount,
    _file, _row
  from items
),
final as (
  select * from parsed order by balance_id, item_index
)
select * from final
