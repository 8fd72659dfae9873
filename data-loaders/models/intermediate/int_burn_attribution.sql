-- A line burns when its category is usage drawn from a commit or credit (docs/line-categories.md) and it names the
-- balance (commit_id). It is attributed to commit_segment_id when that names one of the balance's segments, else to
-- the balance's segment whose [start_date, end_date) contains the line's date (the link between the two ids is
-- UNCONFIRMED); segment_id is null when neither finds one. One pass of left joins.
with segments as (
  select * from int_segments
),
lines as (
  select * from int_daily_lines
  where commit_id is not null and category in ('usage_commit', 'usage_credit')
),
final as (
  select l.date, l.customer_id, l.commit_id as balance_id,
    coalesce(by_id.segment_id, by_date.segment_id) as segment_id,
    l.credit_type_id, coalesce(by_id.credit_type_id, by_date.credit_type_id) as segment_credit_type_id,
    l.product_id, l.total_minor, l.invoice_id, l.invoice_state, l.source_table, l.source_id, l._file, l._row
  from lines as l
  left join segments as by_id on by_id.balance_id = l.commit_id and by_id.segment_id = l.commit_segment_id
  left join segments as by_date on by_id.segment_id is null and by_date.balance_id = l.commit_id
    and l.date >= by_date.start_date and (by_date.end_date is null or l.date < by_date.end_date)
)
select * from final
