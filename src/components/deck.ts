// The QBR deck for one customer and quarter: the queries (one SQL text for native DuckDB at build time and for
// DuckDB-WASM on the site's /qbr page, each filtered by customer_id), the model built from their rows, and the
// slides as HTML with charts drawn into SVG. Customer-facing: no owner, flags or notes; only this customer's rows.
import {commitCurve, paletteFor, stackedWeeks, dailyBars, type BurnPoint} from "./staticCharts.js";
import {creditTypeMap, longDate, money, quantity, type CreditType, type CreditTypes} from "./format.js";

/** What the documents show of the company sending them (config `branding`, the logo already a data: URL). */
export interface DocBranding {
  companyName: string;
  logo: string | null;
  primaryColor: string;
  accentColor: string;
  footer: string;
}

/** Runs SQL with `$n` parameters bound (never spliced); rows as plain objects. */
export type RunQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Period {
  label: string;
  /** [start, end) UTC dates; `to` = min(end, as_of): the figures stop there. */
  start: string;
  end: string;
  to: string;
  asOf: string;
  partial: boolean;
}

const DAY = 864e5;
export const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

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

/** `2026-09` → [2026-09-01, 2026-10-01). */
export function monthPeriod(month: string, asOf: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`month must look like 2026-09, not ${JSON.stringify(month)}`);
  const year = Number(m[1]), mo = Number(m[2]);
  const start = `${month}-01`;
  const end = mo === 12 ? `${year + 1}-01-01` : `${year}-${String(mo + 1).padStart(2, "0")}-01`;
  const label = new Date(`${start}T00:00:00Z`).toLocaleDateString("en-GB", {month: "long", year: "numeric", timeZone: "UTC"});
  return period(label, start, end, asOf);
}

// Tables these queries read, by the names the per-customer site files use: customer, credit_types, products,
// pacing, segments, burn_daily, revenue_daily, usage_daily, invoices. Money leaves SQL summed exactly, then as DOUBLE.
export const DECK_QUERIES = {
  customer: `select customer_id, name from customer where customer_id = $1`,
  creditTypes: `select credit_type_id, name, currency_code, minor_per_major from credit_types`,
  spendWeekly: `select strftime(greatest(date_trunc('week', r.date)::date, $2::date), '%Y-%m-%d') as week,
      coalesce(p.product_name, r.product_id, 'Other') as product, r.credit_type_id, sum(r.revenue_minor)::double as spend_minor
    from revenue_daily as r left join products as p using (product_id)
    where r.customer_id = $1 and r.date >= $2::date and r.date < $3::date group by all order by all`,
  usageWeekly: `select strftime(greatest(date_trunc('week', u.date)::date, $2::date), '%Y-%m-%d') as week,
      coalesce(p.product_name, u.product_id, 'Other') as product, sum(u.quantity)::double as quantity
    from usage_daily as u left join products as p using (product_id)
    where u.customer_id = $1 and u.date >= $2::date and u.date < $3::date group by all order by all`,
  spendTotals: `select credit_type_id,
      coalesce(sum(revenue_minor) filter (where date >= $2::date and date < $3::date), 0)::double as spend_minor,
      coalesce(sum(revenue_minor) filter (where date >= $4::date and date < $2::date), 0)::double as previous_minor
    from revenue_daily where customer_id = $1 and date >= $4::date and date < $3::date group by all order by all`,
  commits: `select segment_id, balance_id, balance_type, balance_name, credit_type_id,
      strftime(start_date, '%Y-%m-%d') as start_date, strftime(end_date, '%Y-%m-%d') as end_date, days, elapsed_days,
      amount_minor::double as amount_minor, burned_to_date_minor::double as used_minor, remaining_minor::double as remaining_minor,
      expected_to_date_minor::double as expected_minor, burn_rate_pct, status, run_rate_minor::double as run_rate_minor,
      projected_end_burn_minor::double as projected_end_minor, strftime(projected_exhaustion_date, '%Y-%m-%d') as exhaustion_date
    from pacing where customer_id = $1
    order by (balance_type = 'credit'), (end_date is null), amount_minor desc, segment_id`,
  drawn: `select b.credit_type_id, (s.balance_type = 'credit') as is_credit, sum(b.burn_minor)::double as drawn_minor
    from burn_daily as b join segments as s using (balance_id, segment_id)
    where b.customer_id = $1 and s.customer_id = $1 and b.date >= $2::date and b.date < $3::date group by all order by all`,
  curve: `select strftime(date, '%Y-%m-%d') as date, cumulative_burn_minor::double as actual,
      expected_cumulative_minor::double as expected, forecast_cumulative_minor::double as forecast
    from burn_daily where customer_id = $1 and balance_id = $2 and segment_id = $3 order by date`,
  invoices: `select credit_type_id, count(*)::integer as invoices, sum(total_minor)::double as total_minor
    from invoices where customer_id = $1 and status <> 'VOID' and start_date >= $2::date and start_date < $3::date group by all order by all`
};

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
  curve: BurnPoint[];
  invoices: {credit_type_id: string; invoices: number; total_minor: number}[];
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Runs the deck's queries for one customer and quarter. */
export async function deckData(run: RunQuery, customerId: string, quarter: string, asOf: string): Promise<DeckData> {
  const p = quarterPeriod(quarter, asOf);
  const previousStart = quarterPeriod(previousQuarter(quarter), "9999-12-31").start;
  const [customer] = await run(DECK_QUERIES.customer, [customerId]);
  if (!customer) throw new RangeError(`no customer ${customerId} in the snapshot`);
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
    customer: {customer_id: String(customer.customer_id), name: String(customer.name ?? customer.customer_id)},
    period: p,
    creditTypes: creditTypeMap((await run(DECK_QUERIES.creditTypes, [])).map((r) => ({...r, minor_per_major: num(r.minor_per_major)}) as unknown as CreditType)),
    spendWeekly: (await run(DECK_QUERIES.spendWeekly, [customerId, p.start, p.to])).map((r) => ({week: String(r.week), product: String(r.product), credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    usageWeekly: (await run(DECK_QUERIES.usageWeekly, [customerId, p.start, p.to])).map((r) => ({week: String(r.week), product: String(r.product), quantity: num(r.quantity)})),
    spendTotals: (await run(DECK_QUERIES.spendTotals, [customerId, p.start, p.to, previousStart])).map((r) => ({credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor), previous_minor: num(r.previous_minor)})),
    commits,
    drawn: (await run(DECK_QUERIES.drawn, [customerId, p.start, p.to])).map((r) => ({credit_type_id: String(r.credit_type_id), is_credit: Boolean(r.is_credit), drawn_minor: num(r.drawn_minor)})),
    curve,
    invoices: (await run(DECK_QUERIES.invoices, [customerId, p.start, p.end])).map((r) => ({credit_type_id: String(r.credit_type_id), invoices: num(r.invoices), total_minor: num(r.total_minor)}))
  };
}

export function previousQuarter(quarter: string): string {
  const [y, q] = quarter.split("-Q").map(Number) as [number, number];
  return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
}

// ——— words a customer reads ———

/** Pacing status in a customer's words: never the internal status names or flags. */
export const PACE_WORDS: Record<string, {title: string; sentence: string}> = {
  over: {title: "Ahead of plan", sentence: "You are using your commitment faster than an even pace through its term."},
  under: {title: "Behind plan", sentence: "You are using your commitment more slowly than an even pace through its term."},
  on_track: {title: "On plan", sentence: "You are using your commitment at about an even pace through its term."}
};

const ESCAPES: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
/** Text for HTML: every customer-supplied string passes through here. */
export const esc = (value: unknown): string => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function commitName(c: Commit): string {
  return c.balance_name ?? {prepaid: "Prepaid commitment", postpaid: "Commitment", credit: "Credit", free_commit: "Commitment"}[c.balance_type] ?? "Commitment";
}

function sumsText(rows: {credit_type_id: string; value: number}[], creditTypes: CreditTypes): string {
  return rows.length ? rows.map((r) => money(r.value, r.credit_type_id, creditTypes)).join(" + ") : money(0, [...creditTypes.keys()][0] ?? "", creditTypes);
}

function change(now: number, before: number): string {
  if (!before) return "";
  const pct = (100 * (now - before)) / before;
  return `${pct >= 0 ? "+" : "−"}${Math.abs(pct).toFixed(1)}% on the previous quarter`;
}

function logoHtml(b: DocBranding): string {
  return b.logo ? `<img class="logo" src="${esc(b.logo)}" alt="${esc(b.companyName)}">` : `<span class="logo-text">${esc(b.companyName)}</span>`;
}

function slide(n: number, total: number, title: string, body: string, b: DocBranding, customer: string, period: Period): string {
  return `<section class="slide" id="slide-${n}" aria-label="Slide ${n} of ${total}: ${esc(title)}">
<header class="slide-head"><h2>${esc(title)}</h2>${logoHtml(b)}</header>
<div class="slide-body">${body}</div>
<footer class="slide-foot"><span>${esc(customer)} · ${esc(period.label)} business review</span><span>${n} / ${total}</span></footer>
</section>`;
}

/** The deck's slides (inner HTML of `.mb-deck`) — six, each 1280×720 CSS pixels. */
export function renderDeck(d: DeckData, b: DocBranding, document: Document): string {
  const ct = d.creditTypes;
  const p = d.period;
  const primary = d.commits[0];
  const through = p.partial ? `to date: figures through ${longDate(addDays(p.to, -1))}` : `${longDate(p.start)} – ${longDate(addDays(p.end, -1))}`;
  const products = [...new Map(d.spendWeekly.map((r) => [r.product, 0])).keys()];
  const productTotals = products
    .map((name) => ({name, spend: d.spendWeekly.filter((r) => r.product === name).reduce((s, r) => s + r.spend_minor, 0), credit: d.spendWeekly.find((r) => r.product === name)!.credit_type_id}))
    .sort((a, b2) => b2.spend - a.spend || a.name.localeCompare(b2.name));
  const usageProducts = [...new Set(d.usageWeekly.map((r) => r.product))];
  const usageTotals = new Map(usageProducts.map((name) => [name, d.usageWeekly.filter((r) => r.product === name).reduce((s, r) => s + r.quantity, 0)]));
  const colors = paletteFor([...new Set([...productTotals.map((r) => r.name), ...usageProducts])]);
  const total = 6;
  const slides: string[] = [];

  // 1. Title
  slides.push(`<section class="slide title-slide" id="slide-1" aria-label="Slide 1 of ${total}: title">
<div class="title-brand">${logoHtml(b)}</div>
<div class="title-main"><p class="kicker">Quarterly business review</p><h1>${esc(d.customer.name)}</h1><p class="sub">${esc(p.label)} · ${esc(through)}</p></div>
<footer class="slide-foot"><span>Prepared by ${esc(b.companyName)} · data as of ${esc(longDate(p.asOf))}</span><span>1 / ${total}</span></footer>
</section>`);

  // 2. Quarter summary
  const spend = sumsText(d.spendTotals.map((r) => ({credit_type_id: r.credit_type_id, value: r.spend_minor})), ct);
  const changes = d.spendTotals.map((r) => change(r.spend_minor, r.previous_minor)).filter(Boolean).join("; ");
  const drawnCommit = d.drawn.filter((r) => !r.is_credit);
  const drawnCredit = d.drawn.filter((r) => r.is_credit);
  const invoices = d.invoices.reduce((n, r) => n + r.invoices, 0);
  const top = productTotals.slice(0, 7);
  slides.push(slide(2, total, `${p.label} at a glance`, `<div class="cards">
<div class="card"><h3>Spend</h3><p class="big">${esc(spend)}</p><p class="muted">${esc(changes || "first quarter of usage")}</p></div>
<div class="card"><h3>Drawn from commitments</h3><p class="big">${esc(sumsText(drawnCommit.map((r) => ({credit_type_id: r.credit_type_id, value: r.drawn_minor})), ct))}</p><p class="muted">${drawnCredit.length ? `plus ${esc(sumsText(drawnCredit.map((r) => ({credit_type_id: r.credit_type_id, value: r.drawn_minor})), ct))} of credits` : "&nbsp;"}</p></div>
<div class="card"><h3>Invoices</h3><p class="big">${invoices}</p><p class="muted">${invoices ? esc(sumsText(d.invoices.map((r) => ({credit_type_id: r.credit_type_id, value: r.total_minor})), ct)) + " in total" : "none for the quarter"}</p></div>
</div>
<table class="data"><thead><tr><th>Product</th><th class="num">Usage</th><th class="num">Spend</th></tr></thead><tbody>
${top.length ? top.map((r) => `<tr><td><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</td><td class="num">${esc(quantity(usageTotals.get(r.name) ?? null))}</td><td class="num">${esc(money(r.spend, r.credit, ct))}</td></tr>`).join("\n") : `<tr><td colspan="3" class="muted">No usage in the quarter.</td></tr>`}
</tbody></table>${productTotals.length > top.length ? `<p class="muted">and ${productTotals.length - top.length} more products</p>` : ""}`, b, d.customer.name, p));

  // 3. Commit utilisation and pace
  const commitRows = d.commits.slice(0, 5).map((c) => {
    const used = c.amount_minor ? Math.max(0, Math.min(100, (100 * c.used_minor) / c.amount_minor)) : 0;
    const elapsed = c.days ? (100 * c.elapsed_days) / c.days : null;
    return `<div class="commit">
<div class="commit-line"><b>${esc(commitName(c))}</b><span>${esc(longDate(c.start_date))} – ${c.end_date ? esc(longDate(addDays(c.end_date, -1))) : "open-ended"}</span></div>
<div class="meter" role="img" aria-label="${used.toFixed(0)}% used"><div class="meter-used" style="width:${used.toFixed(2)}%"></div>${elapsed === null ? "" : `<div class="meter-time" style="left:${elapsed.toFixed(2)}%"></div>`}</div>
<div class="commit-line"><span>Used ${esc(money(c.used_minor, c.credit_type_id, ct))} of ${esc(money(c.amount_minor, c.credit_type_id, ct))} (${c.amount_minor ? ((100 * c.used_minor) / c.amount_minor).toFixed(1) : "0.0"}%) · ${c.remaining_minor < 0 ? `${esc(money(-c.remaining_minor, c.credit_type_id, ct))} beyond the commitment` : `${esc(money(c.remaining_minor, c.credit_type_id, ct))} remaining`}</span>${c.days ? `<span class="pace pace-${c.status}">${esc(PACE_WORDS[c.status]!.title)}</span>` : ""}</div>
</div>`;
  });
  slides.push(slide(3, total, "Commitment utilisation and pace", primary
    ? `<p class="lead">${primary.days ? `${esc(PACE_WORDS[primary.status]!.sentence)} Day ${primary.elapsed_days} of ${primary.days}: ${esc(money(primary.used_minor, primary.credit_type_id, ct))} used against ${esc(money(primary.expected_minor, primary.credit_type_id, ct))} at an even pace.` : "Your commitment has no end date, so it has no pace to compare against."}</p>
${commitRows.join("\n")}${d.commits.length > 5 ? `<p class="muted">and ${d.commits.length - 5} more</p>` : ""}
<p class="legend"><i class="swatch" style="background:var(--primary)"></i>used <i class="tick"></i>time elapsed in the term (as of ${esc(longDate(p.asOf))})</p>`
    : `<p class="lead">No commitment or credit is active as of ${esc(longDate(p.asOf))}: usage is billed as it occurs.</p>`, b, d.customer.name, p));

  // 4. Usage and spend trends by product
  const spendCt = d.spendTotals[0]?.credit_type_id ?? primary?.credit_type_id ?? "";
  const spendUnit = ct.get(spendCt);
  const weekly = d.spendWeekly.filter((r) => r.credit_type_id === spendCt).map((r) => ({week: r.week, product: r.product, value: r.spend_minor / (spendUnit?.minor_per_major ?? 1)}));
  const sparkProducts = [...usageTotals.entries()].sort((a, b2) => b2[1] - a[1] || a[0].localeCompare(b2[0])).slice(0, 5);
  slides.push(slide(4, total, "Usage and spend trends by product", `<div class="two">
<div><h3>Weekly spend (${esc(spendUnit?.currency_code ?? spendUnit?.name ?? "")})</h3>${weekly.length ? stackedWeeks(weekly, {document, width: 600, height: 400, colors, start: p.start, end: p.to, label: "Weekly spend by product", yLabel: ""}) : `<p class="muted">No spend in the quarter.</p>`}
<p class="legend">${productTotals.slice(0, 8).map((r) => `<span><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</span>`).join(" ")}</p></div>
<div><h3>Weekly usage, top products</h3>${sparkProducts.length ? sparkProducts.map(([name, totalQ]) => `<div class="spark"><div class="spark-label"><b>${esc(name)}</b><span>${esc(quantity(totalQ))} in the quarter</span></div>${dailyBars(d.usageWeekly.filter((r) => r.product === name).map((r) => ({date: r.week, value: r.quantity})), {document, width: 560, height: 62, start: p.start, end: p.to, color: colors.get(name)!, label: `Weekly usage of ${name}`, interval: "monday"})}</div>`).join("\n") : `<p class="muted">No usage in the quarter.</p>`}</div>
</div>`, b, d.customer.name, p));

  // 5. Forecast to the end of the commitment
  const unit = primary ? ct.get(primary.credit_type_id) : undefined;
  const major = (v: number | null) => (v === null ? null : v / (unit?.minor_per_major ?? 1));
  const forecastBody = primary && primary.days && primary.end_date
    ? `<div class="two forecast">
<div>${commitCurve(d.curve.map((r) => ({date: r.date, actual: major(r.actual), expected: major(r.expected), forecast: major(r.forecast)})), {document, width: 760, height: 440, amount: major(primary.amount_minor)!, asOf: p.asOf, primary: b.primaryColor, accent: b.accentColor, label: "Cumulative use of the commitment with forecast", yLabel: `Cumulative use (${unit?.currency_code ?? unit?.name ?? ""})`})}
<p class="legend"><span><i class="line" style="border-color:var(--primary)"></i>actual</span> <span><i class="line" style="border-color:#9498a0"></i>even pace</span> <span><i class="line dashed" style="border-color:var(--accent)"></i>forecast</span></p></div>
<div class="facts">
<p><span class="muted">Commitment</span><b>${esc(money(primary.amount_minor, primary.credit_type_id, ct))}</b></p>
<p><span class="muted">Term ends</span><b>${esc(longDate(addDays(primary.end_date, -1)))}</b></p>
<p><span class="muted">Recent daily use</span><b>${esc(money(primary.run_rate_minor, primary.credit_type_id, ct))}</b></p>
<p><span class="muted">Projected use by term end</span><b>${esc(money(primary.projected_end_minor, primary.credit_type_id, ct))}</b></p>
<p><span class="muted">Projected to be used up</span><b>${primary.exhaustion_date ? esc(longDate(primary.exhaustion_date)) : "Not before the term ends"}</b></p>
<p class="muted small">Forecast: your average daily use over the last 30 days, continued to the end of the term.</p>
</div></div>`
    : `<p class="lead">${primary ? "Your commitment has no end date, so there is no term to forecast to." : "No commitment is active, so there is nothing to forecast against."}</p>`;
  slides.push(slide(5, total, "Forecast to the end of your commitment", forecastBody, b, d.customer.name, p));

  // 6. Recommendation, driven by the primary commitment's pace
  slides.push(slide(6, total, "Recommendation", recommendation(d, primary), b, d.customer.name, p));
  return slides.join("\n");
}

function recommendation(d: DeckData, c: Commit | undefined): string {
  const ct = d.creditTypes;
  if (!c || !c.days || !c.end_date) {
    return `<h3 class="rec-title">Plan your next commitment together</h3>
<ul class="rec"><li>A commitment gives you a predictable budget and better rates for the usage you already have.</li>
<li>We can size one from your recent usage and the projects you have planned.</li></ul>`;
  }
  const ends = longDate(addDays(c.end_date, -1));
  const projectedPct = c.projected_end_minor !== null && c.amount_minor ? (100 * c.projected_end_minor) / c.amount_minor : null;
  if (c.status === "over") {
    const early = c.exhaustion_date ? Math.round((Date.parse(c.end_date) - Date.parse(c.exhaustion_date)) / DAY) : null;
    return `<h3 class="rec-title">Let's talk about expanding your commitment</h3>
<ul class="rec"><li>${c.exhaustion_date ? `${c.exhaustion_date < d.period.asOf ? "Your commitment was fully used on" : "At your current pace, your commitment will be fully used by"} <b>${esc(longDate(c.exhaustion_date))}</b>, ${early} days before the term ends on ${esc(ends)}.` : `You are using your commitment faster than planned (${esc(money(c.used_minor, c.credit_type_id, ct))} used against ${esc(money(c.expected_minor, c.credit_type_id, ct))} at an even pace).`}</li>
<li>Expanding the commitment now keeps your committed rates for the additional usage and avoids on-demand charges later in the term.</li>
<li>We suggest reviewing your growth plans for the coming quarters together and sizing the commitment to them.</li></ul>`;
  }
  if (c.status === "under") {
    return `<h3 class="rec-title">Let's help you get more from your commitment</h3>
<ul class="rec"><li>At your current pace, you would use about <b>${projectedPct === null ? "–" : `${projectedPct.toFixed(0)}%`}</b> of your commitment by the end of the term on ${esc(ends)}.</li>
<li>Our team can run an adoption session on the products you use least and help bring planned workloads forward.</li>
<li>We suggest a short working session to agree the next steps and a check-in before the end of next quarter.</li></ul>`;
  }
  return `<h3 class="rec-title">You are on plan: keep going</h3>
<ul class="rec"><li>At your current pace you would use about <b>${projectedPct === null ? "–" : `${projectedPct.toFixed(0)}%`}</b> of your commitment by the end of the term on ${esc(ends)}.</li>
<li>We suggest planning the renewal together about a quarter before the term ends, sized on your growth.</li></ul>`;
}

/** Deck styles: screen shows one scaled slide at a time (with the script), print one 1280×720 slide per page. */
export function deckCss(b: DocBranding, scope = ""): string {
  const s = (rule: string) => rule.split("\n").map((line) => (line && !line.startsWith("@") && !line.startsWith("}") && scope ? `${scope} ${line}` : line)).join("\n");
  return `${scope || ":root"} { --primary: ${safeColor(b.primaryColor, "#4269d0")}; --accent: ${safeColor(b.accentColor, "#efb118")}; }
${s(`.mb-deck { font: 18px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1e23; }
.mb-deck .slide { position: relative; box-sizing: border-box; width: 1280px; height: 720px; overflow: hidden; background: #fff; padding: 40px 56px 56px; display: flex; flex-direction: column; margin: 0 auto 24px; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
.mb-deck .slide-head { display: flex; justify-content: space-between; align-items: center; border-bottom: 3px solid var(--primary); padding-bottom: 10px; margin-bottom: 20px; }
.mb-deck .slide-head h2 { margin: 0; font-size: 34px; color: #1b1e23; }
.mb-deck .slide-body { flex: 1; min-height: 0; overflow: hidden; }
.mb-deck .slide-foot { position: absolute; left: 56px; right: 56px; bottom: 16px; display: flex; justify-content: space-between; font-size: 13px; color: #6b6f76; }
.mb-deck .logo { max-height: 44px; max-width: 220px; }
.mb-deck .logo-text { font-weight: 700; font-size: 20px; color: var(--primary); }
.mb-deck .title-slide { justify-content: center; background: linear-gradient(135deg, #fff 60%, color-mix(in srgb, var(--primary) 14%, #fff)); }
.mb-deck .title-brand { position: absolute; top: 40px; left: 56px; }
.mb-deck .title-main h1 { font-size: 64px; margin: 8px 0; color: var(--primary); max-width: 1100px; }
.mb-deck .kicker { text-transform: uppercase; letter-spacing: .12em; color: #6b6f76; margin: 0; }
.mb-deck .sub { font-size: 24px; margin: 0; }
.mb-deck .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; margin-bottom: 20px; }
.mb-deck .card { border: 1px solid #d8dbe0; border-top: 4px solid var(--primary); border-radius: 6px; padding: 12px 16px; }
.mb-deck .card h3 { margin: 0; font-size: 15px; color: #6b6f76; font-weight: 600; }
.mb-deck .big { font-size: 32px; font-weight: 700; margin: 4px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.mb-deck .muted { color: #6b6f76; margin: 0; font-size: 15px; }
.mb-deck .small { font-size: 13px; }
.mb-deck .data { width: 100%; border-collapse: collapse; font-size: 16px; }
.mb-deck .data th, .mb-deck .data td { padding: 5px 8px; border-bottom: 1px solid #e3e5e8; text-align: left; }
.mb-deck .num { text-align: right !important; font-variant-numeric: tabular-nums; }
.mb-deck .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.mb-deck .tick { display: inline-block; width: 2px; height: 14px; background: #1b1e23; margin: 0 6px 0 14px; vertical-align: middle; }
.mb-deck .line { display: inline-block; width: 22px; border-top: 3px solid; margin: 0 6px 4px 10px; vertical-align: middle; }
.mb-deck .line.dashed { border-top-style: dashed; }
.mb-deck .legend { font-size: 13px; color: #444; margin: 6px 0 0; }
.mb-deck .legend span { white-space: nowrap; margin-right: 10px; }
.mb-deck .lead { font-size: 21px; margin: 0 0 18px; }
.mb-deck .commit { margin-bottom: 16px; }
.mb-deck .commit-line { display: flex; justify-content: space-between; gap: 12px; font-size: 16px; }
.mb-deck .meter { position: relative; height: 18px; background: #eceef1; border-radius: 4px; margin: 4px 0; }
.mb-deck .meter-used { position: absolute; left: 0; top: 0; bottom: 0; background: var(--primary); border-radius: 4px; }
.mb-deck .meter-time { position: absolute; top: -4px; bottom: -4px; width: 2px; background: #1b1e23; }
.mb-deck .pace { font-weight: 700; }
.mb-deck .pace-over { color: #b4460f; }
.mb-deck .pace-under { color: #2a6fa8; }
.mb-deck .pace-on_track { color: #1a7f45; }
.mb-deck .two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.mb-deck .two.forecast { grid-template-columns: 780px 1fr; }
.mb-deck .two h3 { margin: 0 0 6px; font-size: 16px; }
.mb-deck .spark { margin-bottom: 4px; }
.mb-deck .spark-label { display: flex; justify-content: space-between; font-size: 14px; }
.mb-deck .facts p { display: flex; flex-direction: column; margin: 0 0 14px; font-size: 22px; }
.mb-deck .facts .muted { font-size: 14px; }
.mb-deck .facts p.small { font-size: 13px; }
.mb-deck .rec-title { font-size: 36px; color: var(--primary); margin: 10px 0 24px; }
.mb-deck .rec { font-size: 24px; line-height: 1.45; padding-left: 1.2em; max-width: 1080px; }
.mb-deck .rec li { margin-bottom: 14px; }
.mb-deck svg { display: block; overflow: hidden; }
.mb-deck.present .slide { display: none; margin: 0; }
.mb-deck.present .slide.current { display: flex; }
`)}@page { size: 1280px 720px; margin: 0; }
@media print {
${s(`.mb-deck .slide, .mb-deck.present .slide { display: flex; margin: 0; box-shadow: none; break-after: page; break-inside: avoid; transform: none !important; }
.mb-deck .slide:last-child { break-after: auto; }
`)}}
`;
}

function safeColor(value: string, fallback: string): string {
  return /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\([0-9., %]+\))$/.test(value) ? value : fallback;
}

/**
 * Keyboard navigation as a classic inline script (module scripts do not load from file://): arrows, PageUp/PageDown,
 * space, Home/End; the current slide is scaled to fit the window. Printing shows every slide.
 */
export const DECK_SCRIPT = `(function () {
  var deck = document.querySelector(".mb-deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var i = Math.max(0, Math.min(slides.length - 1, (parseInt((location.hash.match(/slide-(\\d+)/) || [])[1], 10) || 1) - 1));
  deck.classList.add("present");
  function fit() {
    var box = deck.parentElement.getBoundingClientRect();
    var width = Math.min(box.width || innerWidth, innerWidth), height = deck.dataset.fill === "window" ? innerHeight : width * 720 / 1280;
    var scale = Math.min(width / 1280, height / 720);
    slides.forEach(function (s) { s.style.transform = "scale(" + scale + ")"; s.style.transformOrigin = "top left"; });
    deck.style.height = 720 * scale + "px";
    deck.style.width = 1280 * scale + "px";
  }
  function show(n) {
    i = Math.max(0, Math.min(slides.length - 1, n));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === i); });
    deck.setAttribute("data-slide", String(i + 1));
    if (history.replaceState) history.replaceState(null, "", "#slide-" + (i + 1));
  }
  addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target; if (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) return;
    var k = e.key, n = null;
    if (k === "ArrowRight" || k === "ArrowDown" || k === "PageDown" || k === " ") n = i + 1;
    else if (k === "ArrowLeft" || k === "ArrowUp" || k === "PageUp") n = i - 1;
    else if (k === "Home") n = 0; else if (k === "End") n = slides.length - 1;
    if (n === null) return;
    e.preventDefault(); show(n);
  });
  addEventListener("resize", fit);
  show(i); fit();
})();`;

/** A standalone deck page: inline style and script, nothing to fetch. */
export function deckDocument(d: DeckData, b: DocBranding, document: Document): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.customer.name)} · ${esc(d.period.label)} business review</title>
<style>html, body { margin: 0; background: #e9ebee; } body { padding: 0; } @media print { html, body { background: #fff; } }
${deckCss(b)}</style></head>
<body><div class="mb-deck" data-fill="window">
${renderDeck(d, b, document)}
</div><script>${DECK_SCRIPT}</script></body></html>
`;
}
