-- Per segment started by as_of: Metronome's balance beside Meterbook's remaining, and the difference explained by the
-- ledger's entry groups (docs/metrics.md, "Ledger reconciliation"). Metronome's balance is contracts_balances.balance
-- where it belongs to one segment (the balance's only segment active on as_of), else the ledger's sum for the segment.
with params as (
  select * from meterbook_params
),
pace as (
  select * from int_segment_pace
),
balances as (
  select id as balance_id, balance as reported_balance, ledger is not null as has_ledger from stg_contracts_balances
),
ledger as (
  select balance_id, segment_id,
    sum(amount_minor) as ledger_balance_minor,
    sum(amount_minor) filter (where entry_group = 'segment_start') as segment_start_minor,
    sum(amount_minor) filter (where entry_group = 'invoice_deduction') as invoice_deduction_minor,
    sum(amount_minor) filter (where entry_group = 'manual_adjustment') as manual_adjustment_minor,
    sum(amount_minor) filter (where entry_group = 'expiration') as expiration_minor,
    sum(amount_minor) filter (where entry_group = 'rollover') as rollover_minor,
    sum(amount_minor) filter (where entry_group = 'true_up') as true_up_minor,
    sum(amount_minor) filter (where entry_group = 'other') as other_minor
  from mart_ledger_daily
  group by all
),
-- Usage Meterbook counts as burn but Metronome has not deducted yet: burn before as_of on invoices still in draft,
-- unless the ledger already holds a deduction for that invoice (either reading of drafts is then explained).
deducted as (
  select distinct balance_id, invoice_id from stg_ledger_entries where invoice_id is not null
),
pending as (
  select b.balance_id, b.segment_id, sum(b.total_minor) as pending_deduction_minor
  from int_burn_lines as b, params
  where b.invoice_state = 'draft' and b.date < params.as_of
    and not exists (select 1 from deducted as d where d.balance_id = b.balance_id and d.invoice_id = b.invoice_id)
  group by all
),
active as (
  -- The segments active on as_of, and how many of its balance's segments are.
  select p.balance_id, p.segment_id, count(*) over (partition by p.balance_id) as active_segments
  from pace as p, params
  where p.start_date <= params.as_of and (p.end_date is null or params.as_of < p.end_date)
),
joined as (
  select p.customer_id, p.contract_id, p.balance_id, p.segment_id, p.balance_type, p.balance_name, p.credit_type_id,
    p.start_date, p.end_date, a.segment_id is not null as is_active,
    p.amount_minor, p.burned_to_date_minor, p.remaining_minor,
    case when b.has_ledger then coalesce(l.ledger_balance_minor, 0) end as ledger_balance_minor,
    case when a.active_segments = 1 then b.reported_balance end as reported_balance_minor,
    b.has_ledger,
    coalesce(l.segment_start_minor, 0) as segment_start_minor,
    coalesce(l.invoice_deduction_minor, 0) as invoice_deduction_minor,
    coalesce(l.manual_adjustment_minor, 0) as manual_adjustment_minor,
    coalesce(l.expiration_minor, 0) as expiration_minor,
    coalesce(l.rollover_minor, 0) as rollover_minor,
    coalesce(l.true_up_minor, 0) as true_up_minor,
    coalesce(l.other_minor, 0) as other_minor,
    coalesce(pd.pending_deduction_minor, 0) as pending_deduction_minor
  from pace as p
  cross join params
  join balances as b using (balance_id)
  left join active as a using (balance_id, segment_id)
  left join ledger as l using (balance_id, segment_id)
  left join pending as pd using (balance_id, segment_id)
  where p.start_date <= params.as_of
),
compared as (
  select *,
    coalesce(reported_balance_minor, ledger_balance_minor)::decimal(38, 9) as metronome_balance_minor,
    case when reported_balance_minor is not null then 'balance' when ledger_balance_minor is not null then 'ledger' end as metronome_balance_source,
    (manual_adjustment_minor + expiration_minor + rollover_minor + true_up_minor + pending_deduction_minor)::decimal(38, 9) as explained_minor
  from joined
),
final as (
  select customer_id, contract_id, balance_id, segment_id, balance_type, balance_name, credit_type_id, start_date, end_date,
    is_active, amount_minor, burned_to_date_minor, remaining_minor,
    metronome_balance_minor, metronome_balance_source, reported_balance_minor, ledger_balance_minor,
    (metronome_balance_minor - remaining_minor)::decimal(38, 9) as difference_minor,
    segment_start_minor, invoice_deduction_minor, manual_adjustment_minor, expiration_minor, rollover_minor, true_up_minor, other_minor,
    pending_deduction_minor::decimal(38, 9) as pending_deduction_minor,
    case when metronome_balance_minor is not null then explained_minor end as explained_minor,
    (metronome_balance_minor - remaining_minor - explained_minor)::decimal(38, 9) as unexplained_minor,
    case when metronome_balance_minor is not null then abs(metronome_balance_minor - remaining_minor - explained_minor) <= 1 end as is_explained
  from compared
)
select * from final
