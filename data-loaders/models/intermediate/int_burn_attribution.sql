-- A line burns when its category is usage drawn from a commit or credit (docs/line-categories.md) and it names the
-- balance (commit_id). It is attributed to commit_segment_id when that names one of the balance's segments, else to
-- the balance's segment whose [start_date, end_date) contains the line's date (the link between the two ids is
-- UNCONFIRMED); segment_id is null when neither finds one. The id's equality join takes nearly every line; only the
-- rest go through the date-range join, which costs a comparison per segment of the balance.
with segments as (
  select * from int_segments
),
lines as (
  select date, customer_id, commit_id, commit_segment_id, credit_type_id, product_id, total_minor, invoice_id, invoice_state,
    source_table, source_id, _file, _row
  from int_daily_lines
  where commit_id is not null and category in ('usage_commit', 'usage_credit')
),
by_id as (
  select l.*, s.segment_id, s.credit_type_id as segment_credit_type_id
  from lines as l
  join segments as s on s.balance_id = l.commit_id and s.segment_id = l.commit_segment_id
),
without_id as (
  select l.*
  from lines as l
  anti join segments as s on s.balance_id = l.commit_id and s.segment_id = l.commit_segment_id
),
by_date as (
  select l.*, s.segment_id, s.credit_type_id as segment_credit_type_id
  from without_id as l
  left join segments as s on s.balance_id = l.commit_id
    and l.date >= s.start_date and (s.end_date is null or l.date < s.end_date)
),
attributed as (
  select * from by_id
  union all
  select * from by_date
),
final as (
  select date, customer_id, commit_id as balance_id, segment_id, credit_type_id, segment_credit_type_id,
    product_id, total_minor, invoice_id, invoice_state, source_table, source_id, _file, _row
  from attributed
)
select * from final
