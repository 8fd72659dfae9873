-- Lines name commits or credits (commit_id) but none of them is usage drawn from one: every commit would read 0 %
-- burned and "adoption risk". One row per line type of the commit-bearing lines.
with lines as (
  select * from int_daily_lines
),
burning as (
  select count(*) as n from lines where category in ('usage_commit', 'usage_credit')
),
final as (
  select
    any_value(l.source_table) as table_name,
    'line_item_type=' || coalesce(l.line_item_type, '(none)') || ', category=' || l.category as example_key,
    null::varchar as customer_id,
    count(distinct l.invoice_id) || ' invoices, ' || count(distinct l.commit_id) || ' commits' as detail
  from lines as l, burning as b
  where b.n = 0 and l.commit_id is not null
  group by l.line_item_type, l.category
  order by all
)
select * from final
