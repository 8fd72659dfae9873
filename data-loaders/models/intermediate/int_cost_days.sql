-- Each cost row mapped to a product (or shared, or unmapped) by the first matching rule, in the minor unit of the
-- credit type of its currency. A period within one day lands on that day; a period of whole days is spread evenly
-- over them (spread_share: the days sum exactly to the row's cost).
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
select * from final
