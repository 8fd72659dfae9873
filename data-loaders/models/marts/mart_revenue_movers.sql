-- mart_revenue_movers — grain: window × dimension × entity × credit type. For the last 7, 30 and 90 days before as_of
-- (current period [as_of − n, as_of)) against the n days before them ([as_of − 2n, as_of − n)): each product's, and
-- each customer's, revenue in both, the change, and its rank by the size of the change (largest first; ties by
-- name, then id). Entities with revenue rows in either period.
with params as (
  select * from meterbook_params
),
windows as (
  select unnest([7, 30, 90]) as window_days, as_of from params
),
periods as (
  select window_days, (as_of - window_days) as current_start_date, as_of as current_end_date,
    (as_of - 2 * window_days) as previous_start_date
  from windows
),
entities as (
  -- Lines without a product (a scheduled charge, say) are one entity, id '' and name '(no product)'.
  select 'product' as dimension, coalesce(product_id, '') as entity_id, date, credit_type_id, revenue_minor from mart_revenue_daily
  union all
  select 'customer' as dimension, customer_id as entity_id, date, credit_type_id, revenue_minor from mart_revenue_daily
),
sums as (
  select p.window_days, e.dimension, e.entity_id, e.credit_type_id,
    p.current_start_date, (p.current_end_date - 1) as current_last_date, p.previous_start_date, (p.current_start_date - 1) as previous_last_date,
    coalesce(sum(e.revenue_minor) filter (where e.date >= p.current_start_date), 0)::decimal(38, 9) as current_minor,
    coalesce(sum(e.revenue_minor) filter (where e.date < p.current_start_date), 0)::decimal(38, 9) as previous_minor
  from entities as e
  join periods as p on e.date >= p.previous_start_date and e.date < p.current_end_date
  group by all
),
named as (
  select s.*, case s.dimension when 'product' then coalesce(pr.product_name, nullif(s.entity_id, ''), '(no product)') else coalesce(c.label, s.entity_id) end as entity_name
  from sums as s
  left join mart_products as pr on s.dimension = 'product' and pr.product_id = s.entity_id
  left join mart_customers as c on s.dimension = 'customer' and c.customer_id = s.entity_id
),
final as (
  select window_days, dimension, entity_id, entity_name, credit_type_id,
    current_start_date, current_last_date, previous_start_date, previous_last_date, current_minor, previous_minor,
    (current_minor - previous_minor)::decimal(38, 9) as change_minor,
    case when previous_minor <> 0 then 100 * (current_minor - previous_minor)::double / previous_minor::double end as change_pct,
    row_number() over (partition by window_days, dimension, credit_type_id order by abs(current_minor - previous_minor) desc, entity_name, entity_id)::integer as change_rank
  from named
)
select * from final;
