-- Usage backdated into days already reported: in the draft breakdowns, a day's amount for one invoice × product ×
-- commit/segment that changed between two consecutive snapshots of the invoice, the later one taken in the 48 hours
-- before as_of or on the as_of day (the snapshots the figures read). A day is reported in a snapshot once it ended
-- before the snapshot was taken; the day in progress grows by design and is left out. Draft invoices without
-- breakdowns hold one total per line and snapshot, not per day, so the draft history cannot show it.
with params as (
  select * from meterbook_params
),
snapshots as (
  select distinct bi.invoice_id, bi.snapshot_timestamp as snapshot_at
  from stg_breakdowns_draft_invoices as bi, params
  where bi.snapshot_timestamp < params.as_of + interval 1 day
),
consecutive as (
  select invoice_id, snapshot_at, lag(snapshot_at) over (partition by invoice_id order by snapshot_at) as previous_at
  from snapshots
),
recent_pairs as (
  select c.*
  from consecutive as c, params
  where c.previous_at is not null and c.snapshot_at >= params.as_of - interval 48 hour
),
breakdown_days as (
  select bi.invoice_id, bi.customer_id, bi.credit_type_name, bi.snapshot_timestamp as snapshot_at,
    li.product_id, li.commit_id, li.commit_segment_id, li.breakdown_start_timestamp::date as date,
    max(li.breakdown_end_timestamp) as day_end, sum(li.total) as total_minor
  from stg_breakdowns_draft_line_items as li
  join stg_breakdowns_draft_invoices as bi on bi.id = li.invoice_breakdown_id and bi.snapshot_timestamp = li.snapshot_timestamp
  where bi.invoice_id in (select invoice_id from recent_pairs)
  group by all
),
earlier as (
  select p.invoice_id, p.snapshot_at as later_at, p.previous_at, d.customer_id, d.credit_type_name,
    d.product_id, d.commit_id, d.commit_segment_id, d.date, d.day_end, d.total_minor
  from recent_pairs as p
  join breakdown_days as d on d.invoice_id = p.invoice_id and d.snapshot_at = p.previous_at
),
later as (
  select p.invoice_id, p.snapshot_at as later_at, p.previous_at, d.customer_id, d.credit_type_name,
    d.product_id, d.commit_id, d.commit_segment_id, d.date, d.day_end, d.total_minor
  from recent_pairs as p
  join breakdown_days as d on d.invoice_id = p.invoice_id and d.snapshot_at = p.snapshot_at
),
compared as (
  select
    coalesce(e.invoice_id, l.invoice_id) as invoice_id,
    coalesce(e.customer_id, l.customer_id) as customer_id,
    coalesce(e.credit_type_name, l.credit_type_name) as credit_type_name,
    coalesce(e.product_id, l.product_id) as product_id,
    coalesce(e.commit_id, l.commit_id) as commit_id,
    coalesce(e.commit_segment_id, l.commit_segment_id) as commit_segment_id,
    coalesce(e.date, l.date) as date,
    coalesce(e.day_end, l.day_end) as day_end,
    coalesce(e.previous_at, l.previous_at) as previous_at,
    coalesce(e.later_at, l.later_at) as later_at,
    coalesce(e.total_minor, 0) as before_minor,
    coalesce(l.total_minor, 0) as after_minor
  from earlier as e
  full join later as l
    on l.invoice_id = e.invoice_id and l.later_at = e.later_at and l.date = e.date
    and l.product_id is not distinct from e.product_id
    and l.commit_id is not distinct from e.commit_id
    and l.commit_segment_id is not distinct from e.commit_segment_id
),
changed as (
  select * from compared where day_end <= previous_at and before_minor <> after_minor
),
final as (
  select
    'breakdowns_draft_line_items' as table_name,
    'invoice_id=' || invoice_id || coalesce(', product_id=' || product_id, '') || coalesce(', commit_id=' || commit_id, '')
      || coalesce(', commit_segment_id=' || commit_segment_id, '') || ', date=' || strftime(date, '%Y-%m-%d') as example_key,
    customer_id,
    'snapshot ' || strftime(previous_at, '%Y-%m-%d %H:%M') || ' ' || minor_text(before_minor)
      || ', snapshot ' || strftime(later_at, '%Y-%m-%d %H:%M') || ' ' || minor_text(after_minor)
      || ', change ' || minor_text(after_minor - before_minor) || coalesce(' ' || credit_type_name, '') as detail
  from changed
)
select * from final
