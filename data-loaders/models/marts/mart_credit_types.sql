-- How to show money: ISO code and minor units per major unit. A name like "USD (cents)" is cents, "EUR" whole euros.
-- The credit_type table is optional (Metronome's 2024 sample export has none): a credit type it does not list is
-- read from the id and name that invoices and their lines carry.
with credit_types as (
  select id, name, is_currency from stg_credit_type
),
named_elsewhere as (
  select credit_type_id as id, credit_type_name as name from stg_invoice
  union all select credit_type_id, credit_type_name from stg_line_item
  union all select credit_type_id, credit_type_name from stg_draft_invoice
  union all select credit_type_id, credit_type_name from stg_draft_line_item
),
unlisted as (
  select id, min(name) as name, null::boolean as is_currency
  from named_elsewhere
  where id is not null and name is not null and id not in (select id from credit_types)
  group by id
),
all_types as (
  select * from credit_types
  union all
  select * from unlisted
),
final as (
  select
    id as credit_type_id,
    name,
    coalesce(is_currency, regexp_matches(name, '^[A-Z]{3}( \(cents\))?$')) as is_currency,
    case when regexp_matches(name, '^[A-Z]{3}( \(cents\))?$') then left(name, 3) end as currency_code,
    case when regexp_matches(name, '^[A-Z]{3} \(cents\)$') then 100 else 1 end::integer as minor_per_major
  from all_types
)
select * from final
