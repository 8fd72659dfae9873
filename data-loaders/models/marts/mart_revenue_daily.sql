-- Every line item with a product, from the finalized-plus-latest-draft line set, counted once.
with params as (
  select * from meterbook_params
),
products as (
  select * from mart_products
),
lines as (
  select l.* from int_daily_lines as l, params where l.product_id is not null and l.date < params.as_of
),
final as (
  select l.date, l.customer_id, l.product_id, p.product_name, l.credit_type_id,
    sum(l.total_minor)::decimal(38, 9) as revenue_minor, sum(l.quantity)::decimal(38, 9) as quantity
  from lines as l
  left join products as p using (product_id)
  group by all
)
select * from final
