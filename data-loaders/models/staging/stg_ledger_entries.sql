-- Each balance's ledger, parsed from JSON. No model reads it yet: it is written to staging/ledger_entries.parquet
-- (docs/data-dictionary.md), and ledger reconciliation will read it.
with balances as (
  select id as balance_id, ledger, _file, _row from stg_contracts_balances where ledger is not null
),
entries as (
  select balance_id, _file, _row,
    unnest(coalesce(json_extract(ledger, '$[*]'), []::json[])) as entry,
    generate_subscripts(coalesce(json_extract(ledger, '$[*]'), []::json[]), 1) as entry_index
  from balances
),
parsed as (
  select balance_id, entry_index::integer as entry_index, lower(entry->>'type') as type,
    try_cast(entry->>'timestamp' as timestamptz)::timestamp as occurred_at,
    try_cast(entry->>'amount' as decimal(38, 9)) as amount,
    entry->>'segment_id' as segment_id, entry->>'invoice_id' as invoice_id, _file, _row
  from entries
),
final as (
  select * from parsed order by balance_id, entry_index
)
select * from final
