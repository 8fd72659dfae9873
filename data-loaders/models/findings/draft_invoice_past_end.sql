-- Invoices the export holds only as drafts (not finalized, not voided) whose service period ended more than a day
-- before as_of. The end and customer come from the invoice's latest draft snapshot, in either draft table.
with params as (
  select * from meterbook_params
),
open_invoices as (
  select invoice_id from int_invoice_daily_sources where invoice_state = 'draft'
),
latest as (
  select * from int_latest_draft_snapshots
),
drafts as (
  select 'draft_invoice' as table_name, d.id as invoice_id, d.customer_id, d.end_timestamp as end_at, d.snapshot_time as snapshot_at
  from stg_draft_invoice as d
  join latest as l on l.source_table = 'draft_invoice' and l.invoice_id = d.id and l.snapshot_at = d.snapshot_time
  union all
  select 'breakdowns_draft_invoices', b.invoice_id, b.customer_id, b.invoice_end_timestamp, b.snapshot_timestamp
  from stg_breakdowns_draft_invoices as b
  join latest as l on l.source_table = 'breakdowns_draft_invoices' and l.invoice_id = b.invoice_id and l.snapshot_at = b.snapshot_timestamp
),
past_end as (
  select min(d.table_name) as table_name, d.invoice_id, any_value(d.customer_id) as customer_id, max(d.end_at) as end_at, max(d.snapshot_at) as snapshot_at
  from drafts as d
  where d.invoice_id in (select invoice_id from open_invoices)
  group by d.invoice_id
),
final as (
  select
    p.table_name,
    'invoice_id=' || p.invoice_id as example_key,
    p.customer_id,
    'period ended ' || strftime(p.end_at, '%Y-%m-%d') || ', latest draft snapshot ' || strftime(p.snapshot_at, '%Y-%m-%d') as detail
  from past_end as p, params
  where p.end_at < (params.as_of - 1)::timestamp
)
select * from final
