-- Balances with a segment active on as_of that pacing leaves out: int_segments' inactive_reason = 'contract_archived'.
with params as (
  select * from meterbook_params
),
excluded as (
  select s.balance_id, any_value(s.customer_id) as customer_id, any_value(s.contract_id) as contract_id, count(*) as segments
  from int_segments as s, params
  where s.inactive_reason = 'contract_archived'
    and s.start_date <= params.as_of and (s.end_date is null or params.as_of < s.end_date)
  group by s.balance_id
),
final as (
  select
    'contracts_contracts' as table_name,
    'balance_id=' || balance_id as example_key,
    customer_id,
    'contract_id=' || coalesce(contract_id, '(none)') || ', ' || segments || ' active segment' || case when segments > 1 then 's' else '' end || ' left out of pacing' as detail
  from excluded
)
select * from final
