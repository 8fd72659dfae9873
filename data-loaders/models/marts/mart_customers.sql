-- label disambiguates active customers that share a name; owner comes from the configured custom field.
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
select * from final
