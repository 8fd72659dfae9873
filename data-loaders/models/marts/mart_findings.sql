-- The findings of this snapshot (docs/data-health.md): one row per check and table with something to report, made by
-- models/findings/ (and by staging and the cost models) and described by the findings catalog. The checks run after
-- every other model; meterbook_findings holds what they found.
with findings as (
  select * from meterbook_findings
),
final as (
  select check_id, severity, table_name, column_name, finding_count, example_keys, example_customer_ids, example_details,
    summary, meaning, action
  from findings
)
select * from final
