// Commits and credits: what a contract carries under its commercial model, sized against the customer's expected
// spend and a burn multiplier (so burn pace has realistic tails).
import {EUR, USD_CENTS} from "./catalog.js";
import type {CreditType} from "./catalog.js";
import {addMonths} from "../lib/dates.js";
import type {Balance, BalanceType, Contract, Env, FixedProduct, ResolvedOptions, ScheduleItem, Segment, SpendPlan} from "./model.js";
import {patternFactor} from "./history.js";
import {Rng, uuidFor} from "./random.js";
import type {ScenarioBalance} from "./scenarios.js";

/**
 * Linear growth, floored at 20% of the starting level. Linear rather than exponential on purpose: the SQL side
 * computes the same factor with plain IEEE arithmetic, and libm's exp() may differ in the last bit across platforms,
 * which could flip a rounded quantity and break byte-identical output. (pipeline.ts has the SQL twin.)
 */
export function growthFactor(growth: number, days: number): number {
  return Math.max(0.2, 1 + growth * days);
}

/**
 * Expected spend of the plans over [a, b) (noise has mean 1), used to size commits against a burn multiplier: growth,
 * weekday pattern and seasonality, not the events a customer does not plan for (spikes, cycles, fades, wander).
 */
function expectedSpend(plans: SpendPlan[], a: number, b: number): number {
  let total = 0;
  for (const plan of plans) {
    for (let day = Math.max(a, plan.from); day < Math.min(b, plan.to); day++) {
      total += plan.daily * growthFactor(plan.growth, day - plan.from) * patternFactor(plan, day);
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

export type Commercial = "on_demand" | "prepaid_annual" | "prepaid_quarterly" | "postpaid" | "credit_trial" | "free_commit";

export interface Context {
  options: ResolvedOptions;
  fixed: Map<string, FixedProduct>;
}

function fixedProductId(ctx: Context, env: Env, kind: BalanceType): string {
  return ctx.fixed.get(`${env}:${kind}`)!.id;
}

export function makeBalance(
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

export function contractLabel(commercial: Commercial): string {
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
export function balancesFor(ctx: Context, rng: Rng, commercial: Commercial, customer: {id: string; name: string; env: Env}, contract: Contract, plans: SpendPlan[], currency: CreditType): Balance[] {
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
