-- Names for the usage pages.
with metrics as (
  select * from stg_billable_metric
),
final as (
  select id as billable_metric_id, name as billable_metric_name, aggregate from metrics
)
select * from final
