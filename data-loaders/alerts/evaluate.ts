// Evaluating alert rules on one snapshot: each kind's condition, defined once here as SQL over the marts (pacing
// joined with customers and credit types) or, for stale data, over the manifest's source files; the result is the
// list of conditions that hold, per rule and subject (a segment, or an export table), with the figure behind each.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {creditTypeMap, money, percent, type CreditType, type CreditTypes} from "../../src/core/format.js";
import {addDays} from "../../src/core/periods.js";
import {BALANCE_TYPE_LABELS, FLAG_LABELS} from "../../src/core/vocabulary.js";
import {rows, sqlString} from "../lib/duckdb.js";
import type {Manifest} from "../snapshot/snapshot.js";
import {openMarts} from "../snapshot/site.js";
import type {AlertKind, AlertRule, Severity} from "./rules.js";

/** A segment active on as_of, as the rules see it. Money in the credit type's minor unit. */
export interface SegmentFacts {
  subject_id: string;
  customer_id: string;
  label: string;
  owner: string | null;
  balance_id: string;
  segment_id: string;
  commitment: string;
  credit_type_id: string;
  amount_minor: number;
  remaining_minor: number;
  remaining_pct: number | null;
  burn_rate_pct: number | null;
  status: string;
  flags: string[];
  end_date: string | null;
  projected_exhaustion_date: string | null;
  days_to_exhaustion: number | null;
}

/** A rule's condition holding on one subject. */
export interface Holding {
  rule_id: string;
  kind: AlertKind;
  severity: Severity;
  subject_id: string;
  /** null for a subject that is no customer's (stale data). */
  customer_id: string | null;
  /** The number the condition tests (remaining, %, days, burn rate, lag), for the state and for "was … now …". */
  value: number | null;
  /** The figure in words, e.g. "Remaining 12.0% of $1,000.00 ($120.00); threshold 20%". */
  figure: string;
}

export interface Evaluation {
  as_of: string;
  content_hash: string;
  holding: Holding[];
  /** Every segment active on as_of, by subject id (also those no rule holds for: a resolved alert's figure now). */
  segments: Map<string, SegmentFacts>;
  creditTypes: CreditTypes;
  /** Rules that could not be evaluated on this snapshot, with why (stale data without partitioned transfers). */
  skipped: {rule_id: string; reason: string}[];
  connection: DuckDBConnection;
  close(): void;
}

export const subjectOfSegment = (r: {customer_id: string; balance_id: string; segment_id: string}) => `${r.customer_id}/${r.balance_id}/${r.segment_id}`;

/**
 * Tables delivered every day while customers use anything: the open (draft) invoices and their breakdowns. Finalized
 * invoices arrive once a month and catalog tables when they change, so their age says nothing about freshness.
 */
export const STALE_DEFAULT_TABLES = ["draft_invoice", "draft_line_item", "breakdowns_draft_invoices", "breakdowns_draft_line_items"];

// Each segment kind's condition: a SQL predicate over `alert_segments`, the threshold bound as $1 (and, for amounts,
// the credit type as $2).
const SEGMENT_CONDITIONS: Record<Exclude<AlertKind, "stale_data">, string> = {
  low_remaining_amount: `credit_type_id = $2 and remaining_minor < $1::decimal(38, 9)`,
  low_remaining_pct: `amount_minor > 0 and 100 * remaining_minor::double < $1::double * amount_minor::double`,
  low_days_to_exhaustion: `days_to_exhaustion is not null and days_to_exhaustion < $1::integer`,
  status: `status = $1`,
  flag: `list_contains(flags, $1)`,
  negative_balance: `remaining_minor < 0`
};

const SEGMENTS_SQL = (asOf: string) => `
  create or replace temp view alert_segments as
  with pacing as (
    select * from mart_pacing
  ), customers as (
    select customer_id, label, owner from mart_customers
  ), final as (
    select p.*, c.label, c.owner,
      date_diff('day', ${sqlString(asOf)}::date, p.projected_exhaustion_date) as days_to_exhaustion,
      case when p.amount_minor > 0 then 100 * p.remaining_minor::double / p.amount_minor::double end as remaining_pct
    from pacing as p join customers as c using (customer_id)
  )
  select * from final`;

export async function evaluate(snapshotDir: string, rules: AlertRule[]): Promise<Evaluation> {
  const manifest = JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8")) as Manifest;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(manifest.as_of)) throw new Error(`${snapshotDir}/manifest.json: as_of is not a date: ${manifest.as_of}`);
  const {instance, connection} = await openMarts(snapshotDir);
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    return {...(await evaluateOn(connection, manifest, rules)), connection, close};
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * The rules on a connection holding mart_pacing, mart_customers and mart_credit_types (a snapshot's views, or the
 * replay's tables built in memory), as of `manifest.as_of`; stale data reads `manifest.source_files`.
 */
export async function evaluateOn(connection: DuckDBConnection, manifest: Pick<Manifest, "as_of" | "content_hash" | "source_files">, rules: AlertRule[]): Promise<Omit<Evaluation, "connection" | "close">> {
  const asOf = manifest.as_of;
  await connection.run(SEGMENTS_SQL(asOf));
  const creditTypes = creditTypeMap((await rows<CreditType>(connection, `select credit_type_id, name, currency_code, minor_per_major from mart_credit_types`)).map((r) => ({...r, minor_per_major: Number(r.minor_per_major)})));
  const segments = new Map<string, SegmentFacts>();
  for (const r of await rows<Record<string, unknown>>(connection, `select * from alert_segments order by customer_id, balance_id, segment_id`)) {
    const facts = segmentFacts(r);
    segments.set(facts.subject_id, facts);
  }
  const holding: Holding[] = [];
  const skipped: Evaluation["skipped"] = [];
  for (const rule of rules) {
    if (rule.kind === "stale_data") {
      const stale = staleTables(manifest, rule);
      if (stale === null) skipped.push({rule_id: rule.id, reason: "the snapshot's export has no dt= transfer partitions for the checked tables, so no freshness to check"});
      else holding.push(...stale);
      continue;
    }
    for (const [params, creditTypeId] of thresholdParams(rule, creditTypes)) {
      const keys = await rows<{subject_id: string}>(connection, `select customer_id || '/' || balance_id || '/' || segment_id as subject_id from alert_segments where ${SEGMENT_CONDITIONS[rule.kind]} order by all`, params);
      for (const {subject_id} of keys) {
        const s = segments.get(subject_id)!;
        holding.push({rule_id: rule.id, kind: rule.kind, severity: rule.severity, subject_id, customer_id: s.customer_id, value: valueOf(rule.kind, s), figure: figureOf(rule, s, creditTypes, creditTypeId)});
      }
    }
  }
  return {as_of: asOf, content_hash: manifest.content_hash, holding, segments, creditTypes, skipped};
}

/** The bound parameters of each query a rule runs: one per credit type for amounts (names resolved to ids). */
function thresholdParams(rule: AlertRule, creditTypes: CreditTypes): [unknown[], string | null][] {
  if (rule.kind === "negative_balance") return [[[], null]];
  if (rule.kind !== "low_remaining_amount") return [[[rule.threshold], null]];
  const out: [unknown[], string | null][] = [];
  for (const [key, amount] of Object.entries(rule.threshold as Record<string, number>)) {
    const ct = creditTypes.get(key) ?? [...creditTypes.values()].find((c) => c.name === key);
    // A credit type the snapshot does not hold has no segment to test.
    if (ct) out.push([[String(amount), ct.credit_type_id], ct.credit_type_id]);
  }
  return out;
}

function segmentFacts(r: Record<string, unknown>): SegmentFacts {
  const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const date = (v: unknown) => (v === null || v === undefined ? null : String(v).slice(0, 10));
  return {
    subject_id: subjectOfSegment(r as {customer_id: string; balance_id: string; segment_id: string}),
    customer_id: String(r.customer_id),
    label: String(r.label ?? r.customer_id),
    owner: r.owner === null || r.owner === undefined || r.owner === "" ? null : String(r.owner),
    balance_id: String(r.balance_id),
    segment_id: String(r.segment_id),
    commitment: String(r.balance_name ?? BALANCE_TYPE_LABELS[String(r.balance_type)] ?? r.balance_type),
    credit_type_id: String(r.credit_type_id),
    amount_minor: Number(r.amount_minor),
    remaining_minor: Number(r.remaining_minor),
    remaining_pct: numOrNull(r.remaining_pct),
    burn_rate_pct: numOrNull(r.burn_rate_pct),
    status: String(r.status),
    flags: (r.flags as string[] | null) ?? [],
    end_date: date(r.end_date),
    projected_exhaustion_date: date(r.projected_exhaustion_date),
    days_to_exhaustion: numOrNull(r.days_to_exhaustion)
  };
}

export function valueOf(kind: AlertKind, s: SegmentFacts): number | null {
  switch (kind) {
    case "low_remaining_amount":
    case "negative_balance":
      return s.remaining_minor;
    case "low_remaining_pct":
      return s.remaining_pct;
    case "low_days_to_exhaustion":
      return s.days_to_exhaustion;
    default:
      return s.burn_rate_pct;
  }
}

/** The segment's figure for a rule, in words (also used, with today's facts, when the alert resolves). */
export function figureOf(rule: AlertRule, s: SegmentFacts, ct: CreditTypes, creditTypeId: string | null = s.credit_type_id): string {
  const m = (minor: number) => money(minor, s.credit_type_id, ct);
  const of = `${m(s.remaining_minor)} of ${m(s.amount_minor)} remaining`;
  switch (rule.kind) {
    case "low_remaining_amount": {
      const limit = Object.entries(rule.threshold as Record<string, number>).find(([k]) => k === creditTypeId || ct.get(s.credit_type_id)?.name === k)?.[1];
      return `${of}; alert below ${limit === undefined ? "–" : m(limit)}`;
    }
    case "low_remaining_pct":
      return `${percent(s.remaining_pct)} left (${of}); alert below ${rule.threshold}%`;
    case "low_days_to_exhaustion":
      return s.projected_exhaustion_date === null
        ? `not projected to run out before the term ends (${of})`
        : `${exhaustionWords(s.projected_exhaustion_date, s.days_to_exhaustion!)}${s.end_date ? `, before the term ends on ${addDays(s.end_date, -1)}` : ""}; alert within ${rule.threshold} days`;
    case "status":
      return `${s.status === "over" ? "over pace" : s.status === "under" ? "under pace" : "on track"}: burned ${percent(s.burn_rate_pct)} of the even pace to date (${of})`;
    case "flag":
      return `${s.flags.includes(String(rule.threshold)) ? FLAG_LABELS[String(rule.threshold)] : `no longer ${FLAG_LABELS[String(rule.threshold)]?.toLowerCase()}`}: burned ${percent(s.burn_rate_pct)} of the even pace to date (${of})`;
    case "negative_balance":
      return s.remaining_minor < 0 ? `balance is negative: ${of}` : `balance is positive again: ${of}`;
    case "stale_data":
      return "";
  }
}

function exhaustionWords(date: string, days: number): string {
  if (days < 0) return `ran out on ${date}, ${-days} day${days === -1 ? "" : "s"} before as_of`;
  if (days === 0) return `runs out on ${date}, the as-of day`;
  return `projected to run out on ${date}, in ${days} day${days === 1 ? "" : "s"}`;
}

/** Stale tables: those whose newest transfer (dt=) is more than `threshold` days before as_of; null without dt info. */
function staleTables(manifest: Pick<Manifest, "as_of" | "source_files">, rule: AlertRule): Holding[] | null {
  const tables = rule.tables ?? STALE_DEFAULT_TABLES;
  const latest = new Map<string, string>();
  for (const f of manifest.source_files ?? []) {
    if (!f.dt || !tables.includes(f.table)) continue;
    if (!latest.has(f.table) || latest.get(f.table)! < f.dt) latest.set(f.table, f.dt);
  }
  if (!latest.size) return null;
  const out: Holding[] = [];
  for (const [table, dt] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    const lag = Math.round((Date.parse(`${manifest.as_of}T00:00:00Z`) - Date.parse(`${dt}T00:00:00Z`)) / 86_400_000);
    if (lag > Number(rule.threshold)) {
      out.push({rule_id: rule.id, kind: rule.kind, severity: rule.severity, subject_id: `table:${table}`, customer_id: null, value: lag, figure: `newest transfer dt=${dt}, ${lag} days before as_of ${manifest.as_of}; alert after ${rule.threshold} days`});
    }
  }
  return out;
}

/** The segment's cumulative burn, even pace and forecast, day by day (money in minor units), for its burn chart. */
export async function burnCurve(connection: DuckDBConnection, s: SegmentFacts): Promise<{date: string; actual: number | null; expected: number | null; forecast: number | null}[]> {
  const found = await rows<Record<string, unknown>>(
    connection,
    `select strftime(date, '%Y-%m-%d') as date, cumulative_burn_minor::double as actual, expected_cumulative_minor::double as expected, forecast_cumulative_minor::double as forecast
     from mart_burn_daily where customer_id = $1 and balance_id = $2 and segment_id = $3 order by date`,
    [s.customer_id, s.balance_id, s.segment_id]
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return found.map((r) => ({date: String(r.date), actual: n(r.actual), expected: n(r.expected), forecast: n(r.forecast)}));
}
