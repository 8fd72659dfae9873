-- Finalized invoices whose daily breakdowns do not sum to their usage line items, line by line (product): the
-- breakdowns feed the daily figures, the invoice the monthly ones. Invoices present on both sides.
with daily as (
  select invoice_id, product_id, sum(total_minor) as breakdowns_minor
  from int_daily_lines
  where invoice_state = 'finalized' and product_id is not null and source_table = 'breakdowns_line_items'
  group by all
),
invoiced as (
  select li.invoice_id, li.product_id, sum(li.total) as invoiced_minor
  from stg_line_item as li
  join stg_invoice as i on i.id = li.invoice_id
  where upper(i.status) <> 'VOID' and li.product_id is not null
  group by all
),
compared as (
  select coalesce(d.invoice_id, v.invoice_id) as invoice_id, coalesce(d.product_id, v.product_id) as product_id,
    coalesce(d.breakdowns_minor, 0) as breakdowns_minor, coalesce(v.invoiced_minor, 0) as invoiced_minor
  from daily as d
  full join invoiced as v on v.invoice_id = d.invoice_id and v.product_id = d.product_id
),
disagreeing as (
  select c.*, i.customer_id, i.credit_type_name
  from compared as c
  join stg_invoice as i on i.id = c.invoice_id
  where c.invoice_id in (select invoice_id from daily) and c.invoice_id in (select invoice_id from invoiced)
    and c.breakdowns_minor <> c.invoiced_minor
),
final as (
  select
    'breakdowns_line_items' as table_name,
    'invoice_id=' || invoice_id || ', product_id=' || product_id as example_key,
    customer_id,
    'breakdowns ' || minor_text(breakdowns_minor) || ', invoice ' || minor_text(invoiced_minor)
      || ', difference ' || minor_text(breakdowns_minor - invoiced_minor) || coalesce(' ' || credit_type_name, '') as detail
  from disagreeing
)
select * from final
