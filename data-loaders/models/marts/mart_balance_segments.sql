-- The commit and credit segments, as pages and reports show them.
with segments as (
  select * from int_segments
),
final as (
  select customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id,
    start_date, end_date, days, amount_minor
  from segments
)
select * from final
