-- When each commit is invoiced: each contracts_balances row's invoice_schedule items, parsed from JSON.
with balances as (
  select id as balance_id, invoice_schedule, _file, _row from stg_contracts_balances where invoice_schedule is not null
),
items as (
  select balance_id, _file, _row,
    invoice_schedule->>'credit_type_id' as credit_type_id,
    unnest(coalesce(json_extract(invoice_schedule, '$.schedule_items[*]'), []::json[])) as item,
    generate_subscripts(coalesce(json_extract(invoice_schedule, '$.schedule_items[*]'), []::json[]), 1) as item_index
  from balances
),
parsed as (
  select balance_id, item->>'id' as schedule_item_id, item_index::integer as item_index, credit_type_id,
    item->>'date' as date_text, try_cast(item->>'date' as timestamptz)::timestamp as invoiced_at,
    try_cast(item->>'amount' as decimal(38, 9)) as amount, item->>'invoice_id' as invoice_id, _file, _row
  from items
),
final as (
  select * from parsed order by balance_id, item_index
)
select * from final
