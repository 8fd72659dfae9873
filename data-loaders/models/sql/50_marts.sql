-- Marts: what pages, reports and exports read. File names and columns are a public contract (docs/metrics.md,
-- docs/data-dictionary.md). Money is in the credit type's minor unit (*_minor) beside its credit_type_id.

-- credit_types — grain: credit type. How to show money: ISO code and minor units per major unit.
create or replace table mart_credit_types as
select
  id as credit_type_id,
  name,
  coalesce(is_currency, regexp_matches(name, '^[A-Z]{3}( \(cents\))?$')) as is_currency,
  case when regexp_matches(name, '^[A-Z]{3}( \(cents\))?$') then left(name, 3) end as currency_code,
  case when regexp_matches(name, '^[A-Z]{3} \(cents\)$') then 100 else 1 end::integer as minor_per_major
from stg_credit_type;

-- products — grain: product. Names from the product table when exported, else from line items.
create or replace table mart_products as
with line_names as (
  select product_id, min(line_name) as line_name from int_daily_lines where product_id is not null group by product_id
),
ids as (
  select id as product_id from stg_product union select product_id from line_names
)
select ids.product_id, coalesce(p.name, l.line_name, ids.product_id) as product_name, p.billable_metric_id
from ids
left join stg_product as p on p.id = ids.product_id
left join line_names as l on l.product_id = ids.product_id;

-- customers — grain: customer. label disambiguates active customers that share a name.
create or replace table mart_customers as
with params as (
  select * from meterbook_params
),
customers as (
  select
    c.id as customer_id, c.name,
    coalesce(from_json(c.ingest_aliases, '["VARCHAR"]'), []::varchar[]) as ingest_aliases,
    c.custom_fields ->> params.owner_field as owner,
    c.archived_at is not null as is_archived
  from stg_customer as c, params
),
credit_types as (
  select customer_id, list(distinct credit_type_id order by credit_type_id) as credit_type_ids
  from (
    select customer_id, credit_type_id from int_segments
    union all select customer_id, credit_type_id from stg_invoice where upper(status) <> 'VOID'
    union all select customer_id, credit_type_id from int_daily_lines
  )
  group by customer_id
),
based as (
  select c.*,
    case params.label_source
      when 'ingest_alias' then coalesce(c.ingest_aliases[1], c.name)
      when 'id' then c.customer_id
      else c.name
    end as base_label
  from customers as c, params
),
labelled as (
  select b.*,
    case when exists (select 1 from based as o where o.base_label = b.base_label and o.customer_id <> b.customer_id and not o.is_archived)
      then b.base_label || ' · ' || right(b.customer_id, 6)
      else b.base_label
    end as short_label
  from based as b
),
final as (
  select l.customer_id, l.name,
    -- A six-character suffix can still collide; then the whole id disambiguates.
    case when count(*) over (partition by l.short_label) > 1 and l.short_label <> l.base_label then l.base_label || ' · ' || l.customer_id else l.short_label end as label,
    l.ingest_aliases, l.owner, coalesce(ct.credit_type_ids, []::varchar[]) as credit_type_ids, l.is_archived
  from labelled as l
  left join credit_types as ct using (customer_id)
)
select * from final;

-- balance_segments — grain: segment (one access_schedule item).
create or replace table mart_balance_segments as
select customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id,
  start_date, end_date, days, amount_minor
from int_segments;

-- burn_daily — grain: segment × day of the segment (segments with no end: days before as_of).
create or replace table mart_burn_daily as
with params as (
  select * from meterbook_params
),
spine as (
  select p.*, unnest(range(0, coalesce(p.days, p.elapsed_days))) as day_index
  from int_segment_pace as p
),
days as (
  select s.*, (s.start_date + s.day_index::integer) as date from spine as s
),
joined as (
  select d.*, coalesce(b.burn_minor, 0)::decimal(38, 9) as burn_all_minor
  from days as d
  left join int_segment_burn_days as b on b.balance_id = d.balance_id and b.segment_id = d.segment_id and b.date = d.date
),
cumulative as (
  select *, sum(burn_all_minor) over (partition by balance_id, segment_id order by date rows between unbounded preceding and current row) as cumulative_all_minor
  from joined
),
final as (
  select
    c.customer_id, c.contract_id, c.balance_id, c.segment_id, c.credit_type_id, c.date,
    case when c.date < params.as_of then c.burn_all_minor end as burn_minor,
    case when c.date < params.as_of then c.cumulative_all_minor::decimal(38, 9) end as cumulative_burn_minor,
    case when c.days is not null then exact_div(c.amount_minor * (c.day_index + 1), c.days) end as expected_cumulative_minor,
    case when c.date >= params.as_of and c.run_rate_minor is not null
      then (c.burned_to_date_minor + c.run_rate_minor * (c.date - params.as_of + 1))::decimal(38, 9) end as forecast_cumulative_minor,
    -- Pace at the end of the day, as mart_pacing's status would say on the next day: the same exact fraction
    -- (100·cumulative·days against amount·day number) and the same thresholds. Null from as_of on, with no end, or
    -- with nothing expected.
    case when c.date < params.as_of and c.days is not null and c.amount_minor * (c.day_index + 1) > 0
      then pace_status(100 * c.cumulative_all_minor * c.days, c.amount_minor * (c.day_index + 1)) end as pace_status
  from cumulative as c, params
)
select * from final;

-- pacing — grain: segment active on as_of (start_date <= as_of < end_date; no end counts as active).
create or replace table mart_pacing as
with params as (
  select * from meterbook_params
)
select
  customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id, start_date, end_date, days,
  amount_minor, elapsed_days, expected_to_date_minor, burned_to_date_minor, remaining_minor, burn_rate_pct,
  status, flags, run_rate_minor, projected_end_burn_minor, projected_exhaustion_date
from int_segment_pace, params
where start_date <= params.as_of and (end_date is null or params.as_of < end_date);

-- revenue_daily — grain: day × customer × product × credit type, days before as_of. Every line item with a
-- product, from the finalized-plus-latest-draft line set, counted once.
create or replace table mart_revenue_daily as
with params as (
  select * from meterbook_params
),
lines as (
  select l.* from int_daily_lines as l, params where l.product_id is not null and l.date < params.as_of
)
select l.date, l.customer_id, l.product_id, p.product_name, l.credit_type_id,
  sum(l.total_minor)::decimal(38, 9) as revenue_minor, sum(l.quantity)::decimal(38, 9) as quantity
from lines as l
left join mart_products as p using (product_id)
group by all;

-- usage_daily — grain: day × customer × product × billable metric, days before as_of (breakdown quantities).
create or replace table mart_usage_daily as
with params as (
  select * from meterbook_params
)
select l.date, l.customer_id, l.product_id, coalesce(l.billable_metric_id, p.billable_metric_id) as billable_metric_id,
  sum(l.quantity)::decimal(38, 9) as quantity
from int_daily_lines as l
left join mart_products as p using (product_id)
cross join params
where l.product_id is not null and l.quantity is not null and l.date < params.as_of
group by all;

-- billable_metrics — grain: billable metric (names for the usage pages).
create or replace table mart_billable_metrics as
select id as billable_metric_id, name as billable_metric_name, aggregate from stg_billable_metric;

-- invoices — grain: invoice. Finalized and voided invoices, plus each open invoice's latest draft snapshot taken
-- before the day after as_of. total_minor is the invoice total as Metronome reports it.
create or replace table mart_invoices as
with params as (
  select * from meterbook_params
),
closed as (
  select id as invoice_id, customer_id, contract_id, upper(status) as status, false as is_draft,
    start_timestamp::date as start_date, end_timestamp::date as end_date, issued_at, total as total_minor, credit_type_id,
    coalesce(invoice_label, '') as label
  from stg_invoice
),
latest_drafts as (
  select id, max(snapshot_time) as snapshot_time from stg_draft_invoice, params
  where snapshot_time < params.as_of + interval 1 day and id not in (select invoice_id from closed)
  group by id
),
drafts as (
  select d.id as invoice_id, d.customer_id, d.contract_id, upper(d.status) as status, true as is_draft,
    d.start_timestamp::date as start_date, d.end_timestamp::date as end_date, null::timestamp as issued_at,
    d.total as total_minor, d.credit_type_id, coalesce(d.label, '') as label
  from stg_draft_invoice as d join latest_drafts as l on l.id = d.id and l.snapshot_time = d.snapshot_time
)
select * from closed union all select * from drafts;

-- burn_by_product_daily — grain: segment × product × day, days before as_of: which products drew the commit down.
create or replace table mart_burn_by_product_daily as
with params as (
  select * from meterbook_params
)
select customer_id, balance_id, segment_id, credit_type_id, product_id, date, sum(total_minor)::decimal(38, 9) as burn_minor
from int_burn_lines, params
where date < params.as_of
group by all;
