// The site half of the benchmark: builds a fresh copy of the site over a given snapshot, then measures pages in
// Chromium on loopback — time to first chart, bytes fetched, and DuckDB-WASM query latencies over 20 interactions.
import {spawnSync} from "node:child_process";
import {readdirSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {cloneCheckout} from "../offline-build.js";
import {launchChromium, openPage, serveStatic} from "../../test/browser/harness.js";

export interface PageFigures {
  path: string;
  firstChartMs: number;
  bytes: number;
  dataBytes: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
}

function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q;
  return sorted[Math.floor(i)]! + (sorted[Math.ceil(i)]! - sorted[Math.floor(i)]!) * (i - Math.floor(i));
}

/** Records, inside the page, when the first Plot chart with marks appears (ms since navigation start). */
const FIRST_CHART_PROBE = `
  new MutationObserver((_, observer) => {
    if (document.querySelector("figure svg g[class^=mb-] path, figure svg g[class^=mb-] rect")) {
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
  await page.waitForFunction(() => document.querySelectorAll(".observablehq--running").length === 0);
}

/** Twenty filter changes a user would make on each page. */
const INTERACTIONS: Record<string, ((page: Page, i: number) => Promise<void>) | undefined> = {
  overview: undefined,
  pacing: async (page, i) => {
    const statuses = ["Over pace", "Under pace", "On track", "All"];
    const flags = ["All", "Adoption risk", "Unsustainable", "All", "Negative balance"];
    if (i % 2) await page.getByLabel("Status", {exact: true}).selectOption({label: statuses[i % statuses.length]!});
    else await page.getByLabel("Flag", {exact: true}).selectOption({label: flags[i % flags.length]!});
  },
  revenue: async (page, i) => {
    if (i % 2) await page.getByLabel("customer", {exact: true}).check();
    else await page.getByLabel("product", {exact: true}).check();
  },
  customer: async (page, i) => {
    const from = page.getByLabel("From", {exact: true});
    const value = await from.inputValue();
    const d = new Date(Date.parse(`${value}T00:00:00Z`) + (i % 2 ? 7 : -7) * 86_400_000).toISOString().slice(0, 10);
    await from.fill(d);
    await from.dispatchEvent("input");
  }
};

export async function measure(origin: string, path: string, kind: keyof typeof INTERACTIONS, served: {path: string; bytes: number}[]): Promise<PageFigures> {
  const browser = await launchChromium();
  try {
    const {page} = await openPage(browser, origin);
    await page.addInitScript(FIRST_CHART_PROBE);
    const before = served.length;
    await page.goto(origin + path);
    await page.waitForFunction(() => (globalThis as any).__firstChartMs !== undefined, null, {timeout: 60_000});
    await idle(page);
    const firstChartMs = await page.evaluate(() => (globalThis as any).__firstChartMs as number);
    const loaded = served.slice(before);
    const bytes = loaded.reduce((n, s) => n + s.bytes, 0);
    const dataBytes = loaded.filter((s) => s.path.startsWith("/_file/")).reduce((n, s) => n + s.bytes, 0);
    const startQueries = (await queryLog(page)).length;
    for (let i = 0; i < 20 && INTERACTIONS[kind]; ++i) {
      await INTERACTIONS[kind]!(page, i);
      await idle(page);
    }
    const latencies = (await queryLog(page)).slice(startQueries).map((q) => q.ms);
    return {path, firstChartMs, bytes, dataBytes, queries: latencies.length, p50Ms: quantile(latencies, 0.5), p95Ms: quantile(latencies, 0.95)};
  } finally {
    await browser.close();
  }
}

export async function benchSite({snapshotDir, work}: {snapshotDir: string; exportDir: string; asOf: string; work: string}) {
  const siteRoot = join(work, "site");
  cloneCheckout(siteRoot);
  const start = performance.now();
  const build = spawnSync("npm", ["run", "--silent", "build"], {cwd: siteRoot, encoding: "utf8", env: {...process.env, METERBOOK_SNAPSHOT_DIR: snapshotDir}, maxBuffer: 1 << 28});
  const buildMs = performance.now() - start;
  if (build.status !== 0) throw new Error(`site build failed:\n${build.stdout.slice(-3000)}\n${build.stderr.slice(-3000)}`);
  const dist = join(siteRoot, "dist");
  const customerPages = readdirSync(join(dist, "customers")).filter((f) => f.endsWith(".html"));
  const server = await serveStatic(dist);
  try {
    const customer = customerPages.map((f) => f.replace(/\.html$/, "")).sort()[0]!;
    const pages = [
      await measure(server.origin, "/pacing", "pacing", server.served),
      await measure(server.origin, "/revenue", "revenue", server.served),
      await measure(server.origin, `/customers/${customer}`, "customer", server.served)
    ];
    const fmt = (n: number, d = 0) => n.toLocaleString("en-US", {maximumFractionDigits: d});
    const lines = [
      `site build                ${fmt(buildMs / 1000, 1)} s for ${customerPages.length} customer pages (+ portfolio pages): ${fmt(buildMs / customerPages.length, 0)} ms per customer page, all in`,
      ``,
      `page (Chromium, loopback)            first chart   fetched (data)          queries  p50      p95`,
      ...pages.map((p) => `${p.path.padEnd(36)} ${fmt(p.firstChartMs).padStart(7)} ms  ${fmt(p.bytes / 1024).padStart(7)} KiB (${fmt(p.dataBytes / 1024)} KiB)  ${String(p.queries).padStart(5)}  ${fmt(p.p50Ms, 1).padStart(5)} ms ${fmt(p.p95Ms, 1).padStart(6)} ms`)
    ];
    return {buildMs, customerPages: customerPages.length, buildMsPerCustomerPage: buildMs / customerPages.length, pages, lines};
  } finally {
    await server.close();
  }
}
