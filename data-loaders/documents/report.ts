// The monthly usage report for one customer as one self-contained HTML page — inline style, inline SVG charts, the
// logo as a data: URL — laid out as A4 pages so the PDF Chromium prints from it has a known page count.
// Customer-facing: no owner, flags, notes or other customers.
import {barList} from "../../src/core/charts/barList.js";
import {dailyBars} from "../../src/core/charts/dailyBars.js";
import {paletteFor} from "../../src/core/charts/palette.js";
import {logoHtml, type DocBranding} from "../../src/core/documents/branding.js";
import {moneySums} from "../../src/core/documents/rows.js";
import {esc} from "../../src/core/escape.js";
import {longDate, money, quantity} from "../../src/core/format.js";
import {addDays} from "../../src/core/periods.js";
import {commitmentName, PACE_WORDS} from "../../src/core/vocabulary.js";
import {reportCss} from "./reportCss.js";
import type {Balance, ReportData} from "./reportData.js";

export {reportData, usageCsv, REPORT_QUERIES, type Balance, type ReportData} from "./reportData.js";

const PRODUCTS_PER_TABLE = 6;
/** Daily-usage sparklines a page holds (each ~90 px of a 1,005 px sheet): more products take more pages. */
export const SPARKS_PER_PAGE = 10;
const svg = (node: Element) => node.outerHTML;


/** The report page: A4 sections, each `.page` fitting its sheet (checked in the browser before printing). */
export function reportDocument(d: ReportData, b: DocBranding, document: Document, {pdfName}: {pdfName?: string} = {}): string {
  const ct = d.creditTypes;
  const p = d.period;
  const lastDay = addDays(p.to, -1);
  const products = [...new Set([...d.spendByProduct.map((r) => r.product), ...d.usageDaily.map((r) => r.product)])];
  const colors = paletteFor(products);
  const total = d.spendTotal.length ? moneySums(d.spendTotal.map((r) => [r.credit_type_id, r.spend_minor]), ct) : "none";
  const invoiced = d.invoices.length ? moneySums(d.invoices.map((r) => [r.credit_type_id, r.total_minor]), ct) : "none";
  const drawn = d.balances.length ? moneySums(d.balances.map((r) => [r.credit_type_id, r.drawn_minor]), ct) : "none";
  const logo = logoHtml(b);
  const note = p.partial ? `<p class="note">This month is not over yet: figures are to date, through ${esc(longDate(lastDay))}.</p>` : "";
  const foot = (n: number, of: number) => `<footer class="foot"><span>${esc(b.footer)}</span><span>${esc(b.companyName)} · ${n} / ${of}</span></footer>`;

  const usageTotals = products.map((name) => ({name, total: d.usageDaily.filter((r) => r.product === name).reduce((s, r) => s + r.quantity, 0)})).filter((r) => d.usageDaily.some((u) => u.product === r.name));
  const days: string[] = [];
  for (let day = p.start; day < p.to; day = addDays(day, 1)) days.push(day);
  const byDay = new Map(d.usageDaily.map((r) => [`${r.date}\0${r.product}`, r.quantity]));
  const tables: string[][] = [];
  for (let i = 0; i < usageTotals.length; i += PRODUCTS_PER_TABLE) tables.push(usageTotals.slice(i, i + PRODUCTS_PER_TABLE).map((r) => r.name));

  const pages: string[] = [];
  pages.push(`<header class="masthead">${logo}<div><p class="kicker">Monthly usage report</p><h1>${esc(d.customer.name)}</h1><p class="sub">${esc(p.label)} · ${esc(longDate(p.start))} – ${esc(longDate(lastDay))}</p></div></header>
${note}
<div class="kpis"><div><h3>Spend this month</h3><p class="big" data-total-spend>${esc(total)}</p></div><div><h3>Invoiced for the month</h3><p class="big">${esc(invoiced)}</p></div><div><h3>Drawn from commitments and credits</h3><p class="big">${esc(drawn)}</p></div></div>
<h2>Spend by product</h2>
${d.spendByProduct.length ? svg(barList(d.spendByProduct.map((r) => ({label: r.product, value: r.spend_minor / (ct.get(r.credit_type_id)?.minor_per_major ?? 1), text: money(r.spend_minor, r.credit_type_id, ct), color: colors.get(r.product)!})), {document, width: 680, compact: true, ariaLabel: "Spend by product this month"})) : `<p class="muted">No spend this month.</p>`}
<h2>Commitments and credits</h2>
${d.balances.length ? `<table class="data"><thead><tr><th>Commitment</th><th>Term</th><th class="num">At month start</th><th class="num">Drawn</th><th class="num">At month end</th><th>Pace</th></tr></thead><tbody>
${d.balances.map((r) => `<tr><td>${esc(commitmentName(r))}</td><td>${esc(longDate(r.start_date))} – ${r.end_date ? esc(longDate(addDays(r.end_date, -1))) : "open-ended"}</td><td class="num">${r.opening_minor === null ? `began ${esc(longDate(r.start_date))}<br>${esc(money(r.amount_minor, r.credit_type_id, ct))}` : esc(money(r.opening_minor, r.credit_type_id, ct))}</td><td class="num">${esc(money(r.drawn_minor, r.credit_type_id, ct))}</td><td class="num">${esc(money(r.closing_minor, r.credit_type_id, ct))}</td><td>${r.pace ? `<span class="pace pace-${r.pace}">${esc(PACE_WORDS[r.pace]!.title)}</span>` : "–"}</td></tr>`).join("\n")}
</tbody></table>
${paceNotes(d.balances)}` : `<p class="muted">No commitment or credit was active this month: usage was billed as it occurred.</p>`}`);

  const sparkPages = Math.max(1, Math.ceil(usageTotals.length / SPARKS_PER_PAGE));
  for (let i = 0; i < sparkPages; i++) {
    const part = usageTotals.slice(i * SPARKS_PER_PAGE, (i + 1) * SPARKS_PER_PAGE);
    pages.push(`<h2>Usage by product, per day${sparkPages > 1 ? ` (${i + 1} of ${sparkPages})` : ""}</h2>
${part.length ? part.map((r) => `<div class="spark"><div class="spark-label"><b><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</b><span>${esc(quantity(r.total))} in the month</span></div>${svg(dailyBars(d.usageDaily.filter((u) => u.product === r.name).map((u) => ({date: u.date, value: u.quantity})), {document, width: 680, height: 64, start: p.start, end: p.to, color: colors.get(r.name)!, ariaLabel: `Daily usage of ${r.name}`}))}</div>`).join("\n") : `<p class="muted">No usage this month.</p>`}`);
  }

  for (const [i, names] of tables.entries()) {
    pages.push(`<h2>Daily usage${tables.length > 1 ? ` (${i + 1} of ${tables.length})` : ""}</h2>
<table class="data daily"><thead><tr><th>Day</th>${names.map((n) => `<th class="num">${esc(n)}</th>`).join("")}</tr></thead><tbody>
${days.map((day) => `<tr><td>${esc(day)}</td>${names.map((n) => `<td class="num">${esc(byDay.has(`${day}\0${n}`) ? quantity(byDay.get(`${day}\0${n}`)!) : "–")}</td>`).join("")}</tr>`).join("\n")}
</tbody><tfoot><tr><th>Total</th>${names.map((n) => `<th class="num">${esc(quantity(usageTotals.find((r) => r.name === n)!.total))}</th>`).join("")}</tr></tfoot></table>`);
  }

  pages.push(`<h2>Invoices for ${esc(p.label)}</h2>
${d.invoices.length ? `<table class="data"><thead><tr><th>Billing period</th><th>Status</th><th>Issued</th><th class="num">Total</th></tr></thead><tbody>
${d.invoices.map((r) => `<tr><td>${esc(longDate(r.start_date))} – ${esc(longDate(addDays(r.end_date, -1)))}</td><td>${r.is_draft ? "In progress (provisional)" : "Final"}</td><td>${r.issued_date ? esc(longDate(r.issued_date)) : "–"}</td><td class="num">${esc(money(r.total_minor, r.credit_type_id, ct))}</td></tr>`).join("\n")}
</tbody><tfoot><tr><th colspan="3">Total</th><th class="num">${esc(invoiced)}</th></tr></tfoot></table>` : `<p class="muted">No invoices for this month.</p>`}
<p class="muted files">Files: <a href="usage.csv">usage.csv</a> (this month's daily usage by product)${pdfName ? ` · <a href="${esc(pdfName)}">${esc(pdfName)}</a>` : ""}.</p>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.customer.name)} · ${esc(p.label)} usage report</title>
<style>${reportCss(b)}</style></head>
<body>
${pages.map((body, i) => `<section class="page">${body}${foot(i + 1, pages.length)}</section>`).join("\n")}
</body></html>
`;
}

function paceNotes(balances: Balance[]): string {
  const seen = [...new Set(balances.map((r) => r.pace).filter((v) => v !== null))] as string[];
  return seen.length ? `<ul class="notes">${seen.map((s) => `<li><b>${esc(PACE_WORDS[s]!.title)}</b>: ${esc(PACE_WORDS[s]!.sentence)}</li>`).join("")}</ul>` : "";
}
