-- The monthly pools to allocate: mapped cost of the days before as_of.
with params as (
  select * from meterbook_params
),
mapped_days as (
  select d.* from int_cost_days as d, params where not d.is_unmapped and d.date < params.as_of
),
final as (
  select date_trunc('month', date)::date as month, product_id, is_shared, credit_type_id, sum(cost_minor)::decimal(38, 9) as cost_minor
  from mapped_days
  group by all
)
select * from final
