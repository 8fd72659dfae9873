-- Tables Metronome documents as delivered every 24 hours (reference §1: the contract snapshots, the draft invoices)
-- whose newest transfer is older than the export's last two transfer days. Incremental tables are left out: they are
-- delivered only after a change, so an old newest transfer is not a late one. A flat export has no transfer dates.
with daily_tables as (
  select * from (values ('contracts_contracts'), ('contracts_balances'), ('draft_invoice'), ('draft_line_item')) as t(table_name)
),
transfers as (
  select * from int_export_transfers where transfer_date is not null
),
newest as (
  select table_name, max(transfer_date) as newest_date from transfers group by table_name
),
export_newest as (
  select max(transfer_date) as export_date from transfers
),
final as (
  select
    n.table_name,
    'table=' || n.table_name as example_key,
    null::varchar as customer_id,
    'newest transfer ' || strftime(n.newest_date, '%Y-%m-%d') || ', the export''s newest ' || strftime(e.export_date, '%Y-%m-%d') || ', documented every 24 h' as detail
  from newest as n
  join daily_tables using (table_name), export_newest as e
  where n.newest_date < e.export_date - 1
)
select * from final
