-- Over the last complete calendar month before as_of: cost per unit there, and price = cost / (1 − margin) for 20,
-- 40 and 60 % gross margin (exact: ×5/4, ×5/3, ×5/2).
with params as (
  select * from meterbook_params
),
bounds as (
  select (date_trunc('month', as_of) - interval 1 month)::date as window_start, date_trunc('month', as_of)::date as window_end from params
),
cost as (
  select u.product_id, any_value(u.product_name) as product_name, u.credit_type_id, sum(u.cost_minor) as cost_minor, sum(u.quantity) as quantity
  from mart_unit_cost_daily as u, bounds as b
  where u.date >= b.window_start and u.date < b.window_end
  group by u.product_id, u.credit_type_id
),
billed as (
  -- The price a unit was billed at: usage lines' value (credit-drawn usage at its value too) over their quantity.
  select r.product_id, r.credit_type_id, sum(r.gross_minor) as revenue_minor, sum(r.quantity) as billed_quantity
  from mart_revenue_daily as r, bounds as b
  where r.date >= b.window_start and r.date < b.window_end and r.category in ('usage_on_demand', 'usage_commit', 'usage_credit')
  group by all
),
per_unit as (
  select c.*, b.window_start, b.window_end,
    case when c.quantity > 0 then exact_div(c.cost_minor, c.quantity) end as cost_per_unit_minor,
    case when bl.billed_quantity > 0 then exact_div(bl.revenue_minor, bl.billed_quantity) end as average_price_minor
  from cost as c
  cross join bounds as b
  left join billed as bl using (product_id, credit_type_id)
),
final as (
  select product_id, product_name, credit_type_id, window_start, window_end,
    cost_minor::decimal(38, 9) as cost_minor, quantity::decimal(38, 9) as quantity, cost_per_unit_minor,
    case when quantity > 0 then null else 'no usage' end as cost_per_unit_note,
    exact_div(cost_per_unit_minor * 5, 4) as price_margin_20_minor,
    exact_div(cost_per_unit_minor * 5, 3) as price_margin_40_minor,
    exact_div(cost_per_unit_minor * 5, 2) as price_margin_60_minor,
    average_price_minor,
    case when average_price_minor > 0 then exact_div(100 * (average_price_minor - cost_per_unit_minor), average_price_minor) end as average_margin_pct
  from per_unit
)
select * from final
