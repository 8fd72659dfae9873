-- Macros the finding checks use; the findings runner defines them before the first check.

-- A minor-unit amount as text without trailing zeros: 1200.500000000 → '1200.5', -3.000000000 → '-3'.
create or replace macro minor_text(x) as (
  rtrim(rtrim(x::decimal(38, 9)::varchar, '0'), '.')
);
