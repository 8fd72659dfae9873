-- Which products drew each commit down, day by day.
-- Summed by the 64-bit hash of the five ids (a fixed-width aggregate over a million lines, which spills under a small
-- memory budget where the same grouping by five strings ran out of memory), then given its ids back from the few
-- thousand exact (customer, balance, segment, credit type, product) keys. Two keys with one hash would give each the
-- other's sums under its own key, which the mart's key check cannot see: its hashDistinct check fails the snapshot.
with params as (
  select * from meterbook_params
),
lines as (
  select l.* from int_burn_lines as l, params where l.date < params.as_of
),
keys as (
  select distinct customer_id, balance_id, segment_id, credit_type_id, product_id,
    hash(customer_id, balance_id, segment_id, credit_type_id, product_id) as key_hash
  from lines
),
sums as (
  select hash(customer_id, balance_id, segment_id, credit_type_id, product_id) as key_hash, date, sum(total_minor)::decimal(38, 9) as burn_minor
  from lines
  group by all
),
final as (
  select k.customer_id, k.balance_id, k.segment_id, k.credit_type_id, k.product_id, s.date, s.burn_minor
  from sums as s
  join keys as k using (key_hash)
)
select * from final
