-- Names from the product table when exported, else from line items.
with products as (
  select * from stg_product
),
line_names as (
  select product_id, min(line_name) as line_name from int_daily_lines where product_id is not null group by product_id
),
ids as (
  select id as product_id from products union select product_id from line_names
),
final as (
  select ids.product_id, coalesce(p.name, l.line_name, ids.product_id) as product_name, p.billable_metric_id
  from ids
  left join products as p on p.id = ids.product_id
  left join line_names as l on l.product_id = ids.product_id
)
select * from final
