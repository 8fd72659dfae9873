-- Which path made the daily figures (docs/metrics.md, "Which invoice lines count: daily figures"): per path and invoice state, how many
-- invoices it made the daily lines of. The breakdowns when the export has them, else the draft history, else an even
-- spread over the invoice's period; the manifest's daily_sources says the same per mart.
with sources as (
  select * from int_invoice_daily_sources
),
final as (
  select daily_source, invoice_state, count(*)::integer as invoice_count
  from sources
  group by all
)
select * from final
