// The sample's "small" side: customers, contracts, commits, products and invoice headers, built in JS with seeded
// randomness. Everything per-day (usage, breakdowns, line items) is generated from these parameters in DuckDB SQL
// (see pipeline.ts), because the dense benchmark configuration has millions of rows.
import {COMMIT_PRODUCTS, CSMS, EUR, SANDBOX_NAMES, SEGMENTS, USD_CENTS, nameCombinations, productDef} from "./catalog.js";
import type {CreditType, ProductDef} from "./catalog.js";
import {DAY_MS, addMonths, dayNumber, isoDay, monthStart} from "../lib/dates.js";
import {Rng, tokenFor, uuidFor} from "./random.js";
import {BACKDATED, PRICE_CHANGE, SCENARIO_CUSTOMERS, VOIDED} from "./scenarios.js";
import type {ScenarioBalance, ScenarioCustomer} from "./scenarios.js";

export type Env = "PRODUCTION" | "SANDBOX";
export type BalanceType = "prepaid" | "postpaid" | "credit";

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
  dense: boolean;
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
}

/** Expected daily spend (minor units) over [from, to): daily × growthFactor(growth, days since from). */
export interface SpendPlan {
  from: number;
  to: number;
  daily: number;
  growth: number;
  /** Half-width of the triangular multiplicative noise. */
  noise: number;
  /** Spend multiplier on Saturdays and Sundays. */
  weekend: number;
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
  kind: BalanceType;
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
  /** Days of the three contract snapshots before as-of. */
  exportDays: number[];
  backdates: Array<{cidx: number; day: number; fromSnapshot: number; factor: number}>;
  reprices: Array<{cidx: number; pidx: number; fromSnapshot: number; priceMicro: number}>;
  /** (customer, snapshot) pairs whose draft is DRAFT_INCOMPLETE: no total, no line items, no breakdowns. */
  incompletes: Array<{cidx: number; snapshot: number}>;
}

const FAR_FUTURE = dayNumber("2099-01-01");

/** A time on `day` between two hours, from the rng (row timestamps look like real activity, not midnight). */
function timeOn(day: number, rng: Rng, fromHour: number, toHour: number): number {
  return day * DAY_MS + Math.floor(rng.uniform(fromHour, toHour) * 3600) * 1000;
}

function isWeekend(day: number): boolean {
  return (day + 3) % 7 >= 5; // day 0 (1970-01-01) was a Thursday
}

/**
 * Linear growth, floored at 20% of the starting level. Linear rather than exponential on purpose: the SQL side
 * computes the same factor with plain IEEE arithmetic, and libm's exp() may differ in the last bit across platforms,
 * which could flip a rounded quantity and break byte-identical output. (pipeline.ts has the SQL twin.)
 */
export function growthFactor(growth: number, days: number): number {
  return Math.max(0.2, 1 + growth * days);
}

/** Expected spend of the plans over [a, b) (noise has mean 1), used to size commits against a burn multiplier. */
function expectedSpend(plans: SpendPlan[], a: number, b: number): number {
  let total = 0;
  for (const plan of plans) {
    for (let day = Math.max(a, plan.from); day < Math.min(b, plan.to); day++) {
      total += plan.daily * growthFactor(plan.growth, day - plan.from) * (isWeekend(day) ? plan.weekend : 1);
    }
  }
  return total;
}

/** How hard a commit is burned relative to straight-line pace: mostly on track, with realistic tails. */
function burnMultiplier(rng: Rng): number {
  const r = rng.next();
  if (r < 0.5) return rng.uniform(0.87, 1.05);
  if (r < 0.75) return rng.uniform(0.3, 0.75);
  if (r < 0.95) return rng.uniform(1.15, 1.7);
  return rng.uniform(1.8, 2.6);
}

function roundAmount(amount: number, currency: CreditType): number {
  const step = currency.id === USD_CENTS.id ? 10_000 : 100; // $100 or €100
  return Math.max(step * 10, Math.round(amount / step) * step);
}

type Commercial = "on_demand" | "prepaid_annual" | "prepaid_quarterly" | "postpaid" | "credit_trial" | "free_commit";

interface Context {
  options: ResolvedOptions;
  fixed: Map<string, FixedProduct>;
}

function fixedProductId(ctx: Context, env: Env, kind: BalanceType): string {
  return ctx.fixed.get(`${env}:${kind}`)!.id;
}

function makeBalance(
  ctx: Context,
  customer: {id: string; name: string; env: Env},
  contract: {id: string},
  n: number,
  spec: {id?: string; type: BalanceType; name: string; uncapped?: boolean; invoicing: ScenarioBalance["invoicing"]; segments: Array<{id?: string; start: number; end: number; amount: number}>}
): Balance {
  const seed = ctx.options.seed;
  const id = spec.id ?? uuidFor(seed, "balance", customer.id, contract.id, n);
  const segments: Segment[] = spec.segments.map((s, i) => ({id: s.id ?? uuidFor(seed, "segment", id, i), start: s.start, end: s.end, amount: s.amount}));
  let invoiceSchedule: ScheduleItem[] | null;
  switch (spec.invoicing) {
    case "none":
      invoiceSchedule = spec.type === "credit" ? null : [];
      break;
    case "free":
      invoiceSchedule = [];
      break;
    case "upfront":
      invoiceSchedule = [{id: uuidFor(seed, "schedule", id, 0), date: segments[0]!.start, amount: segments.reduce((s, x) => s + x.amount, 0)}];
      break;
    case "per_segment":
      invoiceSchedule = segments.map((s, i) => ({id: uuidFor(seed, "schedule", id, i), date: s.start, amount: s.amount}));
      break;
    case "end":
      invoiceSchedule = [{id: uuidFor(seed, "schedule", id, 0), date: segments[segments.length - 1]!.end, amount: segments.reduce((s, x) => s + x.amount, 0)}];
      break;
  }
  const kind = spec.type === "credit" ? "credit" : spec.type === "postpaid" ? "postpaid commitment" : invoiceSchedule && invoiceSchedule.length === 0 ? "complimentary commitment" : "prepaid commitment";
  return {
    id,
    type: spec.type,
    name: spec.name,
    description: `${spec.name}: ${kind} for ${customer.name}`,
    productId: fixedProductId(ctx, customer.env, spec.type),
    contractId: contract.id,
    segments,
    invoiceSchedule: spec.type === "credit" ? null : invoiceSchedule,
    uncapped: spec.uncapped ?? false,
    priority: spec.type === "credit" ? 50 : 100,
    rateType: spec.type === "credit" ? "LIST_RATE" : "COMMIT_RATE",
    costBasis: spec.type === "credit" || spec.invoicing === "free" ? 0 : 1
  };
}

/** Unit prices for a customer's products: list price in its currency times its negotiated discount. */
function priced(pidx: number, currency: CreditType, discount: number): number {
  const def = productDef(pidx);
  const list = currency.id === EUR.id ? def.eurMicro : def.usdMicro;
  return Math.max(1, Math.round(list * discount));
}

/** Clip plans to the generated history [startDay, asOfDay) and to [from, to). */
function clipPlans(plans: SpendPlan[], from: number, to: number): SpendPlan[] {
  return plans
    .map((p) => {
      const start = Math.max(p.from, from);
      if (start === p.from) return {...p, to: Math.min(p.to, to)};
      // Moving the start forward re-bases the line so spend stays continuous (same slope, new intercept).
      const daily = p.daily * growthFactor(p.growth, start - p.from);
      return {...p, daily, growth: (p.growth * p.daily) / daily, from: start, to: Math.min(p.to, to)};
    })
    .filter((p) => p.from < p.to);
}

function scenarioCustomer(ctx: Context, spec: ScenarioCustomer, cidx: number): Customer | null {
  const {seed, startDay, asOfDay, products: productCount, dense} = ctx.options;
  const created = dayNumber(spec.created);
  if (created >= asOfDay) return null;
  const rng = new Rng(seed, "scenario", spec.id);
  const currency = spec.currency === "EUR" ? EUR : USD_CENTS;
  const createdMs = timeOn(Math.max(created, startDay), rng, 9, 18);
  const base = {id: spec.id, name: spec.name, env: "PRODUCTION" as Env};

  const contracts: Contract[] = spec.contracts
    .filter((c) => dayNumber(c.start) - 5 < asOfDay)
    .map((c, i) => {
      const start = dayNumber(c.start);
      const id = uuidFor(seed, "contract", spec.id, i);
      const contract: Contract = {id, name: c.name, start, end: dayNumber(c.end), createdMs: Math.max(createdMs + 60_000, timeOn(Math.max(start - 5, startDay), rng, 9, 18)), balances: []};
      contract.balances = (c.balances ?? []).map((b, n) =>
        makeBalance(ctx, base, contract, n, {...b, segments: b.segments.map((s) => ({id: s.id, start: dayNumber(s.start), end: dayNumber(s.end), amount: s.amount}))})
      );
      return contract;
    });

  // Scenario customers pay list price, so their spend (and burn pace) is exactly what the plan says.
  let shares = spec.products.filter(([p]) => p < productCount);
  if (shares.length === 0) shares = [[0, 1]];
  if (dense) {
    const listed = new Map(shares);
    shares = Array.from({length: productCount}, (_, p): [number, number] => [p, listed.get(p) ?? 0.02]);
  }
  const totalShare = shares.reduce((s, [, w]) => s + w, 0);
  const products = shares.map(([pidx, w]) => ({pidx, share: w / totalShare, dailyUse: 1, priceMicro: priced(pidx, currency, 1)}));

  const plans = clipPlans(
    spec.plans.map((p) => ({from: dayNumber(p.from), to: p.to ? dayNumber(p.to) : asOfDay, daily: p.daily, growth: p.growth ?? 0, noise: p.noise ?? 0.06, weekend: 1})),
    startDay,
    asOfDay
  );

  const first: CustomerVersion = {updatedMs: createdMs, name: spec.name, owner: spec.owner, segment: spec.segment, aliases: spec.aliases ?? [], archivedMs: null};
  const versions = [first];
  for (const update of spec.updates ?? []) {
    const day = dayNumber(update.on);
    if (day >= asOfDay || day < startDay) continue;
    const prev = versions[versions.length - 1]!;
    versions.push({...prev, updatedMs: timeOn(day, rng, 9, 18), name: update.name ?? prev.name, owner: update.owner ?? prev.owner});
  }
  const provider = spec.billingProvider ?? null;
  return {
    cidx,
    id: spec.id,
    env: "PRODUCTION",
    currency,
    scenario: spec.scenario,
    createdMs,
    versions,
    salesforceId: spec.segment === "enterprise" ? `0015e00000${tokenFor(8, seed, "sfdc", spec.id).toUpperCase()}` : null,
    billingProviderType: provider,
    billingProviderCustomerId: provider === "stripe" ? `cus_${tokenFor(14, seed, "stripe", spec.id)}` : provider === "aws_marketplace" ? `aws-${tokenFor(11, seed, "aws", spec.id)}` : null,
    contracts,
    products,
    plans
  };
}

/** A seeded production (or sandbox) customer. `k` is its ordinal among random customers, so it keeps its attributes
 * whatever the requested count. */
function randomCustomer(ctx: Context, k: number, cidx: number, name: string, env: Env): Customer {
  const {seed, startDay, asOfDay, products: productCount, dense} = ctx.options;
  const rng = new Rng(seed, env, "customer", k);
  const id = uuidFor(seed, env, "customer", k);
  const sandbox = env === "SANDBOX";
  const currency = !sandbox && rng.chance(0.02) ? EUR : USD_CENTS;

  // Cohort: half the book was migrated on the first day of history; the rest sign up along the way.
  const initial = dense || (!sandbox && rng.chance(0.5));
  const createdDay = initial ? startDay : rng.int(Math.min(startDay + 5, asOfDay - 1), asOfDay - 1);
  const createdMs = initial ? timeOn(startDay, rng, 0.1, 6) : timeOn(createdDay, rng, 8, 20);
  let start = initial ? startDay : addMonths(createdDay + 3, 1);

  // Size and shape of usage. Daily spend in US cents (log-normal: a few whales, many small accounts).
  const dailyUsd = sandbox ? rng.uniform(800, 4_000) : Math.min(2_500_000, Math.max(1_500, Math.exp(Math.log(25_000) + 1.0 * rng.normal())));
  const daily = currency.id === EUR.id ? (dailyUsd / 100) * 0.92 : dailyUsd;
  const segment = dailyUsd > 60_000 ? SEGMENTS[0] : dailyUsd > 12_000 ? SEGMENTS[1] : SEGMENTS[2];
  const discount = segment === "enterprise" ? rng.pick([0.8, 0.85, 0.9]) : segment === "mid-market" ? rng.pick([0.9, 0.95, 1]) : 1;
  const activeFrom = Math.max(startDay, start + (initial ? 0 : rng.int(0, 10)));
  const plan: SpendPlan = {
    from: activeFrom,
    to: FAR_FUTURE,
    daily,
    growth: Math.min(0.004, Math.max(-0.002, 0.0012 + 0.0012 * rng.normal())),
    noise: rng.uniform(0.1, 0.35),
    weekend: rng.uniform(0.6, 1)
  };

  // Products: a profile (LLM API user, model trainer, platform user), a few matching products, sometimes one more.
  let products: UsageProduct[];
  if (dense) {
    const weights = Array.from({length: productCount}, () => rng.uniform(0.2, 1) ** 2);
    const total = weights.reduce((s, w) => s + w, 0);
    products = weights.map((w, pidx) => ({pidx, share: w / total, dailyUse: 1, priceMicro: priced(pidx, currency, discount)}));
  } else {
    const profile = rng.pick(["llm", "llm", "training", "platform"] as const);
    const all = Array.from({length: productCount}, (_, p) => p);
    const fitting = all.filter((p) => productDef(p).profiles.includes(profile));
    const pool = fitting.length > 0 ? fitting : all;
    const chosen = rng.shuffle(pool).slice(0, rng.int(Math.min(2, pool.length), Math.min(6, pool.length)));
    if (rng.chance(0.3)) {
      const extra = rng.pick(all);
      if (!chosen.includes(extra)) chosen.push(extra);
    }
    chosen.sort((a, b) => a - b);
    const weights = chosen.map(() => rng.uniform(0.2, 1) ** 2);
    const total = weights.reduce((s, w) => s + w, 0);
    products = chosen.map((pidx, i) => ({pidx, share: weights[i]! / total, dailyUse: productDef(pidx).dailyUse, priceMicro: priced(pidx, currency, discount)}));
  }

  const customerName = name;
  const base = {id, name: customerName, env};
  let commercial: Commercial = sandbox
    ? (["prepaid_annual", "credit_trial", "on_demand"] as const)[k % 3]!
    : rng.weighted<Commercial>([["on_demand", 25], ["prepaid_annual", 30], ["prepaid_quarterly", 15], ["postpaid", 10], ["credit_trial", 10], ["free_commit", 10]]);
  // Quarterly commits are annual contracts in four segments; other terms vary so renewals fall all over the year.
  const term = commercial === "prepaid_quarterly" ? 12 : rng.weighted([[12, 60], [24, 15], [6, 10], [18, 15]] as const);

  // Sequential contracts: renew at the end of each term (sign 3–20 days before) until one covers as-of, unless churned.
  const contracts: Contract[] = [];
  let churnedAt: number | null = null;
  for (let i = 0; start < asOfDay + 31; i++) {
    const end = addMonths(start, term);
    const signed = i === 0 && initial ? createdMs + 60_000 : Math.max(createdMs + 60_000, timeOn(start - rng.int(3, 20), rng, 9, 19));
    if (signed >= asOfDay * DAY_MS) break;
    const contract: Contract = {id: uuidFor(seed, "contract", id, i), name: `${customerName} ${contractLabel(commercial)} ${isoDay(start).slice(0, 7)}`, start, end, createdMs: signed, balances: []};
    contract.balances = balancesFor(ctx, rng, commercial, base, contract, [plan], currency);
    contracts.push(contract);
    if (end > asOfDay) break;
    if (!dense && !sandbox && rng.chance(0.06)) {
      churnedAt = end;
      break;
    }
    // Trials and free programs convert to paid or stay pay-as-you-go on renewal.
    if (commercial === "credit_trial" || commercial === "free_commit") commercial = rng.chance(0.5) ? "prepaid_annual" : "on_demand";
    start = end;
  }
  const last = contracts[contracts.length - 1];
  const activeTo = churnedAt ?? (last ? last.end : activeFrom);
  const plans = clipPlans([plan], Math.max(startDay, contracts[0]?.start ?? FAR_FUTURE), Math.min(asOfDay, activeTo));

  // Row history: created, sometimes a CSM change or a rename, an archive after churn.
  const owner = rng.pick(CSMS);
  const aliases = !sandbox && rng.chance(0.08) ? [`${customerName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-prod`] : [];
  const versions: CustomerVersion[] = [{updatedMs: createdMs, name: customerName, owner, segment, aliases, archivedMs: null}];
  const lastUpdateDay = asOfDay - 1;
  if (!sandbox && rng.chance(0.12) && createdDay + 30 < lastUpdateDay) {
    const prev = versions[versions.length - 1]!;
    versions.push({...prev, updatedMs: timeOn(rng.int(createdDay + 30, lastUpdateDay), rng, 8, 21), owner: rng.pick(CSMS.filter((c) => c !== prev.owner))});
  }
  if (!sandbox && rng.chance(0.03) && createdDay + 30 < lastUpdateDay) {
    const prev = versions[versions.length - 1]!;
    const after = Math.floor(prev.updatedMs / DAY_MS) + 1;
    if (after <= lastUpdateDay) versions.push({...prev, updatedMs: timeOn(rng.int(after, lastUpdateDay), rng, 8, 21), name: `${prev.name} Inc.`});
  }
  versions.sort((a, b) => a.updatedMs - b.updatedMs);
  if (churnedAt !== null) {
    const archiveDay = churnedAt + rng.int(3, 20);
    const prev = versions[versions.length - 1]!;
    if (archiveDay < asOfDay && archiveDay * DAY_MS > prev.updatedMs) {
      const at = timeOn(archiveDay, rng, 8, 21);
      versions.push({...prev, updatedMs: at, archivedMs: at});
    }
  }

  const provider = sandbox ? null : rng.weighted<string | null>([["stripe", 65], ["aws_marketplace", 10], [null, 25]]);
  return {
    cidx,
    id,
    env,
    currency,
    scenario: null,
    createdMs,
    versions,
    salesforceId: !sandbox && segment !== "startup" && rng.chance(0.7) ? `0015e00000${tokenFor(8, seed, "sfdc", id).toUpperCase()}` : null,
    billingProviderType: provider,
    billingProviderCustomerId: provider === "stripe" ? `cus_${tokenFor(14, seed, "stripe", id)}` : provider === "aws_marketplace" ? `aws-${tokenFor(11, seed, "aws", id)}` : null,
    contracts,
    products,
    plans
  };
}

function contractLabel(commercial: Commercial): string {
  switch (commercial) {
    case "on_demand":
      return "Pay-As-You-Go";
    case "credit_trial":
      return "Trial Agreement";
    case "free_commit":
      return "Startup Program";
    case "postpaid":
      return "Minimum Spend Agreement";
    default:
      return "Enterprise Agreement";
  }
}

/** The commits / credits a contract carries under a commercial model, sized against the customer's expected spend. */
function balancesFor(ctx: Context, rng: Rng, commercial: Commercial, customer: {id: string; name: string; env: Env}, contract: Contract, plans: SpendPlan[], currency: CreditType): Balance[] {
  const {start, end} = contract;
  const sized = (a: number, b: number, m: number) => roundAmount(expectedSpend(plans, a, b) / m, currency);
  switch (commercial) {
    case "on_demand":
      return [];
    case "prepaid_annual":
      return [makeBalance(ctx, customer, contract, 0, {type: "prepaid", name: "Annual Prepaid Commit", invoicing: "upfront", segments: [{start, end, amount: sized(start, end, burnMultiplier(rng))}]})];
    case "prepaid_quarterly": {
      const m = burnMultiplier(rng);
      const segments = [];
      for (let s = start; s < end; ) {
        const e = Math.min(end, addMonths(s, 3));
        segments.push({start: s, end: e, amount: sized(s, e, m)});
        s = e;
      }
      return [makeBalance(ctx, customer, contract, 0, {type: "prepaid", name: "Quarterly Prepaid Commit", invoicing: "per_segment", segments})];
    }
    case "postpaid":
      return [makeBalance(ctx, customer, contract, 0, {type: "postpaid", name: "Minimum Spend Commitment", invoicing: "end", segments: [{start, end, amount: sized(start, end, burnMultiplier(rng))}]})];
    case "credit_trial": {
      const amount = currency.id === EUR.id ? rng.pick([500, 1_000, 2_500]) : rng.pick([50_000, 100_000, 250_000, 500_000]);
      const e = Math.min(end, addMonths(start, 2));
      return [makeBalance(ctx, customer, contract, 0, {type: "credit", name: "Onboarding Credit", invoicing: "none", segments: [{start, end: e, amount}]})];
    }
    case "free_commit": {
      const e = Math.min(end, addMonths(start, 6));
      return [makeBalance(ctx, customer, contract, 0, {type: "prepaid", name: "Startup Program Commit", invoicing: "free", segments: [{start, end: e, amount: sized(start, e, rng.uniform(0.9, 1.6))}]})];
    }
  }
}

export function buildModel(options: ResolvedOptions): Model {
  const {seed, startDay, asOfDay, openMonth, products: productCount} = options;
  const rng = new Rng(seed, "model");
  const envs: Env[] = ["PRODUCTION", "SANDBOX"];

  // Catalog: the same products in both environments, with environment-specific ids (as Metronome sandboxes have).
  const products: Product[] = [];
  const fixedProducts: FixedProduct[] = [];
  const legacyMetrics: Model["legacyMetrics"] = [];
  for (const env of envs) {
    for (let pidx = 0; pidx < productCount; pidx++) {
      const def = productDef(pidx);
      const createdMs = startDay * DAY_MS + (10 + pidx) * 60_000;
      const updates: Product["updates"] = [];
      // One catalog edit mid-history: a newer product row in a later partition.
      const editDay = startDay + 223;
      if (pidx === 7 && editDay < asOfDay) updates.push({updatedMs: editDay * DAY_MS + 15 * 3_600_000 + 42_000, tags: [...def.tags, "premium"]});
      products.push({env, pidx, id: uuidFor(seed, env, "product", pidx), metricId: uuidFor(seed, env, "metric", pidx), def, createdMs, updates});
    }
    for (const kind of ["prepaid", "postpaid", "credit"] as const) {
      fixedProducts.push({env, kind, id: uuidFor(seed, env, "fixed-product", kind), name: COMMIT_PRODUCTS[kind], createdMs: startDay * DAY_MS + 5 * 60_000});
    }
    if (startDay + 60 < asOfDay) {
      legacyMetrics.push({env, id: uuidFor(seed, env, "metric", "legacy"), name: "GPU minutes (legacy)", createdMs: startDay * DAY_MS + 3 * 60_000, archivedMs: (startDay + 60) * DAY_MS + 11 * 3_600_000});
    }
  }
  const ctx: Context = {options, fixed: new Map(fixedProducts.map((f) => [`${f.env}:${f.kind}`, f]))};

  // Customers: scenario customers first (fixed ids), then seeded ones up to the requested count, then sandbox.
  const customers: Customer[] = [];
  if (options.scenarios) {
    for (const spec of SCENARIO_CUSTOMERS) {
      const c = scenarioCustomer(ctx, spec, customers.length);
      if (c) customers.push(c);
    }
  }
  const reserved = new Set(SCENARIO_CUSTOMERS.map((s) => s.name));
  const names = new Rng(seed, "names").shuffle(nameCombinations().filter((n) => !reserved.has(n)));
  for (let k = 0; customers.length < options.customers; k++) {
    const name = names[k % names.length]! + (k >= names.length ? ` ${Math.floor(k / names.length) + 1}` : "");
    customers.push(randomCustomer(ctx, k, customers.length, name, "PRODUCTION"));
  }
  for (let k = 0; k < 3; k++) customers.push(randomCustomer(ctx, k, customers.length, SANDBOX_NAMES[k]!, "SANDBOX"));

  // Finalized monthly usage invoices: one per customer, contract and month before the open month.
  const invoices: UsageInvoice[] = [];
  const drafts: DraftInvoice[] = [];
  for (const customer of customers) {
    const irng = new Rng(seed, "invoices", customer.id);
    for (const contract of customer.contracts) {
      const first = Math.max(contract.start, startDay);
      for (let m = monthStart(first); m < Math.min(contract.end, openMonth); m = addMonths(m, 1)) {
        const monthEnd = addMonths(m, 1);
        const finalizedMs = timeOn(monthEnd, irng, 1, 1.9);
        invoices.push({
          iidx: invoices.length,
          id: uuidFor(seed, "invoice", customer.id, contract.id, isoDay(m)),
          cidx: customer.cidx,
          contractId: contract.id,
          monthStart: m,
          monthEnd,
          breakdownFrom: Math.max(m, first),
          breakdownTo: Math.min(monthEnd, contract.end),
          deliveredDay: monthEnd,
          finalizedMs,
          versions: [{status: "FINALIZED", updatedMs: finalizedMs}]
        });
      }
      if (contract.start < asOfDay && contract.end > openMonth && openMonth < asOfDay) {
        drafts.push({
          didx: drafts.length,
          id: uuidFor(seed, "draft-invoice", customer.id, contract.id, isoDay(openMonth)),
          cidx: customer.cidx,
          contractId: contract.id,
          breakdownFrom: Math.max(openMonth, contract.start, startDay),
          breakdownTo: Math.min(asOfDay, contract.end)
        });
      }
    }
  }

  const byScenario = (name: string) => customers.find((c) => c.scenario === name);
  // The voided invoice: finalized, voided weeks later (a newer row of the same id), reissued under new ids.
  const voided = byScenario("voided_invoice");
  const voidDay = dayNumber(VOIDED.voidedOn);
  const original = voided && invoices.find((i) => i.cidx === voided.cidx && i.monthStart === dayNumber(VOIDED.month));
  if (original && voidDay < asOfDay && voidDay > original.deliveredDay) {
    const voidMs = voidDay * DAY_MS + 14 * 3_600_000 + 7 * 60_000 + 31_000;
    original.versions.push({status: "VOID", updatedMs: voidMs});
    invoices.push({...original, iidx: invoices.length, id: uuidFor(seed, "invoice-reissue", original.id), deliveredDay: voidDay, finalizedMs: voidMs + 95_000, versions: [{status: "FINALIZED", updatedMs: voidMs + 95_000}]});
  }

  const snapshots: number[] = [];
  for (let day = openMonth + 1; day <= asOfDay; day++) snapshots.push(day);
  const exportDays = [asOfDay - 3, asOfDay - 2, asOfDay - 1].filter((d) => d >= startDay);

  const backdates: Model["backdates"] = [];
  const backdated = byScenario("backdated_usage");
  const lateDay = dayNumber(BACKDATED.day);
  const lateFrom = dayNumber(BACKDATED.fromSnapshot);
  if (backdated && lateDay >= openMonth && lateFrom > lateDay && lateFrom <= asOfDay) {
    backdates.push({cidx: backdated.cidx, day: lateDay, fromSnapshot: lateFrom, factor: BACKDATED.factor});
  }
  const reprices: Model["reprices"] = [];
  const repriced = byScenario("price_change");
  const changeFrom = dayNumber(PRICE_CHANGE.fromSnapshot);
  if (repriced && changeFrom > openMonth && changeFrom <= asOfDay) {
    const product = repriced.products.find((p) => p.pidx === PRICE_CHANGE.product) ?? [...repriced.products].sort((a, b) => b.share - a.share)[0]!;
    const priceMicro = product.pidx === PRICE_CHANGE.product ? PRICE_CHANGE.newPriceMicro : Math.max(1, Math.round(product.priceMicro * 0.8));
    reprices.push({cidx: repriced.cidx, pidx: product.pidx, fromSnapshot: changeFrom, priceMicro});
  }

  // Two ordinary customers whose first draft snapshots were not computed yet (DRAFT_INCOMPLETE).
  const incompletes: Model["incompletes"] = [];
  const candidates = drafts.filter((d) => customers[d.cidx]!.env === "PRODUCTION" && customers[d.cidx]!.scenario === null);
  const picked = rng.shuffle(candidates).slice(0, 2);
  picked.forEach((d, i) => {
    const snapshot = openMonth + 1 + i;
    if (snapshot <= asOfDay) incompletes.push({cidx: d.cidx, snapshot});
  });

  return {options, customers, products, fixedProducts, legacyMetrics, invoices, drafts, snapshots, exportDays, backdates, reprices, incompletes};
}

