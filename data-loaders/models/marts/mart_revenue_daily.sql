-- Revenue per day × customer × product × credit type × category (docs/metrics.md, "Revenue"), from the
-- finalized-plus-latest-draft line set, counted once. Only revenue categories: usage on demand, drawn from commits,
-- drawn from credits, custom-pricing-unit conversions, scheduled/fixed charges, true-ups. Applied commit/credit
-- offsets, purchases, rollovers and unclassified lines are not revenue (line_categories shows them). Usage drawn from
-- a credit is contra-revenue: its amount is in contra_revenue_minor and counts 0 in revenue_minor.
with params as (
  select * from meterbook_params
),
products as (
  select * from mart_products
),
lines as (
  select l.* from int_daily_lines as l, params
  where l.category in ('usage_on_demand', 'usage_commit', 'usage_credit', 'conversion', 'scheduled', 'true_up')
    and l.date < params.as_of
),
-- Summed by day and the 64-bit hash of the four ids (a fixed-width aggregate, which spills under the memory budget
-- where grouping millions of line-days by four strings ran a 10,000-customer snapshot out of memory), then given its
-- ids back from the exact (customer, product, credit type, category) keys: tens of thousands, not millions. Two keys
-- with one hash would give each the other's sums under its own key; the mart's hashDistinct check fails the snapshot.
keys as (
  select distinct customer_id, product_id, credit_type_id, category, hash(customer_id, product_id, credit_type_id, category) as key_hash
  from lines
),
sums as (
  select hash(customer_id, product_id, credit_type_id, category) as key_hash, date,
    coalesce(sum(total_minor) filter (where category <> 'usage_credit'), 0)::decimal(38, 9) as revenue_minor,
    coalesce(sum(total_minor) filter (where category = 'usage_credit'), 0)::decimal(38, 9) as contra_revenue_minor,
    sum(total_minor)::decimal(38, 9) as gross_minor,
    sum(quantity)::decimal(38, 9) as quantity
  from lines
  group by all
),
final as (
  select s.date, k.customer_id, k.product_id, case when k.product_id is null then '(no product)' else p.product_name end as product_name,
    k.credit_type_id, k.category, s.revenue_minor, s.contra_revenue_minor, s.gross_minor, s.quantity
  from sums as s
  join keys as k using (key_hash)
  left join products as p using (product_id)
)
select * from final
