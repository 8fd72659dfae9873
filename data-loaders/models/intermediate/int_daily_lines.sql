-- The single source of daily money and quantity:
--   1. finalized invoice breakdowns: the latest breakdown snapshot of each invoice, voided invoices excluded;
--   2. for invoices not finalized, the LATEST draft breakdown snapshot taken before the day after as_of (each draft
--      snapshot is month-to-date, so summing snapshots would double-count);
--   3. invoices with no breakdowns at all fall back to their invoice line items, spread evenly over the days of
--      their service period [starting_at, ending_before) — for drafts only the days before the snapshot — with
--      shares that sum to the line's total exactly.
with voided as (
  select id as invoice_id from stg_invoice where upper(status) = 'VOID'
),
finalized_invoices as (
  select id as invoice_id from stg_invoice where upper(status) <> 'VOID'
),
finalized_breakdown_snapshots as (
  select invoice_id, max(snapshot_timestamp) as snapshot_timestamp
  from stg_breakdowns_invoices
  where invoice_id not in (select invoice_id from voided)
  group by invoice_id
),
closed_invoices as (
  select invoice_id from finalized_invoices
  union select invoice_id from voided
  union select invoice_id from finalized_breakdown_snapshots
),
draft_breakdown_snapshots as (
  select invoice_id, snapshot_at as snapshot_timestamp
  from int_latest_draft_snapshots
  where source_table = 'breakdowns_draft_invoices' and invoice_id not in (select invoice_id from closed_invoices)
),
chosen_breakdowns as (
  select bi.id, bi.snapshot_timestamp, bi.invoice_id, bi.customer_id, false as is_draft
  from stg_breakdowns_invoices as bi join finalized_breakdown_snapshots using (invoice_id, snapshot_timestamp)
  union all
  select bi.id, bi.snapshot_timestamp, bi.invoice_id, bi.customer_id, true as is_draft
  from stg_breakdowns_draft_invoices as bi join draft_breakdown_snapshots using (invoice_id, snapshot_timestamp)
),
breakdown_line_items as (
  select *, false as is_draft, 'breakdowns_line_items' as source_table from stg_breakdowns_line_items
  union all by name
  select *, true as is_draft, 'breakdowns_draft_line_items' as source_table from stg_breakdowns_draft_line_items
),
breakdown_lines as (
  select
    li.breakdown_start_timestamp::date as date,
    b.invoice_id, case when b.is_draft then 'draft' else 'finalized' end as invoice_state, b.customer_id,
    li.credit_type_id, li.product_id, li.name as line_name, li.billable_metric_id, li.commit_id, li.commit_segment_id, li.line_item_type,
    li.total as total_minor, li.quantity, li.source_table, li.id as source_id, li._file, li._row
  from breakdown_line_items as li
  join chosen_breakdowns as b on b.is_draft = li.is_draft and b.id = li.invoice_breakdown_id and b.snapshot_timestamp = li.snapshot_timestamp
),
-- Fallback 3: finalized invoices without breakdowns.
fallback_finalized as (
  select
    li.id as source_id, 'line_item' as source_table, i.id as invoice_id, 'finalized' as invoice_state, i.customer_id,
    li.credit_type_id, li.product_id, li.name as line_name, null::varchar as billable_metric_id, li.commit_id, li.commit_segment_id,
    coalesce(li.line_item_type, case when li.product_id is not null and upper(coalesce(i.invoice_label, '')) in ('CONTRACT_USAGE', 'USAGE') then 'ContractUsageLineItem' end) as line_item_type,
    li.total, li.quantity,
    coalesce(li.starting_at, i.start_timestamp)::date as start_date,
    coalesce(li.ending_before, i.end_timestamp)::date as end_date,
    li._file, li._row
  from stg_line_item as li
  join stg_invoice as i on i.id = li.invoice_id
  where upper(i.status) <> 'VOID' and i.id not in (select invoice_id from finalized_breakdown_snapshots)
),
-- Fallback 3, drafts: the latest draft snapshot of invoices that have neither breakdowns nor a final version.
draft_snapshots as (
  select invoice_id, snapshot_at as snapshot_time
  from int_latest_draft_snapshots
  where source_table = 'draft_invoice' and invoice_id not in (select invoice_id from closed_invoices)
    and invoice_id not in (select invoice_id from draft_breakdown_snapshots)
),
fallback_draft as (
  select
    li.id as source_id, 'draft_line_item' as source_table, d.id as invoice_id, 'draft' as invoice_state, d.customer_id,
    li.credit_type_id, li.product_id, li.name as line_name, null::varchar as billable_metric_id, li.commit_id, li.commit_segment_id,
    coalesce(li.line_item_type, case when li.product_id is not null then 'ContractUsageLineItem' end) as line_item_type,
    li.total, li.quantity,
    coalesce(li.starting_at, d.start_timestamp)::date as start_date,
    least(coalesce(li.ending_before, d.end_timestamp)::date, greatest(ds.snapshot_time::date, coalesce(li.starting_at, d.start_timestamp)::date + 1)) as end_date,
    li._file, li._row
  from stg_draft_line_item as li
  join draft_snapshots as ds on ds.invoice_id = li.invoice_id and ds.snapshot_time = li.snapshot_time
  join stg_draft_invoice as d on d.id = li.invoice_id and d.snapshot_time = li.snapshot_time
),
fallback as (
  select * from fallback_finalized union all select * from fallback_draft
),
fallback_days as (
  select f.*, greatest(f.end_date - f.start_date, 1)::integer as n, unnest(range(0, greatest(f.end_date - f.start_date, 1)::integer)) as i
  from fallback as f
  where f.start_date is not null
),
fallback_lines as (
  select
    (start_date + i::integer) as date, invoice_id, invoice_state, customer_id, credit_type_id, product_id, line_name,
    billable_metric_id, commit_id, commit_segment_id, line_item_type,
    spread_share(total, i, n) as total_minor, spread_share(quantity, i, n) as quantity,
    source_table, source_id, _file, _row
  from fallback_days
),
final as (
  select * from breakdown_lines
  union all select * from fallback_lines
)
select * from final
