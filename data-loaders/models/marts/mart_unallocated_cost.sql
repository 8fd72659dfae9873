-- Cost that reaches no customer, reported and never dropped: rows no rule maps ('unmapped'), and pools in a month
-- where nobody used the product or the allocation metric ('no usage'). With margin_by_customer it sums to all cost
-- before as_of.
with params as (
  select * from meterbook_params
),
unmapped as (
  select date_trunc('month', d.date)::date as month, 'unmapped' as reason, null::varchar as product_id, d.is_shared,
    d.service_name, d.cost_center, d.credit_type_id, sum(d.cost_minor) as cost_minor
  from int_cost_days as d, params
  where d.is_unmapped and d.date < params.as_of
  group by all
),
unused as (
  select p.month, 'no usage' as reason, p.product_id, p.is_shared, null::varchar as service_name, null::varchar as cost_center, p.credit_type_id, p.cost_minor
  from int_cost_pools as p
  anti join int_cost_weights as w on w.month = p.month and w.is_shared = p.is_shared and w.product_id is not distinct from p.product_id and w.credit_type_id = p.credit_type_id
),
final as (
  select u.month, u.reason, u.product_id, p.product_name, u.is_shared, u.service_name, u.cost_center, u.credit_type_id, u.cost_minor::decimal(38, 9) as cost_minor
  from (select * from unmapped union all select * from unused) as u
  left join mart_products as p using (product_id)
)
select * from final
