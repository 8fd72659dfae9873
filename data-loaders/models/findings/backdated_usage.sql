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
-- The two snapshots of each recent pair, and only those: a draft's earlier snapshots are most of its rows.
pair_snapshots as (
  select invoice_id, snapshot_at from recent_pairs
  union
  select invoice_id, previous_at from recent_pairs
),
-- A day's amount per invoice line (invoice × product × commit × segment) and snapshot, summed by the 64-bit hash of
-- the line's ids: a fixed-width aggregate over millions of draft lines spills under the memory budget, where grouping
-- them by four strings ran out of it. The ids come back below, for the few days that changed. (Before, the customer
-- and credit type name were grouped too; one invoice's breakdowns of one snapshot name one of each.)
breakdown_days as (
  select hash(bi.invoice_id) as invoice_hash, hash(bi.invoice_id, li.product_id, li.commit_id, li.commit_segment_id) as line_hash,
    bi.snapshot_timestamp as snapshot_at, li.breakdown_start_timestamp::date as date,
    max(li.breakdown_end_timestamp) as day_end, sum(li.total) as total_minor
  from stg_breakdowns_draft_line_items as li
  join stg_breakdowns_draft_invoices as bi on bi.id = li.invoice_breakdown_id and bi.snapshot_timestamp = li.snapshot_timestamp
  join pair_snapshots as ps on ps.invoice_id = bi.invoice_id and ps.snapshot_at = bi.snapshot_timestamp
  group by all
),
hashed_pairs as (
  select hash(invoice_id) as invoice_hash, snapshot_at, previous_at from recent_pairs
),
earlier as (
  select p.invoice_hash, p.snapshot_at as later_at, p.previous_at, d.line_hash, d.date, d.day_end, d.total_minor
  from hashed_pairs as p
  join breakdown_days as d on d.invoice_hash = p.invoice_hash and d.snapshot_at = p.previous_at
),
later as (
  select p.invoice_hash, p.snapshot_at as later_at, p.previous_at, d.line_hash, d.date, d.day_end, d.total_minor
  from hashed_pairs as p
  join breakdown_days as d on d.invoice_hash = p.invoice_hash and d.snapshot_at = p.snapshot_at
),
compared as (
  select
    coalesce(e.line_hash, l.line_hash) as line_hash,
    coalesce(e.date, l.date) as date,
    coalesce(e.day_end, l.day_end) as day_end,
    coalesce(e.previous_at, l.previous_at) as previous_at,
    coalesce(e.later_at, l.later_at) as later_at,
    coalesce(e.total_minor, 0) as before_minor,
    coalesce(l.total_minor, 0) as after_minor
  from earlier as e
  full join later as l
    on l.invoice_hash = e.invoice_hash and l.later_at = e.later_at and l.line_hash = e.line_hash and l.date = e.date
),
changed_days as (
  select * from compared where day_end <= previous_at and before_minor <> after_minor
),
-- The ids of the lines whose amount changed (few), one row per line: its customer and credit type as of its earliest
-- snapshot compared (before, a day's row took the earlier snapshot's). A 64-bit hash shared by two lines would have
-- merged their amounts in breakdown_days and would list both lines' ids against them; these are findings, not
-- figures, and no figure reads them.
line_ids as (
  select hash(bi.invoice_id, li.product_id, li.commit_id, li.commit_segment_id) as line_hash,
    bi.invoice_id, li.product_id, li.commit_id, li.commit_segment_id,
    arg_min(bi.customer_id, bi.snapshot_timestamp) as customer_id, arg_min(bi.credit_type_name, bi.snapshot_timestamp) as credit_type_name
  from stg_breakdowns_draft_line_items as li
  join stg_breakdowns_draft_invoices as bi on bi.id = li.invoice_breakdown_id and bi.snapshot_timestamp = li.snapshot_timestamp
  join pair_snapshots as ps on ps.invoice_id = bi.invoice_id and ps.snapshot_at = bi.snapshot_timestamp
  where hash(bi.invoice_id, li.product_id, li.commit_id, li.commit_segment_id) in (select line_hash from changed_days)
  group by all
),
changed as (
  select i.invoice_id, i.customer_id, i.credit_type_name, i.product_id, i.commit_id, i.commit_segment_id, c.date, c.previous_at, c.later_at, c.before_minor, c.after_minor
  from changed_days as c
  join line_ids as i using (line_hash)
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
