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
final as (
  select l.date, l.customer_id, l.product_id, case when l.product_id is null then '(no product)' else p.product_name end as product_name,
    l.credit_type_id, l.category,
    coalesce(sum(l.total_minor) filter (where l.category <> 'usage_credit'), 0)::decimal(38, 9) as revenue_minor,
    coalesce(sum(l.total_minor) filter (where l.category = 'usage_credit'), 0)::decimal(38, 9) as contra_revenue_minor,
    sum(l.total_minor)::decimal(38, 9) as gross_minor,
    sum(l.quantity)::decimal(38, 9) as quantity
  from lines as l
  left join products as p using (product_id)
  group by all
)
select * from final
