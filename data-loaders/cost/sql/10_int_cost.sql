-- Cost, step 1: each cost row mapped to a product (or shared, or unmapped) by the first matching rule, spread over the
-- UTC days of its charge period, in the minor unit of the credit type of its currency; then the monthly pools to
-- allocate and each customer's usage weight in them. Grains and formulas: docs/unit-economics.md.

-- Exact ratio n / d of two decimals, rounded half away from zero to 9 decimals (cost per unit, percentages).
create or replace macro exact_ratio_abs(n, d) as (
  (((2 * (n::decimal(38, 9) * 1000000000)::hugeint * 1000000000 + (d::decimal(38, 9) * 1000000000)::hugeint)
    // (2 * (d::decimal(38, 9) * 1000000000)::hugeint))::decimal(38, 0) * 0.000000001::decimal(10, 9))::decimal(38, 9)
);
create or replace macro exact_ratio(n, d) as (
  case
    when d is null or d = 0 or n is null then null
    when (n < 0) = (d < 0) then exact_ratio_abs(abs(n), abs(d))
    else -exact_ratio_abs(abs(n), abs(d))
  end
);

-- int_cost_days — grain: cost row × UTC day of its charge period. A period within one day lands on that day; a period
-- of whole days is spread evenly over them (spread_share: the days sum exactly to the row's cost).
create or replace table int_cost_days as
with cost_rows as (
  select *,
    case when charge_period_start::date = (charge_period_end - interval 1 microsecond)::date then 1
      else date_diff('day', charge_period_start::date, charge_period_end::date) end as n_days
  from stg_cost
),
rules as (
  select * from meterbook_cost_rules
),
matches as (
  select c.source_file, c.source_row, min(r.rule_index) as rule_index
  from cost_rows as c
  join rules as r on
    (r.tag_key is null or (json_extract_string(c.tags, r.tag_key) is not null and (r.tag_value is null or json_extract_string(c.tags, r.tag_key) = r.tag_value)))
    and (r.service is null or c.service_name = r.service)
    and (r.cost_center is null or c.cost_center = r.cost_center)
  group by all
),
mapped as (
  select c.*, m.rule_index, r.product_id, coalesce(r.is_shared, false) as is_shared
  from cost_rows as c
  left join matches as m using (source_file, source_row)
  left join rules as r using (rule_index)
),
-- A currency's credit type: the one with that ISO code (cents before whole units if an account has both).
credit_types as (
  select currency_code, credit_type_id, minor_per_major from mart_credit_types where currency_code is not null
  qualify row_number() over (partition by currency_code order by minor_per_major desc, credit_type_id) = 1
),
converted as (
  select m.*, ct.credit_type_id, (m.amount * coalesce(ct.minor_per_major, 1))::decimal(38, 9) as row_cost_minor
  from mapped as m
  left join credit_types as ct on ct.currency_code = m.currency
),
days as (
  select c.*, unnest(range(c.n_days)) as day_index from converted as c
),
final as (
  select
    source_file, source_row, (charge_period_start::date + day_index::integer) as date, rule_index, product_id, is_shared,
    rule_index is null as is_unmapped, service_name, cost_center, charge_category, currency, credit_type_id,
    spread_share(row_cost_minor, day_index, n_days)::decimal(38, 9) as cost_minor
  from days
)
select * from final;

-- int_cost_pools — grain: month × pool (a product, or shared) × credit type: mapped cost of the days before as_of.
create or replace table int_cost_pools as
with params as (
  select * from meterbook_params
)
select date_trunc('month', d.date)::date as month, d.product_id, d.is_shared, d.credit_type_id, sum(d.cost_minor)::decimal(38, 9) as cost_minor
from int_cost_days as d, params
where not d.is_unmapped and d.date < params.as_of
group by all;

-- int_cost_weights — grain: pool × customer with usage in it: a product's pool is weighed by each customer's quantity
-- of that product in the month, the shared pool by their quantity of the allocation metric. Only positive weights.
create or replace table int_cost_weights as
with usage as (
  select date_trunc('month', date)::date as month, customer_id, product_id, billable_metric_id, quantity from mart_usage_daily
),
metric as (
  select * from meterbook_cost_params
),
product_weights as (
  select month, product_id, false as is_shared, customer_id, sum(quantity) as weight from usage group by all
),
shared_weights as (
  select u.month, null::varchar as product_id, true as is_shared, u.customer_id, sum(u.quantity) as weight
  from usage as u, metric as m
  where u.billable_metric_id = m.allocation_metric_id or u.product_id = m.allocation_product_id
  group by all
),
weights as (
  select * from product_weights union all select * from shared_weights
)
select p.month, p.product_id, p.is_shared, p.credit_type_id, w.customer_id, w.weight::decimal(38, 9) as weight
from int_cost_pools as p
join weights as w on w.month = p.month and w.is_shared = p.is_shared and w.product_id is not distinct from p.product_id
where w.weight > 0;
