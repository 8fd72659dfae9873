-- Finalized and voided invoices, plus each open invoice's latest draft snapshot taken before the day after as_of.
-- total_minor is the invoice total as Metronome reports it.
with closed as (
  select id as invoice_id, customer_id, contract_id, upper(status) as status, false as is_draft,
    start_timestamp::date as start_date, end_timestamp::date as end_date, issued_at, total as total_minor, credit_type_id,
    coalesce(invoice_label, '') as label
  from stg_invoice
),
latest_drafts as (
  select invoice_id as id, snapshot_at as snapshot_time from int_latest_draft_snapshots
  where source_table = 'draft_invoice' and invoice_id not in (select invoice_id from closed)
),
drafts as (
  select d.id as invoice_id, d.customer_id, d.contract_id, upper(d.status) as status, true as is_draft,
    d.start_timestamp::date as start_date, d.end_timestamp::date as end_date, null::timestamp as issued_at,
    d.total as total_minor, d.credit_type_id, coalesce(d.label, '') as label
  from stg_draft_invoice as d join latest_drafts as l on l.id = d.id and l.snapshot_time = d.snapshot_time
),
final as (
  select * from closed union all select * from drafts
)
select * from final
