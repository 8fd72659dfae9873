// Reporting periods and day arithmetic on ISO dates (`YYYY-MM-DD`, UTC): a month or quarter as [start, end), cut
// at the snapshot's as-of date, which is exclusive (its day has no data yet).

export interface Period {
  label: string;
  /** [start, end) UTC dates; `to` = min(end, as_of): the figures stop there. */
  start: string;
  end: string;
  to: string;
  asOf: string;
  partial: boolean;
}

export const DAY_MS = 864e5;

/** The UTC midnight of an ISO date. */
export const utcDay = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

export const addDays = (iso: string, n: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

function period(label: string, start: string, end: string, asOf: string): Period {
  if (start >= asOf) throw new RangeError(`${label} starts on or after the snapshot's as-of date ${asOf}: there is no data for it yet`);
  const to = end < asOf ? end : asOf;
  return {label, start, end, to, asOf, partial: to < end};
}

/** `2026-Q3` → [2026-07-01, 2026-10-01). */
export function quarterPeriod(quarter: string, asOf: string): Period {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw new RangeError(`quarter must look like 2026-Q3, not ${JSON.stringify(quarter)}`);
  const year = Number(m[1]), q = Number(m[2]);
  const start = `${year}-${String(3 * q - 2).padStart(2, "0")}-01`;
  const end = q === 4 ? `${year + 1}-01-01` : `${year}-${String(3 * q + 1).padStart(2, "0")}-01`;
  return period(`Q${q} ${year}`, start, end, asOf);
}

/** The latest quarter that has ended by as_of (the one a review looks back on). */
export function lastQuarter(asOf: string): string {
  const [y, mo] = asOf.split("-").map(Number) as [number, number];
  const q = Math.floor((mo - 1) / 3); // 0-based current quarter; the previous one has ended
  return q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`;
}

/** `2026-Q1` → `2025-Q4`. */
export function previousQuarter(quarter: string): string {
  const [y, q] = quarter.split("-Q").map(Number) as [number, number];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

/** `2026-09` → [2026-09-01, 2026-10-01). */
export function monthPeriod(month: string, asOf: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`month must look like 2026-09, not ${JSON.stringify(month)}`);
  const year = Number(m[1]), mo = Number(m[2]);
  const start = `${month}-01`;
  const end = mo === 12 ? `${year + 1}-01-01` : `${year}-${String(mo + 1).padStart(2, "0")}-01`;
  const label = utcDay(start).toLocaleDateString("en-GB", {month: "long", year: "numeric", timeZone: "UTC"});
  return period(label, start, end, asOf);
}
