// The sample's model: the catalog in both environments, the customers (scenario ones first), their finalized and
// draft invoice headers, and the scenario events (a voided invoice, backdated usage, a price change, incomplete drafts).
import {COMMIT_PRODUCTS, SANDBOX_NAMES, nameCombinations, productDef} from "./catalog.js";
import {DAY_MS, addMonths, dayNumber, isoDay, monthStart} from "../lib/dates.js";
import type {Context} from "./balances.js";
import {randomCustomer, scenarioCustomer, timeOn} from "./customers.js";
import type {Customer, DraftInvoice, Env, FixedProduct, Model, Product, ResolvedOptions, UsageInvoice} from "./model.js";
import {Rng, uuidFor} from "./random.js";
import {BACKDATED, PRICE_CHANGE, SCENARIO_CUSTOMERS, VOIDED} from "./scenarios.js";

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
