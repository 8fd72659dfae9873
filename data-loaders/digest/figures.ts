// The weekly digest's figures, each one small SQL over the marts (docs/metrics.md, "Weekly digest"): the ISO week
// as a period cut at as_of, revenue week over week by category, and the at-risk segments. Nothing else computes them.
import type {DuckDBConnection} from "@duckdb/node-api";
import {addDays} from "../../src/core/periods.js";
import {rows} from "../lib/duckdb.js";

export interface Week {
  /** `2026-W41`. */
  label: string;
  /** Monday of the week; `end` the next Monday (exclusive). */
  start: string;
  end: string;
  /** Days of the week before as_of (1–7): the figures compare this many days of each week. */
  days: number;
  /** The week before, cut to the same number of days: [previousStart, previousStart + days). */
  previousStart: string;
  partial: boolean;
}

/** `2026-W41` → its Monday-to-Monday span (ISO 8601: week 1 holds January 4th), cut at as_of. */
export function isoWeek(label: string, asOf: string): Week {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new RangeError(`week must look like 2026-W41, not ${JSON.stringify(label)}`);
  const year = Number(m[1]), week = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1 = addDays(`${year}-01-04`, -((jan4.getUTCDay() + 6) % 7));
  const start = addDays(week1, 7 * (week - 1));
  // The week's Thursday decides its year: week 53 exists only in years whose last Thursday falls in it.
  if (week < 1 || addDays(start, 3).slice(0, 4) !== String(year)) throw new RangeError(`${label}: ${year} has no week ${week}`);
  if (start >= asOf) throw new RangeError(`${label} starts on ${start}, on or after the snapshot's as-of date ${asOf}: there is no data for it yet`);
  const end = addDays(start, 7);
  const days = Math.min(7, Math.round((Date.parse(asOf) - Date.parse(start)) / 864e5));
  return {label, start, end, days, previousStart: addDays(start, -7), partial: days < 7};
}

export interface WeekRevenue {
  credit_type_id: string;
  /** null on the credit type's total row. */
  category: string | null;
  revenue_minor: number;
  previous_revenue_minor: number;
  contra_revenue_minor: number;
  previous_contra_revenue_minor: number;
  change_minor: number;
  /** null when the previous week's revenue is 0 ("new"). */
  change_pct: number | null;
}

// Per credit type × category, and per credit type (category null): the week's first `days` days against the same
// days of the week before. $1 the week's Monday, $2 days.
export const WEEK_REVENUE_SQL = `
with params as (
  select $1::date as week_start, $2::integer as days
),
revenue as (
  select date, credit_type_id, category, revenue_minor, contra_revenue_minor from mart_revenue_daily
),
windowed as (
  select r.*,
    r.date >= p.week_start as is_current
  from revenue as r, params as p
  where (r.date >= p.week_start and r.date < p.week_start + p.days)
     or (r.date >= p.week_start - 7 and r.date < p.week_start - 7 + p.days)
),
summed as (
  select credit_type_id, category,
    coalesce(sum(revenue_minor) filter (where is_current), 0) as revenue_minor,
    coalesce(sum(revenue_minor) filter (where not is_current), 0) as previous_revenue_minor,
    coalesce(sum(contra_revenue_minor) filter (where is_current), 0) as contra_revenue_minor,
    coalesce(sum(contra_revenue_minor) filter (where not is_current), 0) as previous_contra_revenue_minor
  from windowed
  group by grouping sets ((credit_type_id, category), (credit_type_id))
),
final as (
  select *,
    revenue_minor - previous_revenue_minor as change_minor,
    case when previous_revenue_minor <> 0 then 100 * (revenue_minor - previous_revenue_minor)::double / abs(previous_revenue_minor::double) end as change_pct
  from summed
)
select * from final
order by credit_type_id, category is null, category`;

export async function weekRevenue(connection: DuckDBConnection, week: Week): Promise<WeekRevenue[]> {
  const found = await rows<Record<string, unknown>>(connection, WEEK_REVENUE_SQL, [week.start, week.days]);
  const n = (v: unknown) => Number(v);
  return found.map((r) => ({
    credit_type_id: String(r.credit_type_id),
    category: r.category === null ? null : String(r.category),
    revenue_minor: n(r.revenue_minor),
    previous_revenue_minor: n(r.previous_revenue_minor),
    contra_revenue_minor: n(r.contra_revenue_minor),
    previous_contra_revenue_minor: n(r.previous_contra_revenue_minor),
    change_minor: n(r.change_minor),
    change_pct: r.change_pct === null ? null : n(r.change_pct)
  }));
}

export const AT_RISK_REASONS = ["negative_balance", "exhausts_before_end", "over", "under"] as const;
export type AtRiskReason = (typeof AT_RISK_REASONS)[number];

export interface AtRisk {
  customer_id: string;
  label: string;
  owner: string | null;
  balance_id: string;
  segment_id: string;
  balance_type: string;
  balance_name: string | null;
  credit_type_id: string;
  amount_minor: number;
  remaining_minor: number;
  burn_rate_pct: number | null;
  status: string;
  end_date: string | null;
  projected_exhaustion_date: string | null;
  /** Why the segment is at risk, most severe first. */
  reasons: AtRiskReason[];
}

// A segment active on as_of is at risk when its balance is negative, it is projected to run out before its term ends
// (pacing.projected_exhaustion_date is set only then), or it is over or under pace.
export const AT_RISK_SQL = `
with pacing as (
  select * from mart_pacing
),
customers as (
  select customer_id, label, owner from mart_customers
),
reasoned as (
  select p.customer_id, c.label, c.owner, p.balance_id, p.segment_id, p.balance_type, p.balance_name, p.credit_type_id,
    p.amount_minor, p.remaining_minor, p.burn_rate_pct, p.status,
    strftime(p.end_date, '%Y-%m-%d') as end_date, strftime(p.projected_exhaustion_date, '%Y-%m-%d') as projected_exhaustion_date,
    list_filter([
      case when p.remaining_minor < 0 then 'negative_balance' end,
      case when p.projected_exhaustion_date is not null then 'exhausts_before_end' end,
      case when p.status in ('over', 'under') then p.status end
    ], r -> r is not null) as reasons
  from pacing as p join customers as c using (customer_id)
),
final as (
  select * from reasoned where len(reasons) > 0
)
select * from final
order by reasons[1] = 'negative_balance' desc, projected_exhaustion_date nulls last, status = 'over' desc, label, balance_id, segment_id`;

export async function atRisk(connection: DuckDBConnection): Promise<AtRisk[]> {
  const found = await rows<Record<string, unknown>>(connection, AT_RISK_SQL);
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return found.map((r) => ({
    customer_id: String(r.customer_id),
    label: String(r.label),
    owner: s(r.owner),
    balance_id: String(r.balance_id),
    segment_id: String(r.segment_id),
    balance_type: String(r.balance_type),
    balance_name: s(r.balance_name),
    credit_type_id: String(r.credit_type_id),
    amount_minor: Number(r.amount_minor),
    remaining_minor: Number(r.remaining_minor),
    burn_rate_pct: r.burn_rate_pct === null ? null : Number(r.burn_rate_pct),
    status: String(r.status),
    end_date: s(r.end_date),
    projected_exhaustion_date: s(r.projected_exhaustion_date),
    reasons: [...((r.reasons as string[] | null) ?? [])] as AtRiskReason[]
  }));
}
