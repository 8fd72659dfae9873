// The one place money, dates and percentages become text. Money arrives in the credit type's minor unit
// (USD cents, whole EUR) with its credit_type_id; credit_types.parquet says how many minor units make a major one.

export interface CreditType {
  credit_type_id: string;
  name: string;
  currency_code: string | null;
  minor_per_major: number;
}

export type CreditTypes = Map<string, CreditType>;

export function creditTypeMap(rows: Iterable<CreditType>): CreditTypes {
  return new Map(Array.from(rows, (r) => [r.credit_type_id, r]));
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(code: string | null, digits: number, compact: boolean): Intl.NumberFormat {
  const key = `${code}|${digits}|${compact}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", {
      ...(code ? {style: "currency", currency: code} : {}),
      minimumFractionDigits: compact || !code ? 0 : digits,
      maximumFractionDigits: digits,
      ...(compact ? {notation: "compact"} : {})
    });
    formatters.set(key, f);
  }
  return f;
}

/** Major units (dollars, euros) of a minor-unit amount. */
export function toMajor(minor: number, creditType: CreditType | undefined): number {
  return minor / (creditType?.minor_per_major ?? 1);
}

/** `$1,234.56`, `€1,235`, or `1,234.5 credits` for a custom pricing unit. Null/undefined shows as an en dash. */
export function money(minor: number | null | undefined, creditTypeId: string, creditTypes: CreditTypes, {compact = false} = {}): string {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return "–";
  const ct = creditTypes.get(creditTypeId);
  const major = toMajor(minor, ct);
  if (!ct?.currency_code) return `${formatter(null, 2, compact).format(major)} ${ct?.name ?? creditTypeId}`;
  const digits = ct.minor_per_major === 100 ? 2 : 0;
  return formatter(ct.currency_code, compact ? 1 : digits, compact).format(major);
}

/**
 * A price or cost per unit, which can be a small fraction of a cent (a token): four significant digits below one
 * major unit, `$0.00001812`; cents otherwise, `$239.68`. Null shows as an en dash.
 */
export function unitMoney(minor: number | null | undefined, creditTypeId: string, creditTypes: CreditTypes): string {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return "–";
  const ct = creditTypes.get(creditTypeId);
  const major = toMajor(minor, ct);
  if (Math.abs(major) >= 1 || major === 0) return money(minor, creditTypeId, creditTypes);
  const text = new Intl.NumberFormat("en-US", {maximumSignificantDigits: 4}).format(major);
  if (!ct?.currency_code) return `${text} ${ct?.name ?? creditTypeId}`;
  const symbol = new Intl.NumberFormat("en-US", {style: "currency", currency: ct.currency_code}).formatToParts(0).find((p) => p.type === "currency")?.value ?? ct.currency_code;
  return major < 0 ? `-${symbol}${text.slice(1)}` : `${symbol}${text}`;
}

/** `84.3%`; null shows as an en dash. */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return `${value.toFixed(1)}%`;
}

/** `2026-10-15` for a Date or date-like value (UTC). */
export function isoDate(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(+date) ? "–" : date.toISOString().slice(0, 10);
}

/** `15 Oct 2026` (UTC). */
export function longDate(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(+date) ? "–" : date.toLocaleDateString("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
}

export function integer(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : formatter(null, 0, false).format(value);
}

export function quantity(value: number | null | undefined, {compact = false} = {}): string {
  return value === null || value === undefined ? "–" : formatter(null, value < 10 ? 2 : 0, compact).format(value);
}
