// The monthly usage report for one customer: its queries (each filtered by customer_id, bound), and the report as one
// self-contained HTML page — inline style, inline SVG charts, the logo as a data: URL — laid out as A4 pages so the
// PDF Chromium prints from it has a known page count. Customer-facing: no owner, flags, notes or other customers.
import {addDays, esc, monthPeriod, PACE_WORDS, type DocBranding, type Period, type RunQuery} from "../../src/components/deck.js";
import {creditTypeMap, longDate, money, quantity, type CreditType, type CreditTypes} from "../../src/components/format.js";
import {dailyBars, hbars, paletteFor} from "../../src/components/staticCharts.js";

// $1 customer_id, $2 month start, $3 end of the figures (min(month end, as_of); the month end for invoices) — all [start, end).
export const REPORT_QUERIES = {
  customer: `select customer_id, name from customer where customer_id = $1`,
  creditTypes: `select credit_type_id, name, currency_code, minor_per_major from credit_types`,
  usageDaily: `select strftime(u.date, '%Y-%m-%d') as date, coalesce(p.product_name, u.product_id, 'Other') as product, sum(u.quantity)::double as quantity
    from usage_daily as u left join products as p using (product_id)
    where u.customer_id = $1 and u.date >= $2::date and u.date < $3::date group by all order by all`,
  spendByProduct: `select coalesce(p.product_name, r.product_id, 'Other') as product, r.credit_type_id, sum(r.revenue_minor)::double as spend_minor
    from revenue_daily as r left join products as p using (product_id)
    where r.customer_id = $1 and r.date >= $2::date and r.date < $3::date group by all order by spend_minor desc, product`,
  spendTotal: `select credit_type_id, sum(revenue_minor)::double as spend_minor
    from revenue_daily where customer_id = $1 and date >= $2::date and date < $3::date group by all order by all`,
  balances: `with month_segments as (
      select * from segments where customer_id = $1 and start_date < $3::date and (end_date is null or end_date > $2::date)
    ), burn as (
      select balance_id, segment_id,
        coalesce(sum(burn_minor) filter (where date < $2::date), 0) as before_minor,
        coalesce(sum(burn_minor) filter (where date >= $2::date and date < $3::date), 0) as drawn_minor,
        -- Pace at the end of the figures: the mart's status on their last day (null when the term ends before it).
        any_value(pace_status) filter (where date = $3::date - 1) as pace
      from burn_daily where customer_id = $1 group by all
    ), final as (
      select s.balance_type, s.balance_name, s.credit_type_id,
        strftime(s.start_date, '%Y-%m-%d') as start_date, strftime(s.end_date, '%Y-%m-%d') as end_date,
        s.amount_minor::double as amount_minor,
        (case when s.start_date >= $2::date then null else s.amount_minor - coalesce(b.before_minor, 0) end)::double as opening_minor,
        coalesce(b.drawn_minor, 0)::double as drawn_minor,
        (s.amount_minor - coalesce(b.before_minor, 0) - coalesce(b.drawn_minor, 0))::double as closing_minor,
        b.pace
      from month_segments as s left join burn as b using (balance_id, segment_id)
    )
    select * from final order by (balance_type = 'credit'), start_date, amount_minor desc, balance_name`,
  invoices: `select strftime(start_date, '%Y-%m-%d') as start_date, strftime(end_date, '%Y-%m-%d') as end_date, status, is_draft,
      strftime(issued_at::date, '%Y-%m-%d') as issued_date, total_minor::double as total_minor, credit_type_id, invoice_id
    from invoices where customer_id = $1 and status <> 'VOID' and start_date >= $2::date and start_date < $3::date
    order by start_date, invoice_id`
};

export interface Balance {
  balance_type: string;
  balance_name: string | null;
  credit_type_id: string;
  start_date: string;
  end_date: string | null;
  amount_minor: number;
  opening_minor: number | null;
  drawn_minor: number;
  closing_minor: number;
  pace: "over" | "under" | "on_track" | null;
}

export interface ReportData {
  customer: {customer_id: string; name: string};
  period: Period;
  creditTypes: CreditTypes;
  usageDaily: {date: string; product: string; quantity: number}[];
  spendByProduct: {product: string; credit_type_id: string; spend_minor: number}[];
  spendTotal: {credit_type_id: string; spend_minor: number}[];
  balances: Balance[];
  invoices: {start_date: string; end_date: string; status: string; is_draft: boolean; issued_date: string | null; total_minor: number; credit_type_id: string; invoice_id: string}[];
}

const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function reportData(run: RunQuery, customerId: string, month: string, asOf: string): Promise<ReportData> {
  const p = monthPeriod(month, asOf);
  const args = [customerId, p.start, p.to];
  const [customer] = await run(REPORT_QUERIES.customer, [customerId]);
  if (!customer) throw new RangeError(`no customer ${customerId} in the snapshot`);
  return {
    customer: {customer_id: String(customer.customer_id), name: String(customer.name ?? customer.customer_id)},
    period: p,
    creditTypes: creditTypeMap((await run(REPORT_QUERIES.creditTypes, [])).map((r) => ({...r, minor_per_major: num(r.minor_per_major)}) as unknown as CreditType)),
    usageDaily: (await run(REPORT_QUERIES.usageDaily, args)).map((r) => ({date: String(r.date), product: String(r.product), quantity: num(r.quantity)})),
    spendByProduct: (await run(REPORT_QUERIES.spendByProduct, args)).map((r) => ({product: String(r.product), credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    spendTotal: (await run(REPORT_QUERIES.spendTotal, args)).map((r) => ({credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    balances: (await run(REPORT_QUERIES.balances, args)).map((r) => ({
      ...r, amount_minor: num(r.amount_minor), opening_minor: numOrNull(r.opening_minor), drawn_minor: num(r.drawn_minor), closing_minor: num(r.closing_minor)
    })) as Balance[],
    invoices: (await run(REPORT_QUERIES.invoices, [customerId, p.start, p.end])).map((r) => ({
      start_date: String(r.start_date), end_date: String(r.end_date), status: String(r.status), is_draft: Boolean(r.is_draft),
      issued_date: r.issued_date === null ? null : String(r.issued_date), total_minor: num(r.total_minor), credit_type_id: String(r.credit_type_id), invoice_id: String(r.invoice_id)
    }))
  };
}

/** The month's daily usage as CSV (date, product, quantity): the report's one data file, this customer's rows only. */
export function usageCsv(d: ReportData): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return ["date,product,quantity", ...d.usageDaily.map((r) => `${r.date},${cell(r.product)},${r.quantity}`)].join("\n") + "\n";
}

const BALANCE_WORDS: Record<string, string> = {prepaid: "Prepaid commitment", postpaid: "Commitment", free_commit: "Commitment", credit: "Credit"};
const PRODUCTS_PER_TABLE = 6;

/** The report page: A4 sections, each `.page` fitting its sheet (checked in the browser before printing). */
export function reportDocument(d: ReportData, b: DocBranding, document: Document, {pdfName}: {pdfName?: string} = {}): string {
  const ct = d.creditTypes;
  const p = d.period;
  const lastDay = addDays(p.to, -1);
  const products = [...new Set([...d.spendByProduct.map((r) => r.product), ...d.usageDaily.map((r) => r.product)])];
  const colors = paletteFor(products);
  const total = d.spendTotal.length ? d.spendTotal.map((r) => money(r.spend_minor, r.credit_type_id, ct)).join(" + ") : "none";
  const invoiced = d.invoices.length ? sums(d.invoices.map((r) => [r.credit_type_id, r.total_minor]), ct) : "none";
  const drawn = d.balances.length ? sums(d.balances.map((r) => [r.credit_type_id, r.drawn_minor]), ct) : "none";
  const logo = b.logo ? `<img class="logo" src="${esc(b.logo)}" alt="${esc(b.companyName)}">` : `<span class="logo-text">${esc(b.companyName)}</span>`;
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
${d.spendByProduct.length ? hbars(d.spendByProduct.map((r) => ({label: r.product, value: r.spend_minor / (ct.get(r.credit_type_id)?.minor_per_major ?? 1), text: money(r.spend_minor, r.credit_type_id, ct), color: colors.get(r.product)!})), {document, width: 680, label: "Spend by product this month"}) : `<p class="muted">No spend this month.</p>`}
<h2>Commitments and credits</h2>
${d.balances.length ? `<table class="data"><thead><tr><th>Commitment</th><th>Term</th><th class="num">At month start</th><th class="num">Drawn</th><th class="num">At month end</th><th>Pace</th></tr></thead><tbody>
${d.balances.map((r) => `<tr><td>${esc(r.balance_name ?? BALANCE_WORDS[r.balance_type] ?? "Commitment")}</td><td>${esc(longDate(r.start_date))} – ${r.end_date ? esc(longDate(addDays(r.end_date, -1))) : "open-ended"}</td><td class="num">${r.opening_minor === null ? `began ${esc(longDate(r.start_date))}<br>${esc(money(r.amount_minor, r.credit_type_id, ct))}` : esc(money(r.opening_minor, r.credit_type_id, ct))}</td><td class="num">${esc(money(r.drawn_minor, r.credit_type_id, ct))}</td><td class="num">${esc(money(r.closing_minor, r.credit_type_id, ct))}</td><td>${r.pace ? `<span class="pace pace-${r.pace}">${esc(PACE_WORDS[r.pace]!.title)}</span>` : "–"}</td></tr>`).join("\n")}
</tbody></table>
${paceNotes(d.balances)}` : `<p class="muted">No commitment or credit was active this month: usage was billed as it occurred.</p>`}`);

  pages.push(`<h2>Usage by product, per day</h2>
${usageTotals.length ? usageTotals.map((r) => `<div class="spark"><div class="spark-label"><b><i class="swatch" style="background:${colors.get(r.name)}"></i>${esc(r.name)}</b><span>${esc(quantity(r.total))} in the month</span></div>${dailyBars(d.usageDaily.filter((u) => u.product === r.name).map((u) => ({date: u.date, value: u.quantity})), {document, width: 680, height: 64, start: p.start, end: p.to, color: colors.get(r.name)!, label: `Daily usage of ${r.name}`})}</div>`).join("\n") : `<p class="muted">No usage this month.</p>`}`);

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
<p class="muted">Files: <a href="usage.csv">usage.csv</a> (this month's daily usage by product)${pdfName ? ` · <a href="${esc(pdfName)}">${esc(pdfName)}</a>` : ""}.</p>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.customer.name)} · ${esc(p.label)} usage report</title>
<style>${reportCss(b)}</style></head>
<body>
${pages.map((body, i) => `<section class="page">${body}${foot(i + 1, pages.length)}</section>`).join("\n")}
</body></html>
`;
}

function sums(rows: [string, number][], ct: CreditTypes): string {
  const by = new Map<string, number>();
  for (const [id, v] of rows) by.set(id, (by.get(id) ?? 0) + v);
  return [...by].map(([id, v]) => money(v, id, ct)).join(" + ");
}

function paceNotes(balances: Balance[]): string {
  const seen = [...new Set(balances.map((r) => r.pace).filter((v) => v !== null))] as string[];
  return seen.length ? `<ul class="notes">${seen.map((s) => `<li><b>${esc(PACE_WORDS[s]!.title)}</b>: ${esc(PACE_WORDS[s]!.sentence)}</li>`).join("")}</ul>` : "";
}

function reportCss(b: DocBranding): string {
  const color = (v: string, f: string) => (/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)$/.test(v) ? v : f);
  return `:root { --primary: ${color(b.primaryColor, "#4269d0")}; --accent: ${color(b.accentColor, "#efb118")}; }
@page { size: A4; margin: 15mm; }
html { background: #e9ebee; }
body { margin: 0; font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1e23; }
.page { --pad: 15mm; position: relative; box-sizing: content-box; width: 180mm; height: 257mm; overflow: hidden; padding: var(--pad) var(--pad) calc(var(--pad) + 9mm); margin: 16px auto; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
@media print { html { background: #fff; } .page { --pad: 0mm; margin: 0; box-shadow: none; break-after: page; } .page:last-child { break-after: auto; } }
.masthead { display: flex; gap: 18px; align-items: center; border-bottom: 3px solid var(--primary); padding-bottom: 10px; margin-bottom: 12px; }
.logo { max-height: 48px; max-width: 160px; }
.logo-text { font-weight: 700; font-size: 18px; color: var(--primary); }
h1 { margin: 2px 0; font-size: 26px; color: var(--primary); }
h2 { font-size: 16px; margin: 16px 0 6px; border-bottom: 1px solid #d8dbe0; padding-bottom: 3px; }
h3 { margin: 0; font-size: 11px; font-weight: 600; color: #6b6f76; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .1em; color: #6b6f76; font-size: 11px; }
.sub { margin: 0; font-size: 14px; }
.note { background: color-mix(in srgb, var(--accent) 20%, #fff); border-left: 4px solid var(--accent); padding: 6px 10px; margin: 8px 0; }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.kpis > div { border: 1px solid #d8dbe0; border-top: 3px solid var(--primary); border-radius: 4px; padding: 6px 10px; }
.big { font-size: 19px; font-weight: 700; margin: 2px 0 0; }
.muted { color: #6b6f76; }
.data { width: 100%; border-collapse: collapse; }
.data th, .data td { padding: 3px 6px; border-bottom: 1px solid #e3e5e8; text-align: left; vertical-align: top; }
.data.daily { font-size: 10.5px; } .data.daily td, .data.daily th { padding: 1.5px 5px; } .data.daily td { white-space: nowrap; }
.data tfoot th { border-top: 2px solid #1b1e23; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.pace { font-weight: 700; white-space: nowrap; }
.pace-over { color: #b4460f; } .pace-under { color: #2a6fa8; } .pace-on_track { color: #1a7f45; }
.notes { padding-left: 1.2em; margin: 6px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.spark { margin-bottom: 4px; } .spark-label { display: flex; justify-content: space-between; }
svg { display: block; }
.foot { position: absolute; left: var(--pad); right: var(--pad); bottom: var(--pad); display: flex; justify-content: space-between; gap: 16px; font-size: 9.5px; color: #6b6f76; border-top: 1px solid #d8dbe0; padding-top: 4px; }
`;
}
