-- How the export's invoice lines were read (docs/line-categories.md): per rule × category × line_item_type × invoice
-- type × credit type, the lines it read, their line-days and their sum. Every line of the daily lines is here,
-- whatever its date; rule 'none' (category 'other') is a shape no rule knows.
with lines as (
  select * from int_daily_lines
),
final as (
  select
    coalesce(rule, 'none') as rule, category, line_item_type, invoice_type, credit_type_id,
    count(distinct hash(invoice_id, product_id, line_name, commit_id, commit_segment_id))::bigint as line_count,
    count(*)::bigint as line_days,
    sum(total_minor)::decimal(38, 9) as total_minor,
    min(date) as first_date,
    max(date) as last_date
  from lines
  group by all
)
select * from final
