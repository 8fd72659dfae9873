-- Daily figures from the draft history, for invoices without breakdowns (docs/metrics.md, "Daily figures"). A draft
-- snapshot is month-to-date: the one taken at the start of day d holds the invoice through the end of day d − 1, so
-- day d's amount of a line (product, commit, segment, line type, name) is the increase from snapshot d to snapshot
-- d + 1. A gap between snapshots spreads its increase evenly over its days (spread_share: the shares sum exactly).
-- Once the invoice is finalized, its finalized lines minus the last draft go to the days after that draft (before
-- as_of), so a finalized period's days sum exactly to its finalized lines, and an open period's to its latest draft
-- before the day after as_of. Known error: usage backdated into an earlier day shows on the day it arrived.
with params as (
  select * from meterbook_params
),
invoices as (
  select
    s.invoice_id, s.invoice_state, s.snapshot_at as last_snapshot_at,
    coalesce(i.customer_id, d.customer_id) as customer_id,
    coalesce(i.start_timestamp, d.start_timestamp)::date as period_start,
    coalesce(i.end_timestamp, d.end_timestamp)::date as period_end
  from int_invoice_daily_sources as s
  left join stg_invoice as i on i.id = s.invoice_id and s.invoice_state = 'finalized'
  left join stg_draft_invoice as d on d.id = s.invoice_id and d.snapshot_time = s.snapshot_at
  where s.daily_source = 'draft_history'
),
spreadable as (
  select * from invoices where period_start is not null and period_end > period_start
),
-- Each day's snapshot: the last one taken that day. A snapshot dated after the period still holds the whole period,
-- one dated before it nothing: both are dated at the period's edge.
snapshot_days as (
  select
    d.id as invoice_id,
    least(greatest(d.snapshot_time::date, v.period_start), v.period_end) as day,
    max(d.snapshot_time) as snapshot_time
  from stg_draft_invoice as d
  join spreadable as v on v.invoice_id = d.id
  cross join params
  where d.snapshot_time < params.as_of + interval 1 day
  group by all
),
draft_lines as (
  select
    s.invoice_id, s.day,
    {'credit_type_id': li.credit_type_id, 'product_id': li.product_id, 'line_name': li.name, 'commit_id': li.commit_id,
     'commit_segment_id': li.commit_segment_id, 'line_item_type': li.line_item_type} as line_key,
    sum(li.total) as total, sum(coalesce(li.quantity, 0)) as quantity,
    min(li.id) as source_id, arg_min(li._file, li.id) as _file, arg_min(li._row, li.id) as _row
  from stg_draft_line_item as li
  join snapshot_days as s on s.invoice_id = li.invoice_id and s.snapshot_time = li.snapshot_time
  group by all
),
final_lines as (
  select
    li.invoice_id,
    {'credit_type_id': li.credit_type_id, 'product_id': li.product_id, 'line_name': li.name, 'commit_id': li.commit_id,
     'commit_segment_id': li.commit_segment_id, 'line_item_type': li.line_item_type} as line_key,
    sum(li.total) as total, sum(coalesce(li.quantity, 0)) as quantity,
    min(li.id) as source_id, arg_min(li._file, li.id) as _file, arg_min(li._row, li.id) as _row
  from stg_line_item as li
  join spreadable as v on v.invoice_id = li.invoice_id and v.invoice_state = 'finalized'
  group by all
),
-- Every line of the invoice, in any draft or in its finalized version, named by its first draft line's id.
line_keys as (
  select invoice_id, line_key, min(source_id) as source_id, arg_min(_file, source_id) as _file, arg_min(_row, source_id) as _row,
    'draft_line_item' as source_table
  from draft_lines group by all
  union all
  select invoice_id, line_key, source_id, _file, _row, 'line_item' as source_table
  from final_lines as f
  where not exists (select 1 from draft_lines as d where d.invoice_id = f.invoice_id and d.line_key is not distinct from f.line_key)
),
-- The running month-to-date figure of each line: zero at the period's start, each snapshot's value (zero when the
-- line is not in it), then the finalized value at the end of what as_of shows of the period.
points as (
  select k.invoice_id, k.line_key, v.period_start as day, 0 as ord, 0::decimal(38, 9) as total, 0::decimal(38, 9) as quantity
  from line_keys as k join spreadable as v using (invoice_id)
  union all
  select k.invoice_id, k.line_key, s.day, 1 as ord, coalesce(d.total, 0), coalesce(d.quantity, 0)
  from line_keys as k
  join snapshot_days as s using (invoice_id)
  left join draft_lines as d on d.invoice_id = k.invoice_id and d.day = s.day and d.line_key is not distinct from k.line_key
  union all
  select k.invoice_id, k.line_key, least(v.period_end, params.as_of) as day, 2 as ord, coalesce(f.total, 0), coalesce(f.quantity, 0)
  from line_keys as k
  join spreadable as v using (invoice_id)
  cross join params
  left join final_lines as f on f.invoice_id = k.invoice_id and f.line_key is not distinct from k.line_key
  where v.invoice_state = 'finalized'
),
steps as (
  select
    invoice_id, line_key, day,
    lag(day) over w as previous_day,
    total - lag(total) over w as step_total,
    quantity - lag(quantity) over w as step_quantity
  from points
  window w as (partition by invoice_id, line_key order by day, ord)
),
-- A step spreads over the days from the previous point up to its own; a step on the same day (a first snapshot
-- already holding charges, or a finalization with no day left after the last draft) lands on one day: that day, or
-- the last day of the period before as_of.
step_days as (
  select
    s.*, v.period_start, v.period_end,
    case when s.day > s.previous_day then (s.day - s.previous_day)::integer else 1 end as n,
    unnest(range(0, case when s.day > s.previous_day then (s.day - s.previous_day)::integer else 1 end)) as i
  from steps as s
  join spreadable as v using (invoice_id)
  where s.previous_day is not null and (s.step_total <> 0 or s.step_quantity <> 0)
),
day_amounts as (
  select
    invoice_id, line_key,
    case
      when day > previous_day then previous_day + i::integer
      else greatest(period_start, least(previous_day, period_end - 1, params.as_of - 1))
    end as date,
    spread_share(step_total, i, n) as total_minor,
    spread_share(step_quantity, i, n) as quantity
  from step_days cross join params
),
daily as (
  select invoice_id, line_key, date, sum(total_minor) as total_minor, sum(quantity) as quantity
  from day_amounts
  group by all
),
final as (
  select
    d.date, d.invoice_id, v.invoice_state, v.customer_id,
    d.line_key.credit_type_id, d.line_key.product_id, d.line_key.line_name, null::varchar as billable_metric_id,
    d.line_key.commit_id, d.line_key.commit_segment_id,
    d.line_key.line_item_type,
    d.total_minor, d.quantity,
    k.source_table,
    -- A line's id, made unique if one draft line id names two lines (its commit or segment changed between drafts).
    k.source_id || case when count(*) over (partition by k.invoice_id, k.source_id, d.date) > 1
      then '#' || row_number() over (partition by k.invoice_id, k.source_id, d.date order by d.line_key::varchar) else '' end as source_id,
    k._file, k._row
  from daily as d
  join line_keys as k on k.invoice_id = d.invoice_id and k.line_key is not distinct from d.line_key
  join spreadable as v on v.invoice_id = d.invoice_id
)
select * from final
