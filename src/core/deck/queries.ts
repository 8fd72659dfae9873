// The QBR deck's queries: one SQL text for native DuckDB at build time and for DuckDB-WASM on the site's /qbr page,
// each filtered by customer_id ($1). Money leaves SQL summed exactly, then as DOUBLE.
// Tables they read, by the names the per-customer site files use: customer, credit_types, products,
// pacing, segments, burn_daily, revenue_daily, usage_daily, invoices. Money leaves SQL summed exactly, then as DOUBLE.
export const DECK_QUERIES = {
  spendWeekly: `select strftime(greatest(date_trunc('week', r.date)::date, $2::date), '%Y-%m-%d') as week,
      coalesce(p.product_name, r.product_id, 'Other') as product, r.credit_type_id, sum(r.gross_minor)::double as spend_minor
    from revenue_daily as r left join products as p using (product_id)
    where r.customer_id = $1 and r.date >= $2::date and r.date < $3::date group by all order by all`,
  usageWeekly: `select strftime(greatest(date_trunc('week', u.date)::date, $2::date), '%Y-%m-%d') as week,
      coalesce(p.product_name, u.product_id, 'Other') as product, sum(u.quantity)::double as quantity
    from usage_daily as u left join products as p using (product_id)
    where u.customer_id = $1 and u.date >= $2::date and u.date < $3::date group by all order by all`,
  spendTotals: `select credit_type_id,
      coalesce(sum(gross_minor) filter (where date >= $2::date and date < $3::date), 0)::double as spend_minor,
      coalesce(sum(gross_minor) filter (where date >= $4::date and date < $2::date), 0)::double as previous_minor
    from revenue_daily where customer_id = $1 and date >= $4::date and date < $3::date group by all order by all`,
  commits: `select segment_id, balance_id, balance_type, balance_name, credit_type_id,
      strftime(start_date, '%Y-%m-%d') as start_date, strftime(end_date, '%Y-%m-%d') as end_date, days, elapsed_days,
      amount_minor::double as amount_minor, burned_to_date_minor::double as used_minor, remaining_minor::double as remaining_minor,
      expected_to_date_minor::double as expected_minor, burn_rate_pct, status, run_rate_minor::double as run_rate_minor,
      projected_end_burn_minor::double as projected_end_minor, strftime(projected_exhaustion_date, '%Y-%m-%d') as exhaustion_date
    from pacing where customer_id = $1
    order by (balance_type = 'credit'), (end_date is null), amount_minor desc, segment_id`,
  drawn: `select b.credit_type_id, (s.balance_type = 'credit') as is_credit, sum(b.burn_minor)::double as drawn_minor
    from burn_daily as b join segments as s using (balance_id, segment_id)
    where b.customer_id = $1 and s.customer_id = $1 and b.date >= $2::date and b.date < $3::date group by all order by all`,
  curve: `select strftime(date, '%Y-%m-%d') as date, cumulative_burn_minor::double as actual,
      expected_cumulative_minor::double as expected, forecast_cumulative_minor::double as forecast
    from burn_daily where customer_id = $1 and balance_id = $2 and segment_id = $3 order by date`,
  invoices: `select credit_type_id, count(*)::integer as invoices, sum(total_minor)::double as total_minor
    from invoices where customer_id = $1 and status <> 'VOID' and start_date >= $2::date and start_date < $3::date group by all order by all`
};
