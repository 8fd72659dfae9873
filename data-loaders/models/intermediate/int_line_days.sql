-- Every invoice line × day, before classification (int_daily_lines adds each line's category). Each invoice comes
-- by the one path int_invoice_daily_sources chose for it (docs/metrics.md, "Daily figures"):
--   1. breakdowns: a finalized invoice's latest breakdown snapshot; for an invoice not finalized, the LATEST draft
--      breakdown snapshot taken before the day after as_of (each draft snapshot is month-to-date, so summing
--      snapshots would double-count);
--   2. draft history: invoices without breakdowns but with daily draft snapshots (int_draft_history_lines);
--   3. even spread: finalized invoices with neither, their line items spread evenly over the days of their service
--      period [starting_at, ending_before), with shares that sum to the line's total exactly.
with sources as (
  select * from int_invoice_daily_sources
),
chosen_breakdowns as (
  select bi.id, bi.snapshot_timestamp, bi.invoice_id, bi.customer_id, false as is_draft
  from stg_breakdowns_invoices as bi
  join sources as s on s.invoice_id = bi.invoice_id and s.snapshot_at = bi.snapshot_timestamp
  where s.daily_source = 'breakdowns' and s.invoice_state = 'finalized'
  union all
  select bi.id, bi.snapshot_timestamp, bi.invoice_id, bi.customer_id, true as is_draft
  from stg_breakdowns_draft_invoices as bi
  join sources as s on s.invoice_id = bi.invoice_id and s.snapshot_at = bi.snapshot_timestamp
  where s.daily_source = 'breakdowns' and s.invoice_state = 'draft'
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
-- Path 3: finalized invoices with neither breakdowns nor draft history.
fallback as (
  select
    li.id as source_id, 'line_item' as source_table, i.id as invoice_id, 'finalized' as invoice_state, i.customer_id,
    li.credit_type_id, li.product_id, li.name as line_name, null::varchar as billable_metric_id, li.commit_id, li.commit_segment_id,
    li.line_item_type,
    li.total, li.quantity,
    coalesce(li.starting_at, i.start_timestamp)::date as start_date,
    coalesce(li.ending_before, i.end_timestamp)::date as end_date,
    li._file, li._row
  from stg_line_item as li
  join stg_invoice as i on i.id = li.invoice_id
  where i.id in (select invoice_id from sources where daily_source = 'even_spread')
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
  select *, 'breakdowns' as daily_source from breakdown_lines
  union all by name select *, 'draft_history' as daily_source from int_draft_history_lines
  union all by name select *, 'even_spread' as daily_source from fallback_lines
)
select * from final
