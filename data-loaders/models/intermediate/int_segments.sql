-- start_date is the UTC date of the item's `date`; end_date the UTC date of `end_date`, EXCLUSIVE (the API's
-- ending_before). days = end_date - start_date; null when the segment has no end. A prepaid commit with no invoice
-- schedule items is a free commit. inactive_reason says why a segment is left out of pacing although its dates are
-- active: its contract is archived (on or before as_of), or its balance is missing from the latest transfer day of
-- contracts_balances, a daily snapshot listing every balance (so the balance was removed in Metronome).
with params as (
  select * from meterbook_params
),
latest_transfer as (
  -- Every file of the table's newest transfer day: a snapshot may come in parts, and a retried transfer of an earlier
  -- snapshot can land that day too, after the day's own (its rows are older versions; the day's own rows win).
  select file_id from int_export_transfers where table_name = 'contracts_balances'
  qualify dense_rank() over (order by transfer_date desc nulls last) = 1
),
archived_contracts as (
  select c.id as contract_id from stg_contracts_contracts as c, params where c.archived_at::date <= params.as_of
),
balances as (
  select id as balance_id, customer_id, contract_id, lower(type) as type, name as balance_name, invoice_schedule,
    case
      when contract_id in (select contract_id from archived_contracts) then 'contract_archived'
      when _file not in (select file_id from latest_transfer) then 'absent_from_latest_snapshot'
    end as inactive_reason
  from stg_contracts_balances
),
invoice_items as (
  select balance_id, count(*) as invoice_items from stg_invoice_schedule_items group by balance_id
),
items as (
  select * from stg_access_schedule_items
),
final as (
  select
    b.customer_id,
    b.contract_id,
    b.balance_id,
    i.segment_id,
    case when b.type = 'prepaid' and coalesce(ii.invoice_items, 0) = 0 then 'free_commit' else b.type end as balance_type,
    b.balance_name,
    i.credit_type_id,
    i.starting_at::date as start_date,
    i.ending_before::date as end_date,
    (i.ending_before::date - i.starting_at::date)::integer as days,
    i.amount as amount_minor,
    b.inactive_reason,
    i._file,
    i._row
  from items as i
  join balances as b on b.balance_id = i.balance_id
  left join invoice_items as ii on ii.balance_id = b.balance_id
)
select * from final
