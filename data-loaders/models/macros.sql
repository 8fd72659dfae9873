-- Macros every model may use; the runner defines them before the first model of each run.

-- Exact division: n / d rounded half away from zero to 9 decimals, for decimals n and d (null when d is 0 or null).
-- DuckDB's decimal division returns DOUBLE; pace, spread, run-rate and unit-cost figures must stay exact decimals.
-- Both are counted in units of 10⁻⁹ as 128-bit integers; a whole d is not scaled, which keeps the room for large n.
create or replace macro exact_div_nano(n, d, scale) as (
  (2 * (n::decimal(38, 9) * 1000000000)::hugeint * scale + (d::decimal(38, 9) * scale)::hugeint)
    // (2 * (d::decimal(38, 9) * scale)::hugeint)
);
create or replace macro exact_div_abs(n, d) as (
  (exact_div_nano(n, d, case when d = trunc(d) then 1 else 1000000000 end)::decimal(38, 0) * 0.000000001::decimal(10, 9))::decimal(38, 9)
);
create or replace macro exact_div(n, d) as (
  case
    when d is null or d = 0 or n is null then null
    when (n < 0) = (d < 0) then exact_div_abs(abs(n), abs(d))
    else -exact_div_abs(abs(n), abs(d))
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

-- A line_item_type's key, so that the export's class-style names and the API's names meet (docs/line-categories.md):
-- lowercased, all but letters removed, then a leading "contract" and a trailing "lineitem" removed.
-- ContractUsageLineItem → usage; applied_commit_or_credit → appliedcommitorcredit. Null (or nothing left) → null.
create or replace macro line_type_key(t) as (
  nullif(regexp_replace(regexp_replace(lower(t), '[^a-z]', '', 'g'), '^contract|lineitem$', '', 'g'), '')
);
