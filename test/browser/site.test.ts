// Every built page in Chromium with the network refused: no foreign request, no console or page error, no cell in
// error, and the page check (test/browser/pageCheck.ts): no broken word, no clipped chart text, no chart without marks,
// no empty state over data the marts have; on the pages of the scenario customers paced over or under, the burn curve's
// last point above or below pace. Then the overview: its chart has marks, its table the row count native
// DuckDB reads from the same Parquet file, and a ```sql fence binds ${} values (O'Brien) as parameters.
import assert from "node:assert/strict";
import {readdirSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {after, before, describe, it} from "node:test";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Browser, Page} from "playwright-core";
import {closeSite, launchProfile, openPage, openSite, type SiteServer} from "./harness.js";
import {SAMPLE_SCENARIOS} from "../../data-loaders/sample/generate.js";
import {checkPage, pageProblems, type PageInspection} from "./pageCheck.js";
import {builtFile, nativeQuery, siteDir} from "./site.js";

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith("_") ? [] : htmlPages(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

async function parquetRows(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  return (await connection.runAndReadAll(sql.replaceAll("$file", `read_parquet('${file}')`))).getRowObjectsJson() as Record<string, unknown>[];
}

function builtPortfolioFile(dist: string, name: string): string {
  const dir = join(dist, "_file", "data", "portfolio");
  return join(dir, readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".parquet"))!);
}

function invoicesDrawn(): boolean {
  const heading = [...document.querySelectorAll("h2")].find((h) => h.textContent?.trim() === "Invoices");
  for (let next = heading?.nextElementSibling; next; next = next.nextElementSibling) if (next.querySelector("table")) return true;
  return false;
}

const PORTFOLIO = ["/", "/pacing", "/revenue", "/usage", "/unit-economics"];

/** The scenario customers whose commit is paced over or under: their burn curve's last point is above or below pace. */
const PACED = SAMPLE_SCENARIOS.filter((s) => s.expectedStatus === "over" || s.expectedStatus === "under");

/** A scenario customer's page, on the scenario's segment when it names one (the segment whose burn it shows). */
const scenarioPath = (s: (typeof SAMPLE_SCENARIOS)[number]) => `/customers/${s.customerId}${s.segmentId ? `?segment=${s.segmentId}` : ""}`;

/**
 * The burn chart's last actual point and the expected line at the same x, in SVG pixels (y grows downward, so
 * "above" is a smaller y); null when the page draws no burn curve.
 */
async function burnPosition(page: Page): Promise<{actualY: number; expectedY: number} | null> {
  const actual = page.locator("g.mb-actual path").first();
  const expected = page.locator("g.mb-expected path").first();
  if (!(await actual.count()) || !(await expected.count())) return null;
  const end = await actual.evaluate((p) => {
    const path = p as SVGPathElement;
    const {x, y} = path.getPointAtLength(path.getTotalLength());
    return {x, y};
  });
  const expectedY = await expected.evaluate((p, x) => {
    // The expected line at the actual line's last x: walk the expected path to that x.
    const path = p as SVGPathElement;
    let lo = 0, hi = path.getTotalLength();
    for (let i = 0; i < 40; ++i) {
      const mid = (lo + hi) / 2;
      if (path.getPointAtLength(mid).x < x) lo = mid;
      else hi = mid;
    }
    return path.getPointAtLength(lo).y;
  }, end.x);
  return {actualY: end.y, expectedY};
}

/**
 * Sections that open empty over data the marts have, read independently from the built files with native DuckDB:
 * a portfolio page of the sample shows no empty state at all and a table with rows in each place it has one (the
 * pacing table: every active segment); a customer page shows "no segments", "no burn", "no usage" or "no invoices"
 * only when that customer's files have none, in the range the page opens on (the first segment's whole term).
 */
async function missingData(path: string, inspection: PageInspection): Promise<string[]> {
  const problems: string[] = [];
  const expectEmpty = (text: string, empty: boolean) => {
    const shown = inspection.emptyStates.some((e) => e.startsWith(text));
    if (shown !== empty) problems.push(`${path}: ${shown ? `says "${text}…" though the marts have rows for it` : `does not say "${text}…" though the marts have no rows for it`}`);
  };
  if (PORTFOLIO.includes(path)) {
    problems.push(...inspection.emptyStates.map((e) => `${path}: empty state "${e}" on the sample, which has data for every section`));
    problems.push(...inspection.tables.filter((t) => t.rows === 0).map((t) => `${path}: table "${t.label}" has no rows`));
    if (path === "/pacing") {
      const [{n}] = (await nativeQuery(`select count(*)::integer as n from read_parquet('${builtFile("data/portfolio/pacing.parquet")}')`)) as [{n: number}];
      if (inspection.tables[0]?.rows !== n) problems.push(`/pacing: ${inspection.tables[0]?.rows} rows, the pacing mart has ${n} active segments`);
    }
  }
  if (path === "/data-health") {
    // "No findings" only when the findings mart has none; every other section is a table with rows on the sample.
    const [{n, severities}] = (await nativeQuery(`select count(*)::integer as n, count(distinct severity)::integer as severities from read_parquet('${builtFile("data/portfolio/findings.parquet")}')`)) as [{n: number; severities: number}];
    expectEmpty("No findings", n === 0);
    problems.push(...inspection.emptyStates.filter((e) => !e.startsWith("No findings")).map((e) => `${path}: empty state "${e}" on the sample`));
    problems.push(...inspection.tables.filter((t) => t.rows === 0).map((t) => `${path}: table "${t.label}" has no rows`));
    // A table per severity found, then freshness, the daily path, the line categories and the reconciliation.
    if (inspection.tables.length !== severities + 4) problems.push(`${path}: ${inspection.tables.length} tables, expected ${severities} of findings and 4 more`);
  }
  const [, customer, asked] = /^\/customers\/([^/?]+)(?:\?segment=(.+))?$/.exec(path) ?? [];
  if (customer) {
    const file = (name: string) => `read_parquet('${builtFile(`data/customers/${customer}/${name}.parquet`)}')`;
    // The segment the page opens on: the one the URL asks for; else active ones first (they have a pacing row), then
    // the latest start, the largest.
    const [first] = await nativeQuery(`select s.balance_id, s.segment_id, s.start_date::varchar as start_date,
        coalesce(s.end_date - 1, (select max(date) from ${file("burn_daily")}))::varchar as last_date
      from ${file("segments")} as s left join ${file("pacing")} as p using (balance_id, segment_id)
      ${asked ? `where s.segment_id = '${decodeURIComponent(asked).replaceAll("'", "''")}'` : ""}
      order by (p.status is null), s.start_date desc, s.amount_minor desc limit 1`);
    const count = async (sql: string) => ((await nativeQuery(sql)) as [{n: number}])[0].n;
    expectEmpty("This customer has no commit or credit segments", !first);
    if (first) {
      const range = `date between '${first.start_date}' and '${first.last_date}'`;
      const segment = `balance_id = '${first.balance_id}' and segment_id = '${first.segment_id}'`;
      expectEmpty("No burn in the chosen range", (await count(`select count(*)::integer as n from ${file("burn_by_product_daily")} where ${segment} and ${range}`)) === 0);
      expectEmpty("No usage in the chosen range", (await count(`select count(*)::integer as n from ${file("usage_daily")} where ${range}`)) === 0);
    }
    // The time charts share the page's width (and, drawn by one x scale over the chosen range, one axis).
    const timeCharts = inspection.charts.filter((c) => /^(Commit burn|Remaining commit|Daily spend|Daily usage)/.test(c.label) && c.width > 200);
    for (const chart of timeCharts) if (Math.abs(chart.width - inspection.mainWidth) > 2) problems.push(`${path}: chart "${chart.label}" is ${chart.width} px wide in a ${inspection.mainWidth} px page`);
    const invoices = await count(`select count(*)::integer as n from ${file("invoices")}`);
    expectEmpty("No invoices for this customer", invoices === 0);
    const shown = inspection.tables.at(-1)?.rows ?? 0;
    if (shown !== invoices) problems.push(`${path}: ${shown} invoice rows, the invoices mart has ${invoices}`);
  }
  return problems;
}

describe("built site in Chromium, network denied", () => {
  let server: SiteServer;
  let browser: Browser;
  const dist = siteDir();

  before(async () => ({server, browser} = await openSite(dist)));
  after(() => closeSite({server, browser}));
  /** The burn positions of the paced scenario customers' pages, read as the first test loads them. */
  const burns = new Map<string, {actualY: number; expectedY: number} | null>();

  it("every portfolio page and a spread of per-customer pages load with no foreign request, no console or page error, no cell in error, and pass the page check", async () => {
    const all = htmlPages(dist).map((file) => "/" + relative(dist, file).replace(/\.html$/, "").replace(/(^|\/)index$/, "$1"));
    assert.ok(all.length > 150, `${all.length} pages`);
    // Every portfolio page. Per-customer pages are one template each over that customer's own files, and each load
    // costs DuckDB-WASM's start-up (~2–3 s and ~6 s of CPU here), so: the customer page of every named scenario
    // customer (each status, flag, currency and empty state) and of every 48th customer by id (about 20 of 160); two
    // QBR decks (test/browser/reports.test.ts opens all 160 decks' standalone copies in depth) and two of the
    // authoring guide's account pages (test/browser/authoring.test.ts).
    const decks = all.filter((p) => p.startsWith("/qbr/"));
    const accounts = all.filter((p) => p.startsWith("/accounts/"));
    const customers = all.filter((p) => p.startsWith("/customers/")).sort();
    assert.ok(decks.length > 150 && customers.length > 150, `${decks.length} QBR decks, ${customers.length} customer pages`);
    const scenarioPages = new Map(SAMPLE_SCENARIOS.map((s) => [`/customers/${s.customerId}`, scenarioPath(s)]));
    const chosen = customers.filter((p, i) => scenarioPages.has(p) || i % 48 === 0).map((p) => scenarioPages.get(p) ?? p);
    // Owner pages are one template over the portfolio files: the first owner's and the unassigned customers'.
    const owners = all.filter((p) => p.startsWith("/owners/")).sort();
    assert.ok(all.includes("/alerts") && owners.length > 1, `${owners.length} owner pages`);
    const ownerPages = [owners.find((p) => p !== "/owners/unassigned")!, ...owners.filter((p) => p === "/owners/unassigned")];
    const paths = [...all.filter((p) => !/^\/(qbr|accounts|customers|owners)\//.test(p)), ...chosen, ...ownerPages, ...decks.slice(0, 2), ...accounts.slice(0, 2)];
    // One browser profile (HTTP and compiled-wasm caches, as a reader browsing the site has) and two tabs at a time,
    // one per core. Every page ends in a table drawn from its queries (a deck: its slides, navigable); once it is
    // there and no cell is running, the page is done (the guide's pages end in a chart or an Inputs table).
    const context = await launchProfile();
    const failures: string[] = [];
    const queue = paths.slice();
    await Promise.all([0, 1].map(async () => {
      const {page, log} = await openPage(context, server.origin);
      for (let path = queue.shift(); path; path = queue.shift()) {
        log.consoleErrors.length = log.pageErrors.length = log.foreignRequests.length = 0;
        await page.goto(server.origin + path, {waitUntil: "load"});
        const loaded = await page
          .waitForFunction(() => document.querySelector("table.mb-table, form table, figure svg, .mb-empty-state, .mb-deck[data-slide], .observablehq--error") && !((globalThis as any).__meterbookQueriesInFlight > 0) && !document.querySelector(".mb-preview"), null, {timeout: 60_000})
          .then(() => true, () => false);
        if (!loaded) failures.push(`${path}: no table, chart or empty state after 60 s (${await page.locator("main").innerText().then((t) => t.slice(0, 200).replace(/\s+/g, " "), () => "")})`);
        // A customer page is whole once its last section, the invoices table, is drawn.
        if (loaded && path.startsWith("/customers/")) await page.waitForFunction(invoicesDrawn, null, {timeout: 30_000}).catch(() => failures.push(`${path}: no invoices table after 30 s`));
        const paced = PACED.find((s) => scenarioPath(s) === path);
        if (loaded && paced) burns.set(paced.customerId, await burnPosition(page));
        if (loaded) {
          const inspection = await checkPage(page);
          failures.push(...pageProblems(path, inspection), ...(await missingData(path, inspection)));
        }
        const errors = await page.locator(".observablehq--error").count();
        const problems = [...log.foreignRequests.map((u) => `request to ${u}`), ...log.consoleErrors, ...log.pageErrors, ...(errors ? [`${errors} cells in error`] : [])];
        if (problems.length) failures.push(`${path}: ${problems.join("; ").slice(0, 500)}`);
      }
    }));
    await context.close();
    assert.deepEqual(failures, []);
  });

  // Read from the pages the first test loaded (the live chart: it waits until no build-time preview is left).
  for (const scenario of PACED) {
    it(`the burn curve of "${scenario.name}" (${scenario.expectedStatus}) has actual ${scenario.expectedStatus === "over" ? "above" : "below"} pace at as_of`, () => {
      const burn = burns.get(scenario.customerId);
      assert.ok(burn, `${scenarioPath(scenario)}: ${burns.has(scenario.customerId) ? "no burn curve drawn" : "not loaded"}`);
      if (scenario.expectedStatus === "over") assert.ok(burn.actualY < burn.expectedY, `actual ${burn.actualY} above expected ${burn.expectedY}`);
      else assert.ok(burn.actualY > burn.expectedY, `actual ${burn.actualY} below expected ${burn.expectedY}`);
    });
  }

  it("the overview chart has marks and its table the row count in the Parquet file", async () => {
    const {page, log} = await openPage(browser, server.origin);
    await page.goto(server.origin + "/");
    const line = page.locator(`figure svg g.mb-revenue path`).first();
    await line.waitFor({state: "attached", timeout: 30_000});
    assert.ok(((await line.getAttribute("d")) ?? "").length > 100, "the revenue line has points");
    // The flagged segments' table (the overview also tables this month's revenue by category).
    const table = page.locator("table.mb-table", {has: page.locator("th", {hasText: "Flags"})});
    await table.waitFor();
    const [{n}] = (await parquetRows(builtPortfolioFile(dist, "pacing"), "select count(*)::integer as n from $file where len(flags) > 0")) as [{n: number}];
    assert.ok(n > 0);
    assert.equal(await table.locator("tbody tr").count(), n);
    assert.equal(await table.getAttribute("data-row-count"), String(n));
    assert.deepEqual(log.foreignRequests, []);
    await page.context().close();
  });

  it("a ```sql fence binds ${} values as parameters: O'Brien is bound, not spliced", async () => {
    const {page} = await openPage(browser, server.origin);
    await page.goto(server.origin + "/");
    await page.locator("table.mb-table").first().waitFor({timeout: 30_000});
    await page.getByLabel("Customer name").fill("O'Brien"); // fires the input event
    await page.locator("ul.mb-found li").first().waitFor();
    const expected = await parquetRows(builtPortfolioFile(dist, "customers"), "select label from $file where label ilike '%O''Brien%' order by label");
    assert.ok(expected.length >= 1);
    assert.deepEqual(await page.locator("ul.mb-found li a").allInnerTexts(), expected.map((r) => r.label));
    const queries = await page.evaluate(() => (globalThis as unknown as {__meterbookQueries: {text: string; params: unknown[]}[]}).__meterbookQueries);
    const bound = queries.filter((q) => q.params.includes("O'Brien"));
    assert.ok(bound.length >= 1, "the fence ran with the value as a parameter");
    for (const q of bound) {
      assert.match(q.text, /label ilike '%' \|\| \? \|\| '%'/);
      assert.doesNotMatch(q.text, /O'Brien/, "the value is not in the SQL text");
    }
    await page.context().close();
  });
});
