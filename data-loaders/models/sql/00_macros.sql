-- Exact money division: n / d rounded half away from zero to 9 decimals, for a decimal n and a positive integer d.
-- DuckDB's decimal division returns DOUBLE; pace, spread and run-rate figures must stay exact decimals.
create or replace macro exact_div(n, d) as (
  case
    when d is null or d = 0 or n is null then null
    when n >= 0 then (((2 * (n::decimal(38, 9) * 1000000000)::hugeint + d) // (2 * d))::decimal(38, 0) * 0.000000001::decimal(10, 9))::decimal(38, 9)
    else -((((2 * (-n::decimal(38, 9) * 1000000000)::hugeint + d) // (2 * d))::decimal(38, 0) * 0.000000001::decimal(10, 9))::decimal(38, 9))
  end
);

-- The share of `total` for day `i` (0-based) of `n` days; shares telescope, so they sum to `total` exactly.
create or replace macro spread_share(total, i, n) as (exact_div(total * (i + 1), n) - exact_div(total * i, n));

-- Pace status from a burn rate held as an exact fraction (burn_rate_pct = pct_numerator / pct_denominator): the one
-- place the thresholds live (docs/metrics.md). Over above 110 %, under below 80 %, on track between, both bounds
-- included; a null fraction (nothing expected yet) is on track.
create or replace macro pace_status(pct_numerator, pct_denominator) as (
  case
    when pct_numerator > 110 * pct_denominator then 'over'
    when pct_numerator < 80 * pct_denominator then 'under'
    else 'on_track'
  end
);
