-- Burn lines that reached no segment (their balance or segment is not in the export): reported as a finding.
with unattributed as (
  select * from int_burn_attribution where segment_id is null
),
final as (
  select * from unattributed
)
select * from final
