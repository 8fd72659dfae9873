-- A draft is month-to-date and Metronome snapshots it again and again: the figures as of the snapshot date are the
-- LATEST snapshot taken before the day after as_of, never a sum of snapshots. Written once here for both draft
-- tables (draft invoices, and draft invoice breakdowns); each reader excludes the invoices it knows as closed.
with params as (
  select * from meterbook_params
),
draft_invoices as (
  select 'draft_invoice' as source_table, id as invoice_id, snapshot_time as snapshot_at from stg_draft_invoice
),
draft_breakdowns as (
  select 'breakdowns_draft_invoices' as source_table, invoice_id, snapshot_timestamp as snapshot_at from stg_breakdowns_draft_invoices
),
snapshots as (
  select * from draft_invoices union all select * from draft_breakdowns
),
final as (
  select s.source_table, s.invoice_id, max(s.snapshot_at) as snapshot_at
  from snapshots as s, params
  where s.snapshot_at < params.as_of + interval 1 day
  group by s.source_table, s.invoice_id
)
select * from final
