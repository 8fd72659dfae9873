// The sample's model: the catalog in both environments, the customers (scenario ones first), their finalized and
// draft invoice headers, and the scenario events (a voided invoice, backdated usage, a price change, incomplete drafts).
import {COMMIT_PRODUCTS, EUR, SANDBOX_NAMES, nameCombinations, productDef} from "./catalog.js";
import {DAY_MS, addMonths, dayNumber, isoDay, monthStart} from "../lib/dates.js";
import type {Context} from "./balances.js";
import {randomCustomer, scenarioCustomer, timeOn} from "./customers.js";
import type {Customer, DraftInvoice, Env, FixedProduct, Model, Product, ResolvedOptions, ScheduledCharge, UsageInvoice} from "./model.js";
import {Rng, hashSeed, uuidFor} from "./random.js";
import {BACKDATED, PRICE_CHANGE, SCENARIO_CUSTOMERS, VOIDED} from "./scenarios.js";

export function buildModel(options: ResolvedOptions): Model {
  const {seed, startDay, asOfDay, openMonth, products: productCount} = options;
  const guide = options.variant === "guide";
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
    if (guide) fixedProducts.push({env, kind: "platform_fee", id: uuidFor(seed, env, "fixed-product", "platform_fee"), name: PLATFORM_FEE.name, createdMs: startDay * DAY_MS + 5 * 60_000});
    if (startDay + 60 < asOfDay) {
      legacyMetrics.push({env, id: uuidFor(seed, env, "metric", "legacy"), name: "GPU minutes (legacy)", createdMs: startDay * DAY_MS + 3 * 60_000, archivedMs: (startDay + 60) * DAY_MS + 11 * 3_600_000});
    }
  }
  const ctx: Context = {options, fixed: new Map(fixedProducts.map((f) => [`${f.env}:${f.kind}`, f]))};

  // Customers: scenario customers first (fixed ids), then seeded ones up to the requested count, then sandbox.
  const customers: Customer[] = [];
  if (options.scenarios) {
    for (const spec of SCENARIO_CUSTOMERS) {
      if (options.scenarioNames && !options.scenarioNames.includes(spec.scenario)) continue;
      const c = scenarioCustomer(ctx, spec, customers.length);
      if (c) customers.push(c);
    }
  }
  const reserved = new Set(SCENARIO_CUSTOMERS.map((s) => s.name));
  const names = new Rng(seed, "names").shuffle(nameCombinations().filter((n) => !reserved.has(n)));
  const nameOf = (k: number) => names[k % names.length]! + (k >= names.length ? ` ${Math.floor(k / names.length) + 1}` : "");
  if (guide) {
    // Few customers: pick seeded ones so every commercial model is there (each kind's first, then in order).
    const wanted = new Set(["on_demand", "prepaid", "postpaid", "credit", "free"]);
    const candidates: Customer[] = [];
    for (let k = 0; k < 400 && customers.length + candidates.length < options.customers; k++) {
      const c = randomCustomer(ctx, k, -1, nameOf(k), "PRODUCTION");
      const kind = commercialKind(c);
      if (wanted.delete(kind) || wanted.size === 0 || customers.length + candidates.length + wanted.size < options.customers) candidates.push(c);
    }
    for (const c of candidates) customers.push({...c, cidx: customers.length});
  } else {
    for (let k = 0; customers.length < options.customers; k++) customers.push(randomCustomer(ctx, k, customers.length, nameOf(k), "PRODUCTION"));
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
  // Snapshot tables (contracts_contracts, contracts_balances) are delivered every day of the last DAILY_SNAPSHOT_DAYS
  // days, as Metronome delivers them, so a recent as-of sees the commits of its day; before that, on the first of each
  // month only (and the history's first day): a past as-of sees the month's first snapshot. Every file of a snapshot
  // table is staged, so a year of daily files would cost every test that snapshots the sample a few seconds; real
  // exports are daily throughout (docs/sample-data.md). The dense benchmark keeps the last three days only.
  const firstDaily = options.dense ? asOfDay - 3 : Math.max(startDay, asOfDay - DAILY_SNAPSHOT_DAYS);
  const exportDays: number[] = [];
  for (let day = startDay; day < asOfDay; day++) {
    if (day >= firstDaily || (!options.dense && (day === startDay || new Date(day * DAY_MS).getUTCDate() === 1))) exportDays.push(day);
  }

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

  if (guide) guideInvoices(options, customers, fixedProducts, invoices);
  return {options, customers, products, fixedProducts, legacyMetrics, invoices, drafts, snapshots, exportDays, backdates, reprices, incompletes};
}

/** Days before as-of with a daily snapshot of the contract tables; monthly before them. */
export const DAILY_SNAPSHOT_DAYS = 120;

/** The guide variant's monthly platform fee (a FIXED product of its own, billed on CONTRACT_SCHEDULED invoices). */
export const PLATFORM_FEE = {name: "Platform Fee", usd: 250_000, eur: 2_300};

/** A seeded customer's commercial model, read from its first contract. */
function commercialKind(c: Customer): string {
  const b = c.contracts[0]?.balances[0];
  if (!b) return "on_demand";
  if (b.type !== "prepaid") return b.type;
  return b.invoiceSchedule && b.invoiceSchedule.length === 0 ? "free" : "prepaid";
}

/**
 * Guide variant: each usage invoice's draft history ends the day it is finalized (about one in five is finalized
 * before that day's draft is computed, so its finalized lines exceed its last draft by the period's last day), and
 * CONTRACT_SCHEDULED invoices are added — one per prepaid commit purchase dated inside the history, and a monthly
 * platform fee for two customers.
 */
function guideInvoices(options: ResolvedOptions, customers: Customer[], fixedProducts: FixedProduct[], invoices: UsageInvoice[]): void {
  const {seed, startDay, asOfDay} = options;
  const reissued = new Set(invoices.filter((i) => i.versions[0]!.status === "FINALIZED" && i.deliveredDay !== i.monthEnd).map((i) => i.iidx));
  for (const inv of invoices) {
    if (reissued.has(inv.iidx)) {
      inv.lastDraftSnapshot = null; // the reissue never was a draft: its history is the voided original's
      continue;
    }
    const early = hashSeed(seed, "early-finalization", inv.id) % 5 === 0;
    if (early) {
      inv.finalizedMs = inv.monthEnd * DAY_MS + (5 + (hashSeed(seed, "early-minute", inv.id) % 10)) * 60_000;
      inv.versions[0]!.updatedMs = inv.finalizedMs;
    }
    inv.lastDraftSnapshot = early ? inv.monthEnd - 1 : inv.monthEnd;
  }
  const scheduled = (customer: Customer, contractId: string, id: string, start: number, end: number, charge: ScheduledCharge) => {
    const rng = new Rng(seed, "scheduled-invoice", id);
    const finalizedMs = timeOn(start, rng, 5, 7);
    invoices.push({
      iidx: invoices.length, id, cidx: customer.cidx, contractId, monthStart: start, monthEnd: end, breakdownFrom: start, breakdownTo: start,
      deliveredDay: start, finalizedMs, versions: [{status: "FINALIZED", updatedMs: finalizedMs}], lastDraftSnapshot: null, charges: [charge]
    });
  };
  for (const customer of customers) {
    for (const contract of customer.contracts) {
      for (const balance of contract.balances) {
        if (balance.type !== "prepaid") continue;
        for (const item of balance.invoiceSchedule ?? []) {
          if (item.date < startDay || item.date >= asOfDay) continue;
          item.invoiceId = uuidFor(seed, "scheduled-invoice", balance.id, item.id);
          scheduled(customer, contract.id, item.invoiceId, item.date, item.date + 1, {type: "commit_purchase", productId: balance.productId, name: balance.name, commitId: balance.id, amount: item.amount});
        }
      }
    }
  }
  // The platform fee: the "under" scenario customer and the first seeded prepaid one, each month of their contracts.
  const payers = [customers.find((c) => c.scenario === "under"), customers.find((c) => c.scenario === null && c.env === "PRODUCTION" && commercialKind(c) === "prepaid")];
  for (const customer of payers) {
    if (!customer) continue;
    const product = fixedProducts.find((f) => f.env === customer.env && f.kind === "platform_fee")!;
    for (const contract of customer.contracts) {
      for (let m = monthStart(Math.max(contract.start, startDay)); m < Math.min(contract.end, asOfDay); m = addMonths(m, 1)) {
        if (m < contract.start || m < startDay) continue;
        scheduled(customer, contract.id, uuidFor(seed, "fee-invoice", customer.id, contract.id, isoDay(m)), m, addMonths(m, 1),
          {type: "scheduled", productId: product.id, name: PLATFORM_FEE.name, commitId: null, amount: customer.currency.id === EUR.id ? PLATFORM_FEE.eur : PLATFORM_FEE.usd});
      }
    }
  }
}
