// The sample's "small" side, as data: customers, contracts, commits, products and invoice headers, built in JS with
// seeded randomness (build.ts, customers.ts, balances.ts). Everything per-day (usage, breakdowns, line items) is
// generated from these parameters in DuckDB SQL (see pipeline.ts), because the dense benchmark configuration has
// millions of rows.
import type {CreditType, ProductDef} from "./catalog.js";
import type {HistoryKnobs, PlanHistory} from "./history.js";

export type Env = "PRODUCTION" | "SANDBOX";
export type BalanceType = "prepaid" | "postpaid" | "credit";
/** "full": every table with Meterbook's original vocabulary; "guide": the table set Metronome's commit-analytics guide
 * enables (no breakdowns), with the API's line-item type names and applied-commit offset lines. */
export type SampleVariant = "full" | "guide";

export interface ResolvedOptions {
  seed: number;
  /** Production customers, scenario customers included. */
  customers: number;
  products: number;
  startDay: number;
  asOfDay: number;
  /** First day of the open (draft) month: the month containing as-of. */
  openMonth: number;
  scenarios: boolean;
  /** Only these scenarios' customers (null: all of them). */
  scenarioNames: string[] | null;
  dense: boolean;
  variant: SampleVariant;
  /** The history model's knobs (history.ts). */
  history: HistoryKnobs;
}

/** One access-schedule item. Amounts are whole minor units of the customer's credit type. */
export interface Segment {
  id: string;
  start: number;
  /** Exclusive. */
  end: number;
  amount: number;
}

export interface ScheduleItem {
  id: string;
  date: number;
  amount: number;
  /** The CONTRACT_SCHEDULED invoice that bills it (guide variant only). */
  invoiceId?: string;
}

export interface Balance {
  id: string;
  type: BalanceType;
  name: string;
  description: string;
  productId: string;
  contractId: string;
  segments: Segment[];
  /** null for credits (never invoiced); [] for free commits; items for bought commits and postpaid minimums. */
  invoiceSchedule: ScheduleItem[] | null;
  /** Usage keeps drawing the commit after it reaches zero (the negative-balance scenario). */
  uncapped: boolean;
  priority: number;
  rateType: "COMMIT_RATE" | "LIST_RATE";
  costBasis: number;
}

export interface Contract {
  id: string;
  name: string;
  start: number;
  end: number;
  createdMs: number;
  balances: Balance[];
}

/** A version of the customer row; each lands in the partition of its updated_at day. */
export interface CustomerVersion {
  updatedMs: number;
  name: string;
  owner: string;
  segment: string;
  aliases: string[];
  archivedMs: number | null;
}

export interface UsageProduct {
  pidx: number;
  /** Share of the customer's daily spend. */
  share: number;
  /** Probability the product is used on a given day (its spend that day is scaled up to keep the mean). */
  dailyUse: number;
  /** Contracted unit price, millionths of the minor unit. */
  priceMicro: number;
  /** A list-price change: from `day` on, the same quantity is billed at `priceMicro` (LIST_PRICE_CHANGE). */
  priceChange: {day: number; priceMicro: number} | null;
}

/** Expected daily spend (minor units) over [from, to): daily × growthFactor(growth, days since from) × the history
 * model's factors (history.ts). */
export interface SpendPlan {
  from: number;
  to: number;
  daily: number;
  growth: number;
  /** Half-width of the triangular multiplicative noise. */
  noise: number;
  /** Weekday pattern, seasonality and events. */
  history: PlanHistory;
}

export interface Customer {
  cidx: number;
  id: string;
  env: Env;
  currency: CreditType;
  scenario: string | null;
  createdMs: number;
  versions: CustomerVersion[];
  salesforceId: string | null;
  billingProviderType: string | null;
  billingProviderCustomerId: string | null;
  contracts: Contract[];
  products: UsageProduct[];
  plans: SpendPlan[];
}

export interface Product {
  env: Env;
  pidx: number;
  id: string;
  metricId: string;
  def: ProductDef;
  createdMs: number;
  /** Later versions of the product row (tags edited). */
  updates: Array<{updatedMs: number; tags: string[]}>;
}

export interface FixedProduct {
  env: Env;
  /** What it books: a commit or credit, or (guide variant) the monthly platform fee. */
  kind: BalanceType | "platform_fee";
  id: string;
  name: string;
  createdMs: number;
}

export interface InvoiceVersion {
  status: "FINALIZED" | "VOID";
  updatedMs: number;
}

/** A finalized monthly usage invoice (one per customer, contract and month). */
export interface UsageInvoice {
  iidx: number;
  id: string;
  cidx: number;
  contractId: string;
  monthStart: number;
  monthEnd: number;
  /** Days with a daily breakdown: [breakdownFrom, breakdownTo). */
  breakdownFrom: number;
  breakdownTo: number;
  /** Partition (and snapshot) day of its line items and breakdowns. */
  deliveredDay: number;
  finalizedMs: number;
  /** Rows of the invoice table: FINALIZED, then VOID for the voided one. */
  versions: InvoiceVersion[];
  /** Guide variant: the day of its last daily draft snapshot (null: scheduled invoices, which have no drafts). */
  lastDraftSnapshot?: number | null;
  /** Guide variant: a CONTRACT_SCHEDULED invoice's charges (it has no usage: breakdownFrom = breakdownTo). */
  charges?: ScheduledCharge[];
}

/** A line of a CONTRACT_SCHEDULED invoice (guide variant): a commit purchase or a scheduled fixed fee. */
export interface ScheduledCharge {
  type: "commit_purchase" | "scheduled";
  productId: string;
  name: string;
  /** The commit being paid for (commit_purchase); null for a fee. */
  commitId: string | null;
  /** Whole minor units of the customer's credit type. */
  amount: number;
}

/** The open month's draft invoice of a customer (one id across all daily snapshots). */
export interface DraftInvoice {
  didx: number;
  id: string;
  cidx: number;
  contractId: string;
  breakdownFrom: number;
  breakdownTo: number;
}

export interface Model {
  options: ResolvedOptions;
  customers: Customer[];
  products: Product[];
  fixedProducts: FixedProduct[];
  /** Archived metrics with no product (a realistic leftover). */
  legacyMetrics: Array<{env: Env; id: string; name: string; createdMs: number; archivedMs: number}>;
  invoices: UsageInvoice[];
  drafts: DraftInvoice[];
  /** Draft snapshot days: openMonth+1 … asOf, each holding [openMonth, day). */
  snapshots: number[];
  /** Days of the daily contract snapshots: every day of the history before as-of (dense: the last three). */
  exportDays: number[];
  backdates: Array<{cidx: number; day: number; fromSnapshot: number; factor: number}>;
  reprices: Array<{cidx: number; pidx: number; fromSnapshot: number; priceMicro: number}>;
  /** (customer, snapshot) pairs whose draft is DRAFT_INCOMPLETE: no total, no line items, no breakdowns. */
  incompletes: Array<{cidx: number; snapshot: number}>;
}
