// The QBR deck's six slides as HTML (the inner HTML of `.mb-deck`), each 1280×720 CSS pixels, charts drawn into
// SVG with the `document` given (jsdom's at build time, the page's on the site).
import {burnChart} from "../charts/burnChart.js";
import {dailyBars} from "../charts/dailyBars.js";
import {paletteFor} from "../charts/palette.js";
import {stackedSeries} from "../charts/stackedSeries.js";
import {logoHtml, type DocBranding} from "../documents/branding.js";
import {moneySums} from "../documents/rows.js";
import {esc} from "../escape.js";
import {longDate, money, quantity, type CreditTypes} from "../format.js";
import {addDays, utcDay, type Period} from "../periods.js";
import {commitmentName, PACE_WORDS} from "../vocabulary.js";
import type {DeckData} from "./data.js";
import {recommendation} from "./recommendation.js";

const svg = (node: Element) => node.outerHTML;

/** Amounts by credit type; none shows as zero in the first credit type. */
function sumsText(rows: [creditTypeId: string, minor: number][], creditTypes: CreditTypes): string {
  return rows.length ? moneySums(rows, creditTypes) : money(0, [...creditTypes.keys()][0] ?? "", creditTypes);
}

function change(now: number, before: number): string {
  if (!before) return "";
  const pct = (100 * (now - before)) / before;
  return `${pct >= 0 ? "+" : "−"}${Math.abs(pct).toFixed(1)}% on the previous quarter`;
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
  const spend = sumsText(d.spendTotals.map((r) => [r.credit_type_id, r.spend_minor]), ct);
  const changes = d.spendTotals.map((r) => change(r.spend_minor, r.previous_minor)).filter(Boolean).join("; ");
  const drawnCommit = d.drawn.filter((r) => !r.is_credit);
  const drawnCredit = d.drawn.filter((r) => r.is_credit);
  const invoices = d.invoices.reduce((n, r) => n + r.invoices, 0);
  const top = productTotals.slice(0, 7);
  slides.push(slide(2, total, `${p.label} at a glance`, `<div class="cards">
<div class="card"><h3>Spend</h3><p class="big">${esc(spend)}</p><p class="muted">${esc(changes || "first quarter of usage")}</p></div>
<div class="card"><h3>Drawn from commitments</h3><p class="big">${esc(sumsText(drawnCommit.map((r) => [r.credit_type_id, r.drawn_minor]), ct))}</p><p class="muted">${drawnCredit.length ? `plus ${esc(sumsText(drawnCredit.map((r) => [r.credit_type_id, r.drawn_minor]), ct))} of credits` : "&nbsp;"}</p></div>
<div class="card"><h3>Invoices</h3><p class="big">${invoices}</p><p class="muted">${invoices ? esc(sumsText(d.invoices.map((r) => [r.credit_type_id, r.total_minor]), ct)) + " in total" : "none for the quarter"}</p></div>
</div>
<table class="data"><thead><tr><th>Product</th><th class="num">Usage</th><th class="num">Spend</th></tr></thead><tbody>
${top.length ? top.map((r) => `<tr><td><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</td><td class="num">${esc(quantity(usageTotals.get(r.name) ?? null))}</td><td class="num">${esc(money(r.spend, r.credit, ct))}</td></tr>`).join("\n") : `<tr><td colspan="3" class="muted">No usage in the quarter.</td></tr>`}
</tbody></table>${productTotals.length > top.length ? `<p class="muted">and ${productTotals.length - top.length} more products</p>` : ""}`, b, d.customer.name, p));

  // 3. Commit utilisation and pace
  const commitRows = d.commits.slice(0, 5).map((c) => {
    const used = c.amount_minor ? Math.max(0, Math.min(100, (100 * c.used_minor) / c.amount_minor)) : 0;
    const elapsed = c.days ? (100 * c.elapsed_days) / c.days : null;
    return `<div class="commit">
<div class="commit-line"><b>${esc(commitmentName(c))}</b><span>${esc(longDate(c.start_date))} – ${c.end_date ? esc(longDate(addDays(c.end_date, -1))) : "open-ended"}</span></div>
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
  const weekly = d.spendWeekly.filter((r) => r.credit_type_id === spendCt).map((r) => ({date: utcDay(r.week), series: r.product, value: r.spend_minor / (spendUnit?.minor_per_major ?? 1)}));
  const sparkProducts = [...usageTotals.entries()].sort((a, b2) => b2[1] - a[1] || a[0].localeCompare(b2[0])).slice(0, 5);
  slides.push(slide(4, total, "Usage and spend trends by product", `<div class="two">
<div><h3>Weekly spend (${esc(spendUnit?.currency_code ?? spendUnit?.name ?? "")})</h3>${weekly.length ? svg(stackedSeries(weekly, {document, width: 600, height: 400, mark: "weekly-bar", colors, domain: [utcDay(p.start), utcDay(p.to)], ariaLabel: "Weekly spend by product", yLabel: ""})) : `<p class="muted">No spend in the quarter.</p>`}
<p class="legend">${productTotals.slice(0, 8).map((r) => `<span><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</span>`).join(" ")}</p></div>
<div><h3>Weekly usage, top products</h3>${sparkProducts.length ? sparkProducts.map(([name, totalQ]) => `<div class="spark"><div class="spark-label"><b>${esc(name)}</b><span>${esc(quantity(totalQ))} in the quarter</span></div>${svg(dailyBars(d.usageWeekly.filter((r) => r.product === name).map((r) => ({date: r.week, value: r.quantity})), {document, width: 560, height: 62, start: p.start, end: p.to, color: colors.get(name)!, ariaLabel: `Weekly usage of ${name}`, interval: "monday"}))}</div>`).join("\n") : `<p class="muted">No usage in the quarter.</p>`}</div>
</div>`, b, d.customer.name, p));

  // 5. Forecast to the end of the commitment
  const unit = primary ? ct.get(primary.credit_type_id) : undefined;
  const major = (v: number | null) => (v === null ? null : v / (unit?.minor_per_major ?? 1));
  const forecastBody = primary && primary.days && primary.end_date
    ? `<div class="two forecast">
<div>${svg(burnChart(d.curve.map((r) => ({date: utcDay(r.date), actual: major(r.actual), expected: major(r.expected), forecast: major(r.forecast)})), {document, width: 760, height: 440, amount: major(primary.amount_minor)!, asOf: utcDay(p.asOf), colors: {actual: b.primaryColor, expected: "#9498a0", forecast: b.accentColor}, ariaLabel: "Cumulative use of the commitment with forecast", yLabel: `Cumulative use (${unit?.currency_code ?? unit?.name ?? ""})`}))}
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
