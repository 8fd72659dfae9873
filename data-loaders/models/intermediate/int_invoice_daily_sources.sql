-- Which path makes each invoice's daily figures (docs/metrics.md, "Daily figures"), decided once here so every
-- invoice reaches the daily lines by exactly one path:
--   breakdowns     its latest finalized breakdown snapshot; for an invoice not closed, its latest draft breakdown
--                  snapshot before the day after as_of;
--   draft_history  no breakdowns, but daily draft_invoice snapshots (the draft history lines);
--   even_spread    a finalized invoice with neither: its lines spread evenly over their service period.
-- Voided invoices make no daily figures.
with voided as (
  select id as invoice_id from stg_invoice where upper(status) = 'VOID'
),
finalized as (
  select id as invoice_id from stg_invoice where upper(status) <> 'VOID'
),
finalized_breakdowns as (
  select invoice_id, max(snapshot_timestamp) as snapshot_at
  from stg_breakdowns_invoices
  where invoice_id not in (select invoice_id from voided)
  group by invoice_id
),
closed as (
  select invoice_id from finalized
  union select invoice_id from voided
  union select invoice_id from finalized_breakdowns
),
draft_breakdowns as (
  select invoice_id, snapshot_at
  from int_latest_draft_snapshots
  where source_table = 'breakdowns_draft_invoices' and invoice_id not in (select invoice_id from closed)
),
by_breakdowns as (
  select invoice_id, 'finalized' as invoice_state, 'breakdowns' as daily_source, snapshot_at from finalized_breakdowns
  union all
  select invoice_id, 'draft' as invoice_state, 'breakdowns' as daily_source, snapshot_at from draft_breakdowns
),
by_draft_history as (
  select
    d.invoice_id,
    case when d.invoice_id in (select invoice_id from finalized) then 'finalized' else 'draft' end as invoice_state,
    'draft_history' as daily_source,
    d.snapshot_at
  from int_latest_draft_snapshots as d
  where d.source_table = 'draft_invoice'
    and d.invoice_id not in (select invoice_id from voided)
    and d.invoice_id not in (select invoice_id from by_breakdowns)
),
by_even_spread as (
  select invoice_id, 'finalized' as invoice_state, 'even_spread' as daily_source, null::timestamp as snapshot_at
  from finalized
  where invoice_id not in (select invoice_id from by_breakdowns) and invoice_id not in (select invoice_id from by_draft_history)
),
final as (
  select * from by_breakdowns
  union all select * from by_draft_history
  union all select * from by_even_spread
)
select * from final
