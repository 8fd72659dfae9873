-- Balances whose remaining amount in Meterbook differs from Metronome's contracts_balances.balance by more than one
-- minor unit. Both are taken at the same moment: Metronome's at the balance row's transfer date (as_of in a flat
-- export), Meterbook's as amount − burn before that date, over the segments active on it (Metronome counts expired
-- and future segments as 0). Left out: balances pacing leaves out, and rows without a balance value.
with params as (
  select * from meterbook_params
),
balances as (
  select b.id as balance_id, b.customer_id, b.balance as metronome_minor,
    coalesce(least(t.transfer_date, params.as_of), params.as_of) as balance_date
  from stg_contracts_balances as b
  left join int_export_transfers as t on t.file_id = b._file, params
  where b.balance is not null
),
segments as (
  select s.*, b.balance_date
  from int_segments as s
  join balances as b using (balance_id)
  where s.inactive_reason is null
    and s.start_date <= b.balance_date and (s.end_date is null or b.balance_date < s.end_date)
),
burned as (
  select s.balance_id, s.segment_id, coalesce(sum(d.burn_minor), 0) as burned_minor
  from segments as s
  left join int_segment_burn_days as d
    on d.balance_id = s.balance_id and d.segment_id = s.segment_id and d.date >= s.start_date and d.date < s.balance_date
  group by s.balance_id, s.segment_id
),
remaining as (
  select s.balance_id, any_value(s.credit_type_id) as credit_type_id, sum(s.amount_minor - b.burned_minor) as meterbook_minor
  from segments as s
  join burned as b using (balance_id, segment_id)
  group by s.balance_id
),
compared as (
  select b.*, coalesce(r.meterbook_minor, 0) as meterbook_minor, r.credit_type_id
  from balances as b
  left join remaining as r using (balance_id)
  where b.balance_id not in (select balance_id from int_segments where inactive_reason is not null)
),
final as (
  select
    'contracts_balances' as table_name,
    'balance_id=' || c.balance_id as example_key,
    c.customer_id,
    'on ' || strftime(c.balance_date, '%Y-%m-%d') || ': Metronome ' || minor_text(c.metronome_minor) || ', Meterbook ' || minor_text(c.meterbook_minor)
      || ', difference ' || minor_text(c.meterbook_minor - c.metronome_minor) || coalesce(' ' || t.name, '') as detail
  from compared as c
  left join mart_credit_types as t on t.credit_type_id = c.credit_type_id
  where abs(c.meterbook_minor - c.metronome_minor) > 1
)
select * from final
