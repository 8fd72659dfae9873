-- Metronome's ledger per segment, day and entry type, each type classified into an entry group in the open below
-- (docs/metrics.md, "Ledger reconciliation"). Both spellings are known: the export's (`prepaid_segment_expiration`)
-- and the API's, lower-cased by staging (`prepaid_commit_expiration`). A type in neither list is kept, in `other`,
-- with is_known_type false: no entry is dropped. Entries without a segment_id (postpaid ledgers) go to the balance's
-- only segment, else to the segment whose days hold the entry's date (the latest to start), else stay unattributed.
with entries as (
  select * from stg_ledger_entries
),
balances as (
  select id as balance_id, customer_id, contract_id from stg_contracts_balances
),
segments as (
  select balance_id, segment_id, credit_type_id, start_date, end_date,
    count(*) over (partition by balance_id) as balance_segments
  from int_segments
),
entry_groups(entry_type, entry_group) as (
  values
    ('prepaid_segment_start', 'segment_start'), ('credit_segment_start', 'segment_start'),
    ('postpaid_initial_balance', 'segment_start'),
    ('prepaid_commit_segment_start', 'segment_start'), ('postpaid_commit_initial_balance', 'segment_start'),
    ('prepaid_automated_invoice_deduction', 'invoice_deduction'), ('postpaid_automated_invoice_deduction', 'invoice_deduction'),
    ('credit_automated_invoice_deduction', 'invoice_deduction'),
    ('prepaid_commit_automated_invoice_deduction', 'invoice_deduction'), ('postpaid_commit_automated_invoice_deduction', 'invoice_deduction'),
    ('prepaid_manual', 'manual_adjustment'), ('postpaid_manual', 'manual_adjustment'), ('credit_manual', 'manual_adjustment'),
    ('prepaid_commit_manual', 'manual_adjustment'), ('postpaid_commit_manual', 'manual_adjustment'),
    ('prepaid_segment_expiration', 'expiration'), ('credit_segment_expiration', 'expiration'),
    ('prepaid_commit_expiration', 'expiration'), ('postpaid_commit_expiration', 'expiration'), ('credit_expiration', 'expiration'),
    ('prepaid_rollover', 'rollover'), ('prepaid_commit_rollover', 'rollover'), ('postpaid_commit_rollover', 'rollover'),
    ('credit_rollover', 'rollover'),
    ('postpaid_trueup', 'true_up'), ('postpaid_commit_trueup', 'true_up'),
    -- Known, but none of the reconciled groups: cancellations, credits back, seat-based adjustments.
    ('prepaid_commit_canceled', 'other'), ('prepaid_commit_credited', 'other'), ('credit_commit_canceled', 'other'),
    ('credit_commit_credited', 'other'), ('credit_canceled', 'other'), ('credit_credited', 'other'),
    ('prepaid_commit_seat_based_adjustment', 'other'), ('credit_seat_based_adjustment', 'other')
),
classified as (
  select e.*, e.occurred_at::date as date, coalesce(g.entry_group, 'other') as entry_group, g.entry_type is not null as is_known_type
  from entries as e
  left join entry_groups as g on g.entry_type = e.type
),
attributed as (
  -- The entry's segment: its own segment_id, else the one chosen as above (ranked; rank 1 kept).
  select c.*, coalesce(c.segment_id, s.segment_id) as attributed_segment_id,
    row_number() over (partition by c.balance_id, c.entry_index order by s.start_date desc nulls last, s.segment_id) as candidate_rank
  from classified as c
  left join segments as s
    on c.segment_id is null and s.balance_id = c.balance_id
    and (s.balance_segments = 1 or (s.start_date <= c.date and (s.end_date is null or c.date < s.end_date)))
),
located as (
  select a.*, coalesce(s.credit_type_id, b.credit_type_id) as credit_type_id
  from attributed as a
  left join segments as s on s.balance_id = a.balance_id and s.segment_id = a.attributed_segment_id
  left join (select balance_id, any_value(credit_type_id order by start_date, segment_id) as credit_type_id from segments group by all) as b
    on b.balance_id = a.balance_id
  where a.candidate_rank = 1
),
final as (
  select b.customer_id, b.contract_id, l.balance_id, l.attributed_segment_id as segment_id, l.credit_type_id, l.date,
    l.type as entry_type, any_value(l.entry_group) as entry_group, bool_and(l.is_known_type) as is_known_type,
    count(*)::integer as entries, sum(l.amount)::decimal(38, 9) as amount_minor
  from located as l
  join balances as b using (balance_id)
  group by b.customer_id, b.contract_id, l.balance_id, l.attributed_segment_id, l.credit_type_id, l.date, l.type
)
select * from final
