-- Direct (mapped) cost only; shared cost is not a product's. A product with usage but no cost that day costs 0 per
-- unit; cost with no usage has no cost per unit.
with params as (
  select * from meterbook_params
),
cost as (
  select d.date, d.product_id, d.credit_type_id, sum(d.cost_minor) as cost_minor
  from int_cost_days as d, params
  where d.product_id is not null and d.date < params.as_of
  group by all
),
usage as (
  select date, product_id, sum(quantity) as quantity from mart_usage_daily group by all
),
cost_credit_types as (
  select distinct credit_type_id from cost
),
keys as (
  select date, product_id, credit_type_id from cost
  union
  select u.date, u.product_id, ct.credit_type_id from usage as u, cost_credit_types as ct
),
final as (
  select k.date, k.product_id, p.product_name, k.credit_type_id,
    coalesce(c.cost_minor, 0)::decimal(38, 9) as cost_minor,
    coalesce(u.quantity, 0)::decimal(38, 9) as quantity,
    case when u.quantity > 0 then exact_div(coalesce(c.cost_minor, 0), u.quantity) end as cost_per_unit_minor,
    case when u.quantity > 0 then null else 'no usage' end as cost_per_unit_note
  from keys as k
  left join cost as c using (date, product_id, credit_type_id)
  left join usage as u using (date, product_id)
  left join mart_products as p using (product_id)
)
select * from final
