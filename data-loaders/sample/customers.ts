// Customers: the scenario customers (scenarios.ts: fixed ids and plans) and the seeded ones (size, products, commercial
// model, renewals, churn, row history), each with its contracts and spend plans.
import {CSMS, EUR, LIST_PRICE_CHANGE, SEGMENTS, USD_CENTS, productDef} from "./catalog.js";
import type {CreditType} from "./catalog.js";
import {DAY_MS, addMonths, dayNumber, isoDay} from "../lib/dates.js";
import {balancesFor, contractLabel, growthFactor, makeBalance, type Commercial, type Context} from "./balances.js";
import type {Contract, Customer, CustomerVersion, Env, SpendPlan, UsageProduct} from "./model.js";
import {flatHistory, seededHistory, weekdayFactors, withFade} from "./history.js";
import {Rng, tokenFor, uuidFor} from "./random.js";
import type {ScenarioCustomer} from "./scenarios.js";

const FAR_FUTURE = dayNumber("2099-01-01");

/** A time on `day` between two hours, from the rng (row timestamps look like real activity, not midnight). */
export function timeOn(day: number, rng: Rng, fromHour: number, toHour: number): number {
  return day * DAY_MS + Math.floor(rng.uniform(fromHour, toHour) * 3600) * 1000;
}

/** Unit prices for a customer's products: list price in its currency times its negotiated discount. */
function priced(pidx: number, currency: CreditType, discount: number): number {
  const def = productDef(pidx);
  const list = currency.id === EUR.id ? def.eurMicro : def.usdMicro;
  return Math.max(1, Math.round(list * discount));
}

/** The list-price change on the customer's price, when the product has one (LIST_PRICE_CHANGE). */
function priceChange(pidx: number, currency: CreditType, discount: number): UsageProduct["priceChange"] {
  if (pidx !== LIST_PRICE_CHANGE.product) return null;
  const list = currency.id === EUR.id ? LIST_PRICE_CHANGE.eurMicro : LIST_PRICE_CHANGE.usdMicro;
  return {day: dayNumber(LIST_PRICE_CHANGE.on), priceMicro: Math.max(1, Math.round(list * discount))};
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

export function scenarioCustomer(ctx: Context, spec: ScenarioCustomer, cidx: number): Customer | null {
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
  const products = shares.map(([pidx, w]) => ({pidx, share: w / totalShare, dailyUse: 1, priceMicro: priced(pidx, currency, 1), priceChange: priceChange(pidx, currency, 1)}));

  const plans = clipPlans(
    spec.plans.map((p, i) => {
      const from = dayNumber(p.from);
      const history = flatHistory(`${seed}:${spec.id}:${i}`);
      const h = p.history;
      if (h) {
        history.weekday = weekdayFactors(h.weekday ?? "flat", h.depth ?? 0, ctx.options.history.weekday);
        history.wander = (h.wander ?? 0) * ctx.options.history.noise;
        history.wanderFrom = from;
        if (h.cycle) history.cycle = {...h.cycle, from: dayNumber(h.cycle.from)};
        if (h.fade) history.fade = {...h.fade, from: dayNumber(h.fade.from)};
        if (h.spikes) history.spikes = h.spikes.map((s) => ({from: dayNumber(s.on), to: dayNumber(s.on) + s.days, factor: s.factor}));
      }
      return {from, to: p.to ? dayNumber(p.to) : asOfDay, daily: p.daily, growth: p.growth ?? 0, noise: p.noise ?? 0.06, history};
    }),
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
export function randomCustomer(ctx: Context, k: number, cidx: number, name: string, env: Env): Customer {
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
  // Growth, noise and the (unused) old weekend draw keep their places in the customer's rng stream, so its products
  // and contracts are those of the earlier sample; the history model has a stream of its own (history.ts).
  const knobs = ctx.options.history;
  const spread = Math.max(1, knobs.trend);
  const plan: SpendPlan = {
    from: activeFrom,
    to: FAR_FUTURE,
    daily,
    growth: Math.min(0.004 * spread, Math.max(-0.002 * spread, 0.0012 + 0.0012 * knobs.trend * rng.normal())),
    noise: Math.min(0.95, rng.uniform(0.1, 0.35) * knobs.noise),
    history: seededHistory(seed, id, activeFrom, asOfDay, dense ? {...knobs, events: 0} : knobs)
  };
  rng.uniform(0.6, 1);

  // Products: a profile (LLM API user, model trainer, platform user), a few matching products, sometimes one more.
  let products: UsageProduct[];
  if (dense) {
    const weights = Array.from({length: productCount}, () => rng.uniform(0.2, 1) ** 2);
    const total = weights.reduce((s, w) => s + w, 0);
    products = weights.map((w, pidx) => ({pidx, share: w / total, dailyUse: 1, priceMicro: priced(pidx, currency, discount), priceChange: priceChange(pidx, currency, discount)}));
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
    products = chosen.map((pidx, i) => ({pidx, share: weights[i]! / total, dailyUse: productDef(pidx).dailyUse, priceMicro: priced(pidx, currency, discount), priceChange: priceChange(pidx, currency, discount)}));
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
  // Breakage: a customer with a commit may let usage fade late in its last term (after the commits were sized).
  const committed = [...contracts].reverse().find((k) => k.balances.some((b) => b.type !== "credit"));
  if (!dense && !sandbox) plan.history = withFade(plan.history, seed, id, committed ? {start: committed.start, end: committed.end} : null, knobs);
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
