// The site half of the benchmark: builds a fresh copy of the site over a given snapshot, then measures pages in
// Chromium on loopback — time to first chart, bytes fetched, and DuckDB-WASM query latencies over 20 interactions.
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {openDuckDB, rows, sqlString} from "../../data-loaders/lib/duckdb.js";
import {cloneCheckout} from "../offline-build.js";
import {launchProfile, openPage, serveStatic} from "../../test/browser/harness.js";

export interface PageFigures {
  path: string;
  /** First visit, empty cache: navigation start → first chart with marks. */
  firstChartMs: number;
  /** The same page again in the same browser profile (cached assets and compiled wasm), as a returning reader. */
  warmFirstChartMs: number;
  bytes: number;
  dataBytes: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  /** Where the first load's time went: Meterbook's performance marks (DuckDB start, ready, each file registered). */
  marks: Record<string, number>;
}

function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q;
  return sorted[Math.floor(i)]! + (sorted[Math.ceil(i)]! - sorted[Math.floor(i)]!) * (i - Math.floor(i));
}

/**
 * Records, inside the page, when the first view of data appears (ms since navigation start): a Plot chart with
 * marks, or on a page whose first view is a table (/pacing), the table's first row, or where the data has nothing to
 * show (/unit-economics without a cost input), the page's empty state.
 */
const FIRST_CHART_PROBE = `
  new MutationObserver((_, observer) => {
    if (document.querySelector("figure svg g[class^=mb-] path, figure svg g[class^=mb-] rect, table.mb-table tbody tr, .mb-empty-state")) {
      globalThis.__firstChartMs ??= performance.now();
      observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true});
`;

async function queryLog(page: Page): Promise<{ms: number}[]> {
  return page.evaluate(() => ((globalThis as any).__meterbookQueries ?? []).map((q: {ms: number}) => ({ms: q.ms})));
}

async function idle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // The live charts drawn: a build-time preview (data-loaders/snapshot/previews.ts) is gone once they are.
  await page.waitForFunction(() => !((globalThis as any).__meterbookQueriesInFlight > 0) && !document.querySelector(".mb-preview"));
}

/**
 * Moves a date input by `days`, as a user typing a new date would: `fill` sets the value and fires one `input` event,
 * as the browser does for a date picked. (It used to dispatch a second `input` too, which ran each date change's
 * queries twice and counted both: docs/scaling.md.)
 */
async function shiftDate(page: Page, label: string, days: number): Promise<void> {
  const input = page.getByLabel(label, {exact: true});
  const value = await input.inputValue();
  await input.fill(new Date(Date.parse(`${value}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10));
}

/** Twenty filter changes a user would make on each page; a page without them is measured for its first view only. */
const INTERACTIONS: Record<string, ((page: Page, i: number) => Promise<void>) | undefined> = {
  view: undefined,
  pacing: async (page, i) => {
    // Alternately the Status and the Flag select, each moved one option down twice and back up twice, by keyboard: a
    // reader's events are trusted, and Observable Inputs' select then takes only `input`. (Playwright's selectOption
    // dispatches untrusted `input` and `change`, which the select both takes: each change's query ran twice.)
    await page.getByLabel(i % 2 ? "Status" : "Flag", {exact: true}).focus();
    await page.keyboard.press(Math.floor(i / 2) % 4 < 2 ? "ArrowDown" : "ArrowUp");
  },
  revenue: async (page, i) => {
    // Alternately: the From date a week back or forward, and the breakdown by customer or by product.
    if (i % 2 === 0) await shiftDate(page, "From", i % 4 === 0 ? -7 : 7);
    else await page.getByRole("radio", {name: i % 4 === 1 ? "customer" : "product", exact: true}).check();
  },
  customer: async (page, i) => shiftDate(page, "From", i % 2 ? 7 : -7)
};

export async function measure(origin: string, path: string, kind: keyof typeof INTERACTIONS, served: {path: string; bytes: number}[], {interactions = 20} = {}): Promise<PageFigures> {
  // A fresh browser profile on disk: the first visit is cold (empty HTTP and code caches), the second warm.
  const profile = await launchProfile();
  try {
    const {page} = await openPage(profile, origin);
    await page.addInitScript(FIRST_CHART_PROBE);
    const before = served.length;
    await page.goto(origin + path);
    await page.waitForFunction(() => (globalThis as any).__firstChartMs !== undefined, null, {timeout: 60_000});
    await idle(page);
    const firstChartMs = await page.evaluate(() => (globalThis as any).__firstChartMs as number);
    const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("meterbook:")).map((m) => [m.name.slice(10), Math.round(m.startTime)])));
    const loaded = served.slice(before);
    const bytes = loaded.reduce((n, s) => n + s.bytes, 0);
    const dataBytes = loaded.filter((s) => s.path.startsWith("/_file/")).reduce((n, s) => n + s.bytes, 0);
    const startQueries = (await queryLog(page)).length;
    for (let i = 0; i < interactions && INTERACTIONS[kind]; ++i) {
      const before = (await queryLog(page)).length;
      await INTERACTIONS[kind]!(page, i);
      // Until the queries the change caused have run and their cells redrawn (a change that alters nothing runs
      // none: after 5 s the loop goes on).
      await page
        .waitForFunction((n) => ((globalThis as any).__meterbookQueries ?? []).length > n && !((globalThis as any).__meterbookQueriesInFlight > 0), before, {timeout: 5_000})
        .catch(() => {});
      await idle(page);
    }
    const latencies = (await queryLog(page)).slice(startQueries).map((q) => q.ms);
    // Warm: a second tab of the same profile opens the page again, as a reader coming back does: assets from the
    // HTTP cache and DuckDB's wasm from V8's code cache (which an incognito context would not keep).
    const {page: again} = await openPage(profile, origin);
    await again.addInitScript(FIRST_CHART_PROBE);
    await again.goto(origin + path);
    await again.waitForFunction(() => (globalThis as any).__firstChartMs !== undefined, null, {timeout: 60_000});
    const warmFirstChartMs = await again.evaluate(() => (globalThis as any).__firstChartMs as number);
    await idle(again);
    return {path, firstChartMs, warmFirstChartMs, marks, bytes, dataBytes, queries: latencies.length, p50Ms: quantile(latencies, 0.5), p95Ms: quantile(latencies, 0.95)};
  } finally {
    await profile.close();
  }
}

/** The first customer (by id) with an active segment, so its page has a burn curve and date inputs to change. */
async function pacedCustomer(dist: string): Promise<string> {
  const folder = join(dist, "_file", "data", "portfolio");
  const file = readdirSync(folder).find((f) => /^pacing\.[0-9a-f]+\.parquet$/.test(f));
  if (!file) throw new Error(`no pacing extract in ${folder}`);
  const {connection} = await openDuckDB();
  try {
    const [first] = await rows<{id: string}>(connection, `select min(customer_id) as id from read_parquet(${sqlString(join(folder, file))})`);
    return String(first!.id);
  } finally {
    connection.closeSync();
  }
}

/** One `npm run build` of a fresh checkout over the snapshot: its time, and its alert-history and customer-files lines. */
function buildSite(siteRoot: string, snapshotDir: string): {ms: number; alertsHistory: string | null; customerFiles: string | null} {
  cloneCheckout(siteRoot);
  const start = performance.now();
  const build = spawnSync("npm", ["run", "--silent", "build"], {cwd: siteRoot, encoding: "utf8", env: {...process.env, METERBOOK_SNAPSHOT_DIR: snapshotDir}, maxBuffer: 1 << 28});
  const ms = performance.now() - start;
  if (build.status !== 0) throw new Error(`site build failed:\n${build.stdout.slice(-3000)}\n${build.stderr.slice(-3000)}`);
  // e.g. "alerts history: 6 dates in 248.0 s: 0 from the cache, 1 on the snapshot's marts, 5 replayed"
  const output = `${build.stdout}\n${build.stderr}`;
  const alertsHistory = /alerts history: \d+ dates in [^\n]*/.exec(output)?.[0] ?? null;
  const customerFiles = /customer files: [^\n]*/.exec(output)?.[0] ?? null;
  return {ms, alertsHistory, customerFiles};
}

/**
 * Builds the site over `snapshotDir` (unless `dist` names a built one) and measures its pages: the first view of every
 * portfolio page, an owner's and a customer's, and three of them over 20 filter changes. With `rebuild`, a
 * second fresh checkout is built over the same snapshot: the next build of that snapshot, which links the customers'
 * files kept in the snapshot's folder and finds the alert history's dates there (docs/site-data.md, docs/alerts.md).
 */
export async function benchSite({snapshotDir, work, dist, interactions = 20, rebuild = false}: {snapshotDir: string; work: string; dist?: string; interactions?: number; rebuild?: boolean}) {
  let buildMs: number | null = null;
  let rebuildMs: number | null = null;
  const history: string[] = [];
  if (!dist) {
    const first = buildSite(join(work, "site"), snapshotDir);
    buildMs = first.ms;
    history.push(...[first.customerFiles, first.alertsHistory].filter(Boolean).map((l) => `  first build:  ${l}`));
    if (rebuild) {
      const next = buildSite(join(work, "site-next"), snapshotDir);
      rebuildMs = next.ms;
      history.push(...[next.customerFiles, next.alertsHistory].filter(Boolean).map((l) => `  next build:   ${l}`));
      rmSync(join(work, "site-next"), {recursive: true, force: true});
    }
    dist = join(work, "site", "dist");
  }
  const customerPages = readdirSync(join(dist, "customers")).filter((f) => f.endsWith(".html"));
  const server = await serveStatic(dist);
  try {
    const customer = await pacedCustomer(dist);
    // Every portfolio page, an owner's (the first by slug of those the build wrote) and the customer page; the three
    // with the filters readers change most are also measured for their query latencies.
    const owners = join(dist, "owners");
    const owner = existsSync(owners) ? readdirSync(owners).filter((f) => f.endsWith(".html")).sort()[0]?.slice(0, -".html".length) : undefined;
    const viewed = ["/", "/usage", "/forecast", "/unit-economics", "/alerts", "/data-health", ...(owner ? [`/owners/${owner}`] : [])];
    const pages: PageFigures[] = [
      await measure(server.origin, "/pacing", "pacing", server.served, {interactions}),
      await measure(server.origin, "/revenue", "revenue", server.served, {interactions}),
      await measure(server.origin, `/customers/${customer}`, "customer", server.served, {interactions})
    ];
    for (const path of viewed) pages.push(await measure(server.origin, path, "view", server.served));
    const fmt = (n: number, d = 0) => n.toLocaleString("en-US", {maximumFractionDigits: d});
    const lines = [
      buildMs === null
        ? `site build                (not built: measured ${dist}, ${customerPages.length} customer pages)`
        : `site build                ${fmt(buildMs / 1000, 1)} s for ${customerPages.length} customer pages (+ portfolio pages): ${fmt(buildMs / customerPages.length, 0)} ms per customer page, all in`,
      ...(rebuildMs === null ? [] : [`site build, next          ${fmt(rebuildMs / 1000, 1)} s: a fresh checkout over the same snapshot (customer files and alert history from its folder)`]),
      ...history,
      ``,
      `page (Chromium, loopback)          first chart  (warm)     fetched (data)        queries   p50       p95`,
      ...pages.map((p) => `${p.path.padEnd(34)} ${fmt(p.firstChartMs).padStart(7)} ms ${fmt(p.warmFirstChartMs).padStart(6)} ms ${fmt(p.bytes / 1024).padStart(7)} KiB (${fmt(p.dataBytes / 1024)} KiB)  ${p.queries ? `${String(p.queries).padStart(5)}  ${fmt(p.p50Ms, 1).padStart(5)} ms ${fmt(p.p95Ms, 1).padStart(6)} ms` : "    —"}`)
    ];
    return {dist, buildMs, rebuildMs, alertsHistory: history, customerPages: customerPages.length, buildMsPerCustomerPage: buildMs === null ? null : buildMs / customerPages.length, pages, lines};
  } finally {
    await server.close();
  }
}
