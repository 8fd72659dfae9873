-- Invoice lines no line rule knows (category other, docs/line-categories.md): one row per invoice line. They count in
-- no figure — not revenue, usage or burn — until a rule reads them.
with lines as (
  select invoice_id, customer_id, source_table, line_item_type, invoice_type, product_id, line_name, commit_id, commit_segment_id,
    sum(total_minor) as total_minor, any_value(credit_type_id) as credit_type_id
  from int_daily_lines
  where category = 'other'
  group by all
),
final as (
  select
    l.source_table as table_name,
    'invoice_id=' || l.invoice_id || ', name=' || coalesce(l.line_name, '') as example_key,
    l.customer_id,
    coalesce('line_item_type=' || l.line_item_type, 'no line_item_type') || ' on ' || coalesce(l.invoice_type, 'an untyped') || ' invoice, '
      || minor_text(l.total_minor) || ' ' || coalesce(t.name, l.credit_type_id) as detail
  from lines as l
  left join mart_credit_types as t on t.credit_type_id = l.credit_type_id
  order by l.line_item_type, l.invoice_id, l.line_name
)
select * from final
