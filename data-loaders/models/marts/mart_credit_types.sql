-- How to show money: ISO code and minor units per major unit. A name like "USD (cents)" is cents, "EUR" whole euros.
with credit_types as (
  select * from stg_credit_type
),
final as (
  select
    id as credit_type_id,
    name,
    coalesce(is_currency, regexp_matches(name, '^[A-Z]{3}( \(cents\))?$')) as is_currency,
    case when regexp_matches(name, '^[A-Z]{3}( \(cents\))?$') then left(name, 3) end as currency_code,
    case when regexp_matches(name, '^[A-Z]{3} \(cents\)$') then 100 else 1 end::integer as minor_per_major
  from credit_types
)
select * from final
