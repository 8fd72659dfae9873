// The QBR deck's model for one customer and quarter, built from its queries' rows. Customer-facing: no owner, flags
// or notes; only this customer's rows.
import type {CreditTypes} from "../format.js";
import {previousQuarter, quarterPeriod, type Period} from "../periods.js";
import {documentCreditTypes, documentCustomer, num, numOrNull, type RunQuery} from "../documents/rows.js";
import {DECK_QUERIES} from "./queries.js";

/** A day of the primary commit's cumulative use, minor units. */
export interface CurvePoint {
  date: string;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
}

export interface Commit {
  segment_id: string;
  balance_id: string;
  balance_type: string;
  balance_name: string | null;
  credit_type_id: string;
  start_date: string;
  end_date: string | null;
  days: number | null;
  elapsed_days: number;
  amount_minor: number;
  used_minor: number;
  remaining_minor: number;
  expected_minor: number;
  burn_rate_pct: number | null;
  status: "over" | "under" | "on_track";
  run_rate_minor: number | null;
  projected_end_minor: number | null;
  exhaustion_date: string | null;
}

export interface DeckData {
  customer: {customer_id: string; name: string};
  period: Period;
  creditTypes: CreditTypes;
  spendWeekly: {week: string; product: string; credit_type_id: string; spend_minor: number}[];
  usageWeekly: {week: string; product: string; quantity: number}[];
  spendTotals: {credit_type_id: string; spend_minor: number; previous_minor: number}[];
  commits: Commit[];
  drawn: {credit_type_id: string; is_credit: boolean; drawn_minor: number}[];
  curve: CurvePoint[];
  invoices: {credit_type_id: string; invoices: number; total_minor: number}[];
}

/** Runs the deck's queries for one customer and quarter. */
export async function deckData(run: RunQuery, customerId: string, quarter: string, asOf: string): Promise<DeckData> {
  const p = quarterPeriod(quarter, asOf);
  const previousStart = quarterPeriod(previousQuarter(quarter), "9999-12-31").start;
  const customer = await documentCustomer(run, customerId);
  const commits = (await run(DECK_QUERIES.commits, [customerId])).map((r) => ({
    ...r, days: numOrNull(r.days), elapsed_days: num(r.elapsed_days), amount_minor: num(r.amount_minor), used_minor: num(r.used_minor),
    remaining_minor: num(r.remaining_minor), expected_minor: num(r.expected_minor), burn_rate_pct: numOrNull(r.burn_rate_pct),
    run_rate_minor: numOrNull(r.run_rate_minor), projected_end_minor: numOrNull(r.projected_end_minor)
  })) as Commit[];
  const primary = commits[0];
  const curve = primary
    ? (await run(DECK_QUERIES.curve, [customerId, primary.balance_id, primary.segment_id])).map((r) => ({date: String(r.date), actual: numOrNull(r.actual), expected: numOrNull(r.expected), forecast: numOrNull(r.forecast)}))
    : [];
  return {
    customer,
    period: p,
    creditTypes: await documentCreditTypes(run),
    spendWeekly: (await run(DECK_QUERIES.spendWeekly, [customerId, p.start, p.to])).map((r) => ({week: String(r.week), product: String(r.product), credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    usageWeekly: (await run(DECK_QUERIES.usageWeekly, [customerId, p.start, p.to])).map((r) => ({week: String(r.week), product: String(r.product), quantity: num(r.quantity)})),
    spendTotals: (await run(DECK_QUERIES.spendTotals, [customerId, p.start, p.to, previousStart])).map((r) => ({credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor), previous_minor: num(r.previous_minor)})),
    commits,
    drawn: (await run(DECK_QUERIES.drawn, [customerId, p.start, p.to])).map((r) => ({credit_type_id: String(r.credit_type_id), is_credit: Boolean(r.is_credit), drawn_minor: num(r.drawn_minor)})),
    curve,
    invoices: (await run(DECK_QUERIES.invoices, [customerId, p.start, p.end])).map((r) => ({credit_type_id: String(r.credit_type_id), invoices: num(r.invoices), total_minor: num(r.total_minor)}))
  };
}
