-- How fresh each export table is (docs/data-health.md, "Freshness"): its files, staged rows and transfer dates against
-- the export's newest transfer and the cadence Metronome documents for it (reference §1): incremental tables (every
-- 2-4 h, only after a change: an old newest transfer is not a late one), daily snapshots (every 24 h: more than a day
-- behind the export is stale, as the stale_table finding says), and the breakdowns, whose cadence is undocumented.
-- One row per table Meterbook reads, found or absent; a flat export has no transfer dates.
with cadences as (
  select * from (values
    ('customer', 'incremental'), ('product', 'incremental'), ('billable_metric', 'incremental'), ('credit_type', 'incremental'),
    ('contracts_contracts', 'daily_snapshot'), ('contracts_balances', 'daily_snapshot'),
    ('invoice', 'incremental'), ('line_item', 'incremental'),
    ('draft_invoice', 'daily_snapshot'), ('draft_line_item', 'daily_snapshot'),
    ('breakdowns_invoices', 'undocumented'), ('breakdowns_line_items', 'undocumented'),
    ('breakdowns_draft_invoices', 'undocumented'), ('breakdowns_draft_line_items', 'undocumented')
  ) as t(table_name, cadence)
),
staged_rows as (
  select 'customer' as table_name, count(*) as row_count from stg_customer
  union all select 'product', count(*) from stg_product
  union all select 'billable_metric', count(*) from stg_billable_metric
  union all select 'credit_type', count(*) from stg_credit_type
  union all select 'contracts_contracts', count(*) from stg_contracts_contracts
  union all select 'contracts_balances', count(*) from stg_contracts_balances
  union all select 'invoice', count(*) from stg_invoice
  union all select 'line_item', count(*) from stg_line_item
  union all select 'draft_invoice', count(*) from stg_draft_invoice
  union all select 'draft_line_item', count(*) from stg_draft_line_item
  union all select 'breakdowns_invoices', count(*) from stg_breakdowns_invoices
  union all select 'breakdowns_line_items', count(*) from stg_breakdowns_line_items
  union all select 'breakdowns_draft_invoices', count(*) from stg_breakdowns_draft_invoices
  union all select 'breakdowns_draft_line_items', count(*) from stg_breakdowns_draft_line_items
),
transfers as (
  select table_name, count(*) as file_count, min(transfer_date) as first_transfer_date, max(transfer_date) as newest_transfer_date
  from int_export_transfers
  group by all
),
export_newest as (
  select max(transfer_date) as export_newest_transfer_date from int_export_transfers
),
joined as (
  select c.table_name, c.cadence, t.table_name is not null as is_present, coalesce(t.file_count, 0)::integer as file_count,
    coalesce(r.row_count, 0)::bigint as row_count, t.first_transfer_date, t.newest_transfer_date, e.export_newest_transfer_date,
    (e.export_newest_transfer_date - t.newest_transfer_date)::integer as days_behind_export
  from cadences as c
  cross join export_newest as e
  left join transfers as t using (table_name)
  left join staged_rows as r using (table_name)
),
final as (
  select *,
    case
      when not is_present then 'absent'
      when newest_transfer_date is null then 'no_transfer_dates'
      when cadence <> 'daily_snapshot' then 'not_judged'
      when days_behind_export > 1 then 'stale'
      else 'current'
    end as freshness_status
  from joined
)
select * from final
