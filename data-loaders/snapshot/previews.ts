// First views drawn at build time (docs/performance.md, "First chart before DuckDB"): a page's first view in its
// default state — a chart, a table's first rows, or the page's empty state — drawn by the same chart or table code
// from the same extract the page queries, as HTML the page shows at once and replaces with the live view when
// DuckDB-WASM (a 34 MB compile, 1–2 s cold) has drawn it. A preview
// selects and draws; it defines nothing: each one's query is the page's default selection over the page's extract
// (PORTFOLIO_EXTRACTS), written once here for the build and checked against the live chart by the browser tests.
import {JSDOM} from "jsdom";
import type {DuckDBConnection} from "@duckdb/node-api";
import {burnChart} from "../../src/core/charts/burnChart.js";
import {accuracyChart} from "../../src/core/charts/accuracyChart.js";
import {barList} from "../../src/core/charts/barList.js";
import {dailyLine} from "../../src/core/charts/dailyLine.js";
import {stackedSeries} from "../../src/core/charts/stackedSeries.js";
import {unitCostChart} from "../../src/core/charts/unitCostChart.js";
import {labelWidth} from "../../src/core/charts/usageByProduct.js";
import {BALANCE_TYPE_LABELS, FORECAST_METHOD_LABELS, NO_COST_INPUT_HTML} from "../../src/core/vocabulary.js";
import {table} from "../../src/core/table.js";
import {ownerSlugs} from "../../src/core/owners.js";
import {PACING_ORDER, pacingTableOptions, type PacingRow} from "../../src/core/pacingTable.js";
import {ALERTS_NOW_ORDER, alertsNowTableOptions, type AlertRow} from "../../src/core/alertsTable.js";
import {FINDINGS_ORDER, findingsView, type FindingRow} from "../../src/core/findingsTable.js";
import {OWNER_CUSTOMERS_ORDER, ownerCustomersTableOptions, type OwnerCustomerRow} from "../../src/core/ownerTable.js";
import {creditTypeMap, isoDate, percent, quantity, toMajor, type CreditType, type CreditTypes} from "../../src/core/format.js";
import {rows, sqlString} from "../lib/duckdb.js";
import {openMarts, PORTFOLIO_EXTRACTS} from "./site.js";

/** The width previews are drawn at; the figure scales down to a narrower page (Plot's max-width: 100%). */
export const PREVIEW_WIDTH = 960;

const DAY = 86_400_000;
/** A UTC day from its ISO date. */
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** /revenue's default view: the currency with the most revenue, by product, by day, the 90 days before as_of. */
export async function revenuePreviewData(connection: DuckDBConnection, asOf: string) {
  const extract = `(${PORTFOLIO_EXTRACTS.revenue_product_daily})`;
  const [currency] = await rows<{credit_type_id: string}>(connection, `select credit_type_id from ${extract} group by 1 order by sum(revenue_minor) desc, 1 limit 1`);
  const end = new Date(Date.parse(`${asOf}T00:00:00Z`) - DAY);
  const start = new Date(Date.parse(`${asOf}T00:00:00Z`) - 90 * DAY);
  if (!currency) return {currency: null, start, end, points: [] as {date: Date; series: string; revenue_minor: number}[]};
  // The page's "by product" selection with every product chosen (its list holds the extract's named products).
  // Dates as ISO text, read as UTC days (a timestamp's text would be read in the machine's time zone).
  const points = await rows<{date: string; series: string; revenue_minor: number}>(connection, `
    select strftime(date, '%Y-%m-%d') as date, product_name as series, sum(revenue_minor)::double as revenue_minor from ${extract}
    where credit_type_id = ${sqlString(currency.credit_type_id)} and date between ${sqlString(isoDate(start))}::date and ${sqlString(isoDate(end))}::date
      and product_name is not null
    group by all order by date, series`);
  return {currency: currency.credit_type_id, start, end, points: points.map((p) => ({...p, date: day(p.date)}))};
}

/** The overview's daily revenue: the currency with the most revenue in the 90 days before as_of, its total by day. */
export async function overviewPreviewData(connection: DuckDBConnection, asOf: string) {
  const extract = `(${PORTFOLIO_EXTRACTS.revenue_product_daily})`;
  return rows<{date: string; credit_type_id: string; revenue_minor: number}>(connection, `
    with recent as (select * from ${extract} where date >= ${sqlString(asOf)}::date - 90),
    main as (select credit_type_id from recent group by all order by sum(revenue_minor) desc, credit_type_id limit 1)
    select strftime(date, '%Y-%m-%d') as date, credit_type_id, sum(revenue_minor)::double as revenue_minor from recent
    where credit_type_id = (select credit_type_id from main)
    group by all order by date`);
}

/** /forecast's chart: each method's WAPE by horizon over all segments (forecast_accuracy, slice "all"). */
export async function forecastPreviewData(connection: DuckDBConnection) {
  return rows<{method: string; horizon: string; wape_pct: number | null}>(connection, `
    select method, horizon, wape_pct::double as wape_pct from (${PORTFOLIO_EXTRACTS.forecast_accuracy})
    where slice_kind = 'all' order by horizon_rank, method`);
}

/**
 * /usage's default view: the top customers (at most 15) of the first product, by name, with usage in the last 3
 * months (else the first product), over the last 3 months.
 */
export async function usagePreviewData(connection: DuckDBConnection) {
  const extract = `(${PORTFOLIO_EXTRACTS.usage_top_customers})`;
  const [product] = await rows<{product_id: string; product_name: string}>(connection, `
    select product_id, any_value(product_name) as product_name from ${extract}
    group by product_id order by not bool_or(window_months = 3), product_name, product_id limit 1`);
  if (!product) return {product: null, top: [] as {customer_id: string; label: string; quantity: number; share_pct: number | null; window_start_date: string}[]};
  const top = await rows<{customer_id: string; label: string; quantity: number; share_pct: number | null; window_start_date: string}>(connection, `
    select customer_id, label, quantity::double as quantity, share_pct::double as share_pct, strftime(window_start_date, '%Y-%m-%d') as window_start_date
    from ${extract} where product_id = ${sqlString(product.product_id)} and window_months = 3
    order by quantity_rank limit 15`);
  return {product, top};
}

/**
 * /unit-economics' first chart in its default view: the first currency with cost (by id) and its first product by
 * name, each day's cost per unit (null on a day with cost but no usage).
 */
export async function unitEconomicsPreviewData(connection: DuckDBConnection) {
  const extract = `(${PORTFOLIO_EXTRACTS.unit_cost_daily})`;
  const [first] = await rows<{credit_type_id: string; product_id: string; product_name: string}>(connection, `
    select credit_type_id, product_id, coalesce(product_name, product_id) as product_name from ${extract}
    where credit_type_id = (select min(credit_type_id) from ${extract})
    group by all order by product_name, product_id limit 1`);
  if (!first) return {currency: null, product: null, points: [] as {date: Date; cost_per_unit_minor: number | null}[]};
  const points = await rows<{date: string; cost_per_unit_minor: number | null}>(connection, `
    select strftime(date, '%Y-%m-%d') as date, cost_per_unit_minor::double as cost_per_unit_minor from ${extract}
    where credit_type_id = ${sqlString(first.credit_type_id)} and product_id = ${sqlString(first.product_id)} order by date`);
  return {currency: first.credit_type_id, product: {product_id: first.product_id, product_name: first.product_name}, points: points.map((p) => ({...p, date: day(p.date)}))};
}

/** How many of /pacing's rows its preview shows: its first screens; the live table then shows them all. */
export const PACING_PREVIEW_ROWS = 50;

/**
 * /pacing's default view: every active segment in the page's order (no filter), its first PACING_PREVIEW_ROWS, with
 * how many there are; and every customer's owner, for the owners' page links.
 */
export async function pacingPreviewData(connection: DuckDBConnection) {
  const extract = `(${PORTFOLIO_EXTRACTS.pacing})`;
  const [{n}] = (await rows<{n: number}>(connection, `select count(*)::integer as n from ${extract}`)) as [{n: number}];
  const first = await rows<PacingRow>(connection, `
    select customer_id, balance_id, segment_id, balance_type, credit_type_id, label, owner, amount_minor::double as amount_minor,
      expected_to_date_minor::double as expected_to_date_minor, burned_to_date_minor::double as burned_to_date_minor,
      remaining_minor::double as remaining_minor, burn_rate_pct::double as burn_rate_pct, status, flags, patterns,
      strftime(projected_exhaustion_date, '%Y-%m-%d') as projected_exhaustion_date, exhaust_chance_pct::double as exhaust_chance_pct,
      projected_breakage_minor::double as projected_breakage_minor, projected_true_up_minor::double as projected_true_up_minor
    from ${extract} order by ${PACING_ORDER} limit ${PACING_PREVIEW_ROWS}`);
  const owners = await rows<{owner: string | null}>(connection, `select distinct owner from (${PORTFOLIO_EXTRACTS.customers})`);
  return {count: n, first, owners: owners.map((o) => o.owner)};
}

/** /pacing's table in its default view, drawn by the page's own table over the first rows (pacingPreviewData). */
export function pacingPreview({count, first, owners}: Awaited<ReturnType<typeof pacingPreviewData>>, creditTypes: CreditTypes, asOf: string, document: Document): string {
  if (!first.length) return "";
  const shown = table(first, {...pacingTableOptions({creditTypes, ownerSlug: ownerSlugs(owners), asOf, document}), filename: undefined});
  return previewTable(shown, `The first ${first.length} of ${count} active segments, by burn %. Filters, sorting and the CSV download come with the data engine, starting now.`, `${first.length} of ${count} rows`);
}

/** How many of /alerts' firing alerts its preview shows: its first screens; the live table then shows them all. */
export const ALERTS_PREVIEW_ROWS = 50;

/**
 * /alerts' "Firing now" table, drawn by the page's own table over the first ALERTS_PREVIEW_ROWS of `now` (the query
 * of the alerts_now extract) in the page's order, saying how many there are; "" when none fires.
 */
export async function alertsPreview(connection: DuckDBConnection, now: string, owners: (string | null)[], asOf: string, document: Document): Promise<string> {
  const [{n}] = (await rows<{n: number}>(connection, `select count(*)::integer as n from (${now})`)) as [{n: number}];
  if (!n) return "";
  const first = await rows<AlertRow>(connection, `select rule_id, severity, subject_id, customer_id, label, owner, event, figure from (${now}) order by ${ALERTS_NOW_ORDER} limit ${ALERTS_PREVIEW_ROWS}`);
  const shown = table(first, {...alertsNowTableOptions({ownerSlug: ownerSlugs(owners), asOf, document}), filename: undefined});
  const which = first.length < n ? `The first ${first.length} of ${n} alerts firing` : `The ${n} alert${n === 1 ? "" : "s"} firing`;
  return previewTable(shown, `${which}, critical first. Sorting and the CSV download come with the data engine, starting now.`, `${first.length} of ${n} rows`);
}

/**
 * /data-health's first view: every finding (a few dozen at most: one per check and table) in the page's order, drawn
 * by the page's own count line and tables, without their downloads.
 */
export async function dataHealthPreview(connection: DuckDBConnection, asOf: string, document: Document): Promise<string> {
  const findings = await rows<FindingRow>(connection, `
    select check_id, severity, table_name, column_name, finding_count::bigint::double as finding_count, example_keys::varchar[] as example_keys,
      example_customer_ids::varchar[] as example_customer_ids, example_details::varchar[] as example_details, summary, meaning, action
    from (${PORTFOLIO_EXTRACTS.findings}) order by ${FINDINGS_ORDER}`);
  const shown = document.createElement("div");
  const note = document.createElement("p");
  note.className = "mb-legend";
  note.textContent = "Sorting and the CSV downloads come with the data engine, starting now.";
  shown.append(note, ...findingsView(findings, {asOf, document, download: false}));
  return shown.innerHTML;
}

/** How many of an owner's customers their page's preview shows: its first screens; the live table then shows all. */
export const OWNER_PREVIEW_ROWS = 50;

/**
 * Each owner's page's first table ("Customers by status"), by the owner's slug (ownerSlugs over every customer's
 * owner, as the site's owner pages are listed): the first OWNER_PREVIEW_ROWS of the owner's customers in the page's
 * order, drawn by the page's own table, saying how many there are; and each slug's owner (null: the customers with
 * none), from which the page takes its heading without waiting for DuckDB-WASM.
 */
export async function ownerPreviews(connection: DuckDBConnection, asOf: string, document: Document): Promise<{pages: Record<string, string>; names: Record<string, string | null>}> {
  const found = await rows<OwnerCustomerRow & {owner: string | null; n: number; total: number}>(connection, `
    select * from (
      select c.owner, c.customer_id, c.label, c.is_archived, s.status, s.active_segments::integer as active_segments,
        s.over_segments::integer as over_segments, s.under_segments::integer as under_segments,
        row_number() over (partition by c.owner order by ${OWNER_CUSTOMERS_ORDER})::integer as n, count(*) over (partition by c.owner)::integer as total
      from (${PORTFOLIO_EXTRACTS.customers}) as c left join (${PORTFOLIO_EXTRACTS.customer_status}) as s using (customer_id)
    ) where n <= ${OWNER_PREVIEW_ROWS} order by owner, n`);
  const byOwner = new Map<string | null, typeof found>();
  for (const r of found) {
    const list = byOwner.get(r.owner);
    if (list) list.push(r);
    else byOwner.set(r.owner, [r]);
  }
  const pages: Record<string, string> = {};
  const names: Record<string, string | null> = {};
  for (const [owner, slug] of ownerSlugs([...byOwner.keys()])) {
    names[slug] = owner;
    const first = byOwner.get(owner)!;
    const total = first[0]!.total;
    const shown = table(first, {...ownerCustomersTableOptions({slug, asOf, document}), filename: undefined});
    const which = first.length < total ? `The first ${first.length} of ${total} customers` : `The ${total} customer${total === 1 ? "" : "s"}`;
    pages[slug] = previewTable(shown, `${which}, over first. Sorting and the CSV download come with the data engine, starting now.`, `${first.length} of ${total} rows`);
  }
  return {pages, names};
}

/** A table drawn at build time, with a note above it on what comes once the data engine has started, and its count. */
function previewTable(shown: HTMLElement, legend: string, count: string): string {
  const note = shown.ownerDocument.createElement("p");
  note.className = "mb-legend";
  note.textContent = legend;
  shown.prepend(note);
  shown.querySelector(".mb-count")!.textContent = count;
  return shown.outerHTML;
}

/** A customer page's default view: its first segment (active first, then the latest start, then the largest). */
interface DefaultSegment {
  customer_id: string;
  balance_id: string;
  segment_id: string;
  balance_name: string | null;
  balance_type: string;
  credit_type_id: string;
  amount_minor: number;
  start: string;
  end: string;
  exhaustion_from: string | null;
  exhaustion_to: string | null;
}

/**
 * Each customer page's burn chart in its default view (the page's first segment over its whole term: to the day
 * before its end, or before as_of without one), as `<customer_id>/burn_preview.html`. The page shows it only when
 * no other segment is asked for in its URL, which it tells by the segment's id on the preview (`data-segment-id`).
 */
export async function customerPreviews(connection: DuckDBConnection, asOf: string, creditTypes: ReturnType<typeof creditTypeMap>, document: Document): Promise<Record<string, Uint8Array>> {
  const lastDay = isoDate(new Date(Date.parse(`${asOf}T00:00:00Z`) - DAY));
  // The page: segments left join pacing, ordered (not active last, latest start, largest amount, id).
  await connection.run(`create or replace temp table preview_segments as
    select * exclude (n) from (
      select s.customer_id, s.balance_id, s.segment_id, s.balance_name, s.balance_type, s.credit_type_id, s.amount_minor::double as amount_minor,
        strftime(s.start_date, '%Y-%m-%d') as start,
        strftime(coalesce(s.end_date - interval 1 day, ${sqlString(lastDay)}::date), '%Y-%m-%d') as "end",
        strftime(p.forecast_exhaustion_p10_date, '%Y-%m-%d') as exhaustion_from, strftime(p.forecast_exhaustion_p90_date, '%Y-%m-%d') as exhaustion_to,
        row_number() over (partition by s.customer_id order by (p.status is null), s.start_date desc, s.amount_minor desc, s.segment_id) as n
      from mart_balance_segments as s left join mart_pacing as p using (customer_id, balance_id, segment_id)
    ) where n = 1`);
  const segments = await rows<DefaultSegment>(connection, `select * from preview_segments order by customer_id`);
  const days = await rows<{customer_id: string; date: string; cumulative_burn_minor: number | null; expected_cumulative_minor: number | null; forecast_cumulative_minor: number | null; forecast_p10_cumulative_minor: number | null; forecast_p90_cumulative_minor: number | null}>(connection, `
    select b.customer_id, strftime(b.date, '%Y-%m-%d') as date, b.cumulative_burn_minor::double as cumulative_burn_minor, b.expected_cumulative_minor::double as expected_cumulative_minor,
      b.forecast_cumulative_minor::double as forecast_cumulative_minor, b.forecast_p10_cumulative_minor::double as forecast_p10_cumulative_minor, b.forecast_p90_cumulative_minor::double as forecast_p90_cumulative_minor
    from mart_burn_daily as b join preview_segments as s using (customer_id, balance_id, segment_id)
    where b.date between s.start::date and s."end"::date
    order by b.customer_id, b.date`);
  // The page's left margin: the longest name of a product the customer used in the range (its usage chart's).
  const names = await rows<{customer_id: string; product: string}>(connection, `
    select distinct u.customer_id, coalesce(p.product_name, u.product_id) as product
    from mart_usage_daily as u join preview_segments as s using (customer_id) left join mart_products as p using (product_id)
    where u.date between s.start::date and s."end"::date`);
  const byCustomer = <T extends {customer_id: string}>(list: T[]) => {
    const grouped = new Map<string, T[]>();
    for (const r of list) {
      const group = grouped.get(r.customer_id);
      if (group) group.push(r);
      else grouped.set(r.customer_id, [r]);
    }
    return grouped;
  };
  const daysOf = byCustomer(days);
  const namesOf = byCustomer(names);
  const files: Record<string, Uint8Array> = {};
  for (const s of segments) {
    const points = daysOf.get(s.customer_id) ?? [];
    if (!points.length) continue;
    const ct = creditTypes.get(s.credit_type_id);
    const major = (v: number | null) => (v === null ? null : toMajor(v, ct));
    const unit = ct?.currency_code ?? ct?.name ?? "";
    const curve = points.map((d) => ({date: day(d.date), actual: major(d.cumulative_burn_minor), expected: major(d.expected_cumulative_minor), forecast: major(d.forecast_cumulative_minor), low: major(d.forecast_p10_cumulative_minor), high: major(d.forecast_p90_cumulative_minor)}));
    const chart = burnChart(curve, {
      document, width: PREVIEW_WIDTH, domain: [day(s.start), new Date(+day(s.end) + DAY)],
      marginLeft: Math.max(64, ...(namesOf.get(s.customer_id) ?? []).map((n) => labelWidth(n.product))),
      amount: major(s.amount_minor)!, asOf: day(asOf), yLabel: `Cumulative burn (${unit})`,
      title: `Commit burn · ${s.balance_name ?? BALANCE_TYPE_LABELS[s.balance_type]}`,
      exhaustion: s.exhaustion_from ? {from: day(s.exhaustion_from), to: s.exhaustion_to ? day(s.exhaustion_to) : null} : null,
      interactive: true
    });
    files[`${s.customer_id}/burn_preview.html`] = new TextEncoder().encode(`<div data-segment-id="${s.segment_id.replace(/[^A-Za-z0-9_.:-]/g, "")}">${chart.outerHTML}</div>`);
  }
  return files;
}

/** Every customer's burn preview (customerPreviews), from the snapshot in `dir`. */
export async function customerPreviewFiles(dir: string, asOf: string): Promise<Record<string, Uint8Array>> {
  const {instance, connection} = await openMarts(dir);
  try {
    const creditTypes = creditTypeMap(await rows<CreditType>(connection, `select * from mart_credit_types`));
    return await customerPreviews(connection, asOf, creditTypes, new JSDOM("").window.document);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every page's preview as HTML, by file name (`revenue.html`), from the snapshot in `dir` as of `asOf`. */
export async function previews(dir: string, asOf: string): Promise<Record<string, Uint8Array>> {
  const {instance, connection} = await openMarts(dir);
  const {document} = new JSDOM("").window;
  try {
    const creditTypes = creditTypeMap(await rows<CreditType>(connection, `select * from mart_credit_types`));
    const {currency, start, end, points} = await revenuePreviewData(connection, asOf);
    const ct = currency ? creditTypes.get(currency) : undefined;
    const unit = ct?.currency_code ?? ct?.name ?? "";
    const revenue = points.length
      ? stackedSeries(points.map((d) => ({date: d.date, series: d.series, value: toMajor(d.revenue_minor, ct)})), {
          document, width: PREVIEW_WIDTH, mark: "area",
          title: `Daily revenue by product (${unit})`, yLabel: `Revenue (${unit}/day)`,
          description: `Daily revenue in ${unit}, stacked by product, from ${isoDate(start)} to ${isoDate(end)}.`
        }).outerHTML
      : "";
    const {product, top} = await usagePreviewData(connection);
    const usage = product && top.length
      ? barList(top.map((d) => ({label: d.label, value: d.quantity, text: `${quantity(d.quantity, {compact: true})} · ${percent(d.share_pct)}`})), {
          document, width: PREVIEW_WIDTH, title: `Top customers by ${product.product_name} usage since ${isoDate(day(top[0]!.window_start_date))}`, xLabel: "Quantity",
          description: "Largest users of the chosen product in the window, with their share of all usage."
        }).outerHTML
      : "";
    const daily = await overviewPreviewData(connection, asOf);
    const mainType = creditTypes.get(daily[0]?.credit_type_id ?? "");
    const overview = daily.length
      ? dailyLine(daily.map((d) => ({date: day(d.date), value: toMajor(d.revenue_minor, mainType)})), {
          document, width: PREVIEW_WIDTH, title: `Daily revenue (${mainType?.currency_code ?? mainType?.name ?? ""})`, yLabel: `Revenue (${mainType?.currency_code ?? ""}/day)`, className: "mb-revenue",
          description: "Total daily revenue across all products for the last 90 days before the as-of date."
        }).outerHTML
      : "";
    const accuracy = await forecastPreviewData(connection);
    const forecast = accuracy.length ? accuracyChart(accuracy, {document, width: PREVIEW_WIDTH, methodLabels: FORECAST_METHOD_LABELS}).outerHTML : "";
    const pacing = pacingPreview(await pacingPreviewData(connection), creditTypes, asOf, document);
    const cost = await unitEconomicsPreviewData(connection);
    const costType = creditTypes.get(cost.currency ?? "");
    const costUnit = costType?.currency_code ?? costType?.name ?? cost.currency;
    const unitEconomics = cost.product && cost.points.length
      ? unitCostChart(cost.points.map((d) => ({date: d.date, value: d.cost_per_unit_minor === null ? null : toMajor(d.cost_per_unit_minor, costType)})), {
          document, width: PREVIEW_WIDTH, title: `${cost.product.product_name}: cost per unit (${costUnit})`, yLabel: `Cost per unit (${costUnit})`,
          description: `Daily cost per unit of ${cost.product.product_name} in ${costUnit}, from ${isoDate(cost.points[0]!.date)} to ${isoDate(cost.points.at(-1)!.date)}.`
        }).outerHTML
      : // No cost at all (no cost input): the page's first view is its empty state, shown at once.
        cost.currency === null
        ? `<p class="mb-empty-state">${NO_COST_INPUT_HTML}</p>`
        : "";
    const dataHealth = await dataHealthPreview(connection, asOf, document);
    const owners = await ownerPreviews(connection, asOf, document);
    const encode = (html: string) => new TextEncoder().encode(html);
    return {
      "revenue.html": encode(revenue), "usage.html": encode(usage), "index.html": encode(overview), "forecast.html": encode(forecast), "pacing.html": encode(pacing),
      "unit-economics.html": encode(unitEconomics), "data-health.html": encode(dataHealth),
      "owners.json": encode(JSON.stringify(owners.names)),
      ...Object.fromEntries(Object.entries(owners.pages).map(([slug, html]) => [`owners/${slug}.html`, encode(html)]))
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
