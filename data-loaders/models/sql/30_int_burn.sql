-- int_burn_lines — grain: one burn line on one day, attributed to one segment. A line burns when its
-- line_item_type is in the configured burn set and its commit_id is a balance: attributed to commit_segment_id
-- when present, else to the balance's segment whose [start_date, end_date) contains the line's date.
create or replace table int_burn_lines as
with burn_types as (
  select line_item_type from meterbook_burn_types
),
lines as (
  select l.*, exists (select 1 from int_segments as s where s.balance_id = l.commit_id and s.segment_id = l.commit_segment_id) as has_segment
  from int_daily_lines as l
  where l.commit_id is not null and l.line_item_type in (select line_item_type from burn_types)
),
by_segment_id as (
  select l.*, s.segment_id as attributed_segment_id, s.credit_type_id as segment_credit_type_id
  from lines as l
  join int_segments as s on s.balance_id = l.commit_id and s.segment_id = l.commit_segment_id
  where l.has_segment
),
by_date as (
  select l.*, s.segment_id as attributed_segment_id, s.credit_type_id as segment_credit_type_id
  from lines as l
  join int_segments as s on s.balance_id = l.commit_id
    and l.date >= s.start_date and (s.end_date is null or l.date < s.end_date)
  where not l.has_segment -- no segment id, or one the schedule does not know (the id link is UNCONFIRMED)
),
attributed as (
  select * from by_segment_id union all select * from by_date
),
final as (
  select date, customer_id, commit_id as balance_id, attributed_segment_id as segment_id, credit_type_id,
    segment_credit_type_id, product_id, total_minor, invoice_id, invoice_state, source_table, source_id, _file, _row
  from attributed
)
select * from final;

-- Burn lines that reached no segment: reported as a finding (their balance or segment is not in the export).
create or replace table int_unattributed_burn as
select l.* from int_daily_lines as l
where l.commit_id is not null and l.line_item_type in (select line_item_type from meterbook_burn_types)
  and not exists (select 1 from int_burn_lines as b where b.source_table = l.source_table and b.source_id = l.source_id and b.date = l.date);
