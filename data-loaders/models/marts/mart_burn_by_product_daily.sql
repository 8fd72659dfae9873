-- Which products drew each commit down, day by day.
with params as (
  select * from meterbook_params
),
lines as (
  select l.* from int_burn_lines as l, params where l.date < params.as_of
),
final as (
  select customer_id, balance_id, segment_id, credit_type_id, product_id, date, sum(total_minor)::decimal(38, 9) as burn_minor
  from lines
  group by all
)
select * from final
