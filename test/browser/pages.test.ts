// The analyst pages on the built sample site, in Chromium with the network refused: pacing row counts and filters
// against the extract read natively, the CSV download against the rows shown, the build-time previews, and a customer
// page that fetches nothing of any other customer (the scenario customers' burn curves are test/browser/site.test.ts's).
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {csvParse} from "d3-dsv";
import type {Browser, Page} from "playwright-core";
import {SAMPLE_SCENARIOS} from "../../data-loaders/sample/generate.js";
import {launchChromium, openPage, serveStatic, type PageLog, type SiteServer} from "./harness.js";
import {builtFile, nativeQuery, siteDir} from "./site.js";
import {ALERTS_PREVIEW_ROWS, OWNER_PREVIEW_ROWS, PACING_PREVIEW_ROWS} from "../../data-loaders/snapshot/previews.js";
import {FINDINGS_ORDER} from "../../src/core/findingsTable.js";
import {OWNER_CUSTOMERS_ORDER} from "../../src/core/ownerTable.js";
import {ownerSlugs} from "../../src/core/owners.js";

const dist = siteDir();

const query = nativeQuery;

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => !((globalThis as any).__meterbookQueriesInFlight > 0));
}

/** Until the live charts have replaced the build-time previews (data-loaders/snapshot/previews.ts), or 30 s. */
async function livePage(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll(".mb-preview").length === 0, null, {timeout: 30_000}).catch(() => {}); // the assertion that follows says so
  await settle(page);
}

/** What a page's build-time preview showed when its first mark (`marks`) appeared. */
interface PreviewSeen {
  /** Whether DuckDB-WASM was ready by then (`meterbook:duckdb-ready` marked). */
  duckdbReady: boolean;
  title: string | null;
  marks: number;
  /** Legend entries, in order. */
  series: string[];
  description: string | null;
  segment: string | null;
}

/** Records, from before the page loads, what its preview showed as its first `marks` appeared (read with seenPreview). */
async function watchPreview(page: Page, marks: string): Promise<void> {
  await page.addInitScript((selector) => {
    new MutationObserver((_, observer) => {
      const preview = document.querySelector(".mb-preview");
      if (!preview?.querySelector(selector)) return;
      (globalThis as any).__preview = {
        duckdbReady: performance.getEntriesByName("meterbook:duckdb-ready").length > 0,
        title: preview.querySelector("h2")?.textContent ?? null,
        marks: preview.querySelectorAll(selector).length,
        series: [...preview.querySelectorAll("span[class$='-swatch']")].map((s) => s.textContent),
        description: preview.querySelector("svg[aria-description]")?.getAttribute("aria-description") ?? null,
        segment: preview.querySelector("[data-segment-id]")?.getAttribute("data-segment-id") ?? null
      };
      observer.disconnect();
    }).observe(document, {childList: true, subtree: true});
  }, marks);
}

/** The preview seen (watchPreview), once the live charts replaced it: asserts both. */
async function seenPreview(page: Page): Promise<PreviewSeen> {
  await livePage(page);
  const preview = (await page.evaluate(() => (globalThis as any).__preview)) as PreviewSeen | undefined;
  assert.ok(preview, "the preview was shown");
  assert.equal(preview.duckdbReady, false, "the preview was shown before DuckDB was ready");
  assert.equal(await page.locator(".mb-preview").count(), 0, "the live chart replaced the preview");
  return preview;
}

/** Does `action` and waits until the queries it causes have run and every cell showing them has redrawn. */
async function afterQueries(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() => (globalThis as any).__meterbookQueries.length as number);
  await action();
  await page.waitForFunction((n) => (globalThis as any).__meterbookQueries.length > n && !((globalThis as any).__meterbookQueriesInFlight > 0), before);
}

/** Runs `body` (JavaScript whose `return` is the result) in the page with `db`, the page's own database (src/components/duckdb.ts). */
async function inPageDatabase<T>(page: Page, body: string): Promise<T> {
  return (await page.evaluate(`(async () => {
    const url = [...document.querySelectorAll("link[rel=modulepreload]")].map((l) => l.href).find((h) => /components\\/duckdb\\./.test(h));
    const db = await (await import(url)).database({});
    ${body}
  })()`)) as T;
}

async function tableKeys(page: Page): Promise<string[]> {
  return page.locator("table.mb-table tbody tr[data-key]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.key!));
}

/** The table's row keys once they equal `expected` (the table redraws a moment after its query), or after 15 s. */
async function settledKeys(page: Page, expected: string[]): Promise<string[]> {
  const want = [...expected].sort().join("\n");
  await page
    .waitForFunction((w) => [...document.querySelectorAll("table.mb-table tbody tr[data-key]")].map((r) => (r as HTMLElement).dataset.key!).sort().join("\n") === w, want, {timeout: 15_000})
    .catch(() => {}); // the assertion that follows says what differs
  return (await tableKeys(page)).sort();
}

describe("analyst pages in Chromium, network denied", () => {
  let server: SiteServer;
  let browser: Browser;
  let pacingFile: string;

  before(async () => {
    server = await serveStatic(dist);
    browser = await launchChromium();
    pacingFile = builtFile("data/portfolio/pacing.parquet");
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, beforeLoad: (page: Page) => Promise<void> = async () => {}): Promise<{page: Page; log: PageLog}> {
    const opened = await openPage(browser, server.origin);
    await beforeLoad(opened.page);
    await opened.page.goto(server.origin + path);
    await opened.page.locator("table.mb-table").first().waitFor({timeout: 30_000});
    await livePage(opened.page); // a build-time preview's table is not the page's
    return opened;
  }

  /** Opens `path` in a fresh page, watching its build-time preview's first `marks`, until the live charts replaced it. */
  async function openPreviewed(path: string, marks: string): Promise<{page: Page; log: PageLog; preview: PreviewSeen}> {
    const opened = await openPage(browser, server.origin);
    await watchPreview(opened.page, marks);
    await opened.page.goto(server.origin + path);
    await opened.page.locator("table.mb-table").first().waitFor({timeout: 30_000});
    return {...opened, preview: await seenPreview(opened.page)};
  }

  // Pages kept from one test for a later one where the later one's subject is what a reader does next on the same
  // page (each page load costs DuckDB-WASM's start, ~6 s of CPU here); run alone, a test opens its own.
  let revenuePage: {page: Page; log: PageLog} | undefined;
  it("/revenue draws its first chart from the build-time preview before DuckDB-WASM is ready; the live chart replaces it with the same title and products", async () => {
    const {page, log, preview} = await openPreviewed("/revenue", "svg g.mb-series path");
    revenuePage = {page, log};
    const live = page.locator("figure", {has: page.locator("h2", {hasText: "Daily revenue by product"})}).first();
    assert.equal(await live.locator("h2").textContent(), preview.title);
    assert.deepEqual(await live.locator("span[class$='-swatch']").allTextContents(), preview.series);
    assert.ok(preview.series.length >= 3, `the sample's products: ${preview.series}`);
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
  });

  it("/revenue by customer: the eight labels of most revenue in the range and the rest as Other customers, each day's sums exact", async () => {
    const {page, log} = revenuePage ?? (await open("/revenue"));
    revenuePage = {page, log};
    await afterQueries(page, () => page.getByRole("radio", {name: "customer", exact: true}).check());
    const live = page.locator("figure", {has: page.locator("h2", {hasText: "Daily revenue by customer"})}).first();
    await live.waitFor();
    // The page's query as it ran (text and parameters from its log), run again in the page for its rows.
    const ran = await inPageDatabase<{params: [string, string, string]; rows: [string, string, string][]}>(page, `
      const q = globalThis.__meterbookQueries.findLast((e) => e.text.includes("select date, customer_key"));
      const rows = await db.query(q.text, q.params);
      const iso = (d) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
      // Minor units to a millionth (the mart keeps DECIMAL(38,9); the page gets doubles, divided from the decimals).
      return {params: q.params.map(iso), rows: rows.map((r) => [iso(r.date), r.series, Number(r.revenue_minor).toFixed(6)])};`);
    const swatches = await live.locator("span[class$='-swatch']").allTextContents();
    await afterQueries(page, () => page.getByRole("radio", {name: "product", exact: true}).check()); // as the next test expects
    const [currency, from, to] = ran.params;
    // The same figures natively, by customer_id (not the page's integer key): the top eight labels by the range's sum,
    // ties by label; every other row, a customer the customers file lacks included, as "Other customers".
    const days = `select r.date, r.revenue_minor, c.label from read_parquet('${builtFile("data/portfolio/revenue_customer_daily.parquet")}') as r
      left join read_parquet('${builtFile("data/portfolio/customers.parquet")}') as c using (customer_id)
      where r.credit_type_id = '${currency}' and r.date between '${from}'::date and '${to}'::date`;
    const top = (await query(`select label from (${days}) where label is not null group by label order by sum(revenue_minor) desc, label limit 8`)).map((r) => String(r.label));
    const expected = await query(`select strftime(date, '%Y-%m-%d') as date, case when list_contains([${top.map((l) => `'${l.replaceAll("'", "''")}'`).join(", ")}], label) then label else 'Other customers' end as series,
      sum(revenue_minor)::varchar as revenue_minor from (${days}) group by all order by date, series`);
    assert.equal(top.length, 8, "the sample has more than eight customers with revenue in the range");
    assert.deepEqual(ran.rows, expected.map((r) => [r.date, r.series, Number(r.revenue_minor).toFixed(6)]));
    assert.deepEqual(swatches.sort(), [...top, "Other customers"].sort());
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
  });

  for (const [path, marks] of [["/", "g.mb-revenue path"], ["/forecast", "g[aria-label=bar] rect"]] as const) {
    it(`${path} draws its first chart from the build-time preview before DuckDB-WASM is ready, then the live chart with as many marks`, async () => {
      const {page, log, preview} = await openPreviewed(path, marks);
      assert.equal(await page.locator(marks).count(), preview.marks);
      assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
      await page.context().close();
    });
  }

  it("/unit-economics draws its cost per unit from the build-time preview before DuckDB-WASM is ready; the live chart replaces it with the same title and description", async () => {
    const {page, log, preview} = await openPreviewed("/unit-economics", "svg g.mb-unit-cost path");
    // The title names the product and currency, the description both and the first and last day: the same view.
    const live = page.locator("figure", {has: page.locator("g.mb-unit-cost")}).first();
    assert.equal(await live.locator("h2").textContent(), preview.title);
    assert.match(preview.title ?? "", /^.+: cost per unit \(.+\)$/);
    assert.equal(await live.locator("svg[aria-description]").getAttribute("aria-description"), preview.description);
    assert.match(preview.description ?? "", /from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\.$/);
    assert.equal(await live.locator("g.mb-unit-cost path").count(), preview.marks);
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  it("/usage draws its top customers from the build-time preview before DuckDB-WASM is ready; the live chart replaces it with the same title and bars", async () => {
    const {page, log, preview} = await openPreviewed("/usage", "svg g.mb-bars rect");
    const live = page.locator("figure", {has: page.locator("g.mb-bars")}).first();
    assert.equal(await live.locator("h2").textContent(), preview.title);
    assert.equal(await live.locator("g.mb-bars rect").count(), preview.marks);
    assert.ok(preview.marks >= 2);
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  /** What a build-time table preview showed (watchTablePreview). */
  interface TablePreviewSeen {
    duckdbReady: boolean;
    keys: string[];
    count: string | null;
    cells: number;
    /** Each row's links (customer, owner), in order. */
    links: string[];
    /** The first row's cells' text: the same table over the same row draws the same text, live or at build time. */
    firstCells: string[];
  }
  // Records, from before the page loads, the build-time preview's rows and count as they appear.
  const watchTablePreview = async (page: Page) => void (await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const preview = document.querySelector(".mb-preview");
      const rows = [...(preview?.querySelectorAll("table.mb-table tbody tr[data-key]") ?? [])];
      if (!rows.length) return;
      (globalThis as any).__tablePreview = {
        duckdbReady: performance.getEntriesByName("meterbook:duckdb-ready").length > 0,
        keys: rows.map((r) => (r as HTMLElement).dataset.key),
        count: preview!.querySelector(".mb-count")?.textContent ?? null,
        cells: rows[0]!.querySelectorAll("td").length,
        links: rows.map((r) => [...r.querySelectorAll("a")].map((a) => a.getAttribute("href")).join(" ")),
        firstCells: [...rows[0]!.querySelectorAll("td")].map((td) => td.textContent ?? "")
      };
      observer.disconnect();
    }).observe(document, {childList: true, subtree: true});
  }));
  /** The links of the live table's first `n` rows, as watchTablePreview reads the preview's. */
  const liveLinks = (page: Page, n: number) => page.locator("table.mb-table tbody tr[data-key]").evaluateAll((rows, k) => rows.slice(0, k).map((r) => [...r.querySelectorAll("a")].map((a) => a.getAttribute("href")).join(" ")), n);
  /** The table preview seen, once the live table replaced it: asserts both, and that their first rows read the same. */
  async function seenTablePreview(page: Page): Promise<TablePreviewSeen> {
    const preview = (await page.evaluate(() => (globalThis as any).__tablePreview)) as TablePreviewSeen | undefined;
    assert.ok(preview, "the preview was shown");
    assert.equal(preview.duckdbReady, false, "the preview was shown before DuckDB was ready");
    assert.equal(await page.locator(".mb-preview").count(), 0, "the live table replaced the preview");
    // Every cell of the first row, as text: a column the page's query left out would show here.
    assert.deepEqual(await page.locator("table.mb-table tbody tr[data-key]").first().locator("td").allTextContents(), preview.firstCells);
    return preview;
  }

  it("/alerts shows the alerts firing now from the build-time preview before DuckDB-WASM is ready; the live table replaces it, the same rows first", async () => {
    const {page, log} = await open("/alerts", watchTablePreview);
    const preview = await seenTablePreview(page);
    const file = builtFile("data/alerts/alerts_now.parquet");
    const [{n}] = (await query(`select count(*)::integer as n from read_parquet('${file}')`)) as [{n: number}];
    assert.ok(n > 0, "alerts fire on the sample");
    assert.equal(preview.count, `${Math.min(ALERTS_PREVIEW_ROWS, n)} of ${n} rows`);
    // The page's order, read natively: critical, then warning, then the rest, each by label.
    const first = await query(`select rule_id || '|' || subject_id as key from read_parquet('${file}')
      order by severity = 'critical' desc, severity = 'warning' desc, label, rule_id, subject_id limit ${ALERTS_PREVIEW_ROWS}`);
    assert.deepEqual(preview.keys, first.map((r) => r.key));
    assert.deepEqual((await tableKeys(page)).slice(0, preview.keys.length), preview.keys);
    assert.equal(preview.cells, await page.locator("table.mb-table tbody tr").first().locator("td").count());
    // The owner links: slugged over every customer's owner at build time as the page slugs them.
    assert.deepEqual(preview.links, await liveLinks(page, preview.keys.length));
    assert.ok(preview.links.every((l) => /\.\/owners\/[a-z0-9-]+/.test(l)), String(preview.links[0]));
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  it("/data-health shows its findings from the build-time preview before DuckDB-WASM is ready; the live tables replace them, the same rows", async () => {
    const {page, log} = await open("/data-health", watchTablePreview);
    const preview = await seenTablePreview(page);
    // Every finding in the page's order (errors, warnings, info; each by check and table), read natively.
    const first = await query(`select check_id || '/' || table_name as key from read_parquet('${builtFile("data/portfolio/findings.parquet")}')
      order by ${FINDINGS_ORDER}`);
    assert.ok(first.length > 0, "the sample has findings");
    assert.deepEqual(preview.keys, first.map((r) => r.key));
    assert.deepEqual((await tableKeys(page)).slice(0, preview.keys.length), preview.keys);
    assert.equal(preview.cells, await page.locator("table.mb-table tbody tr").first().locator("td").count());
    assert.deepEqual(preview.links, await liveLinks(page, preview.keys.length), "the examples' customer links");
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    // The page's database (src/components/duckdb.ts): one connection, each query text prepared once. A text that
    // fails to prepare is not kept, so once its table exists the same text runs; a temp table made by one query is
    // there for the next (one connection); every query leaves the in-flight count.
    const outcome = await inPageDatabase<{first: string}>(page, `
      const text = "select count(*)::integer as n from mb_later where x >= ?";
      const first = await db.query(text, [1]).then(() => "ran", (e) => "failed: " + String(e.message ?? e).slice(0, 60));
      await db.query("create temp table mb_later as select * from range(5) as t(x)");
      const [again] = await db.query(text, [1]);
      const [other] = await db.query(text, [3]);
      return {first, again: again.n, other: other.n, inFlight: globalThis.__meterbookQueriesInFlight};`);
    assert.match(outcome.first, /^failed: .*mb_later/);
    assert.deepEqual({...outcome, first: undefined}, {first: undefined, again: 4, other: 2, inFlight: 0});
    await page.context().close();
  });

  it("an owner's page shows its customers from the build-time preview before DuckDB-WASM is ready; the live table replaces it, the same rows first", async () => {
    // The owner with the most customers, by the slug the site gives them.
    const customersFile = builtFile("data/portfolio/customers.parquet");
    const owners = await query(`select owner, count(*)::integer as n from read_parquet('${customersFile}') group by owner order by n desc, owner nulls first`);
    const slugs = ownerSlugs((await query(`select owner from read_parquet('${customersFile}')`)).map((r) => r.owner as string | null));
    const owner = owners.find((o) => o.owner !== null)!.owner as string;
    const {page, log} = await open(`/owners/${slugs.get(owner)}`, async (p) => {
      await watchTablePreview(p);
      // The heading: the owner's name from the build's owners.json, shown before DuckDB-WASM is ready.
      await p.addInitScript(() => {
        new MutationObserver((_, observer) => {
          const text = document.querySelector("main h1")?.textContent?.trim();
          if (!text) return;
          (globalThis as any).__heading = {text, duckdbReady: performance.getEntriesByName("meterbook:duckdb-ready").length > 0};
          observer.disconnect();
        }).observe(document, {childList: true, subtree: true, characterData: true});
      });
    });
    const preview = await seenTablePreview(page);
    assert.deepEqual(await page.evaluate(() => (globalThis as any).__heading), {text: owner, duckdbReady: false});
    const [{n}] = owners.filter((o) => o.owner === owner) as [{n: number}];
    assert.equal(preview.count, `${Math.min(OWNER_PREVIEW_ROWS, n)} of ${n} rows`);
    const first = await query(`select c.customer_id from read_parquet('${customersFile}') as c
      left join read_parquet('${builtFile("data/portfolio/customer_status.parquet")}') as s using (customer_id)
      where c.owner = '${owner.replaceAll("'", "''")}' order by ${OWNER_CUSTOMERS_ORDER} limit ${OWNER_PREVIEW_ROWS}`);
    assert.deepEqual(preview.keys, first.map((r) => r.customer_id));
    assert.deepEqual((await tableKeys(page)).slice(0, preview.keys.length), preview.keys);
    assert.equal(preview.cells, await page.locator("table.mb-table tbody tr").first().locator("td").count());
    assert.deepEqual(preview.links, await liveLinks(page, preview.keys.length));
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  // One /pacing page for every /pacing test below, in order (each filter set, checked, then set back to All): what
  // a CSM does, and one page load; the last test closes it.
  let pacing: {page: Page; log: PageLog} | undefined;
  const pacingPage = async () => (pacing ??= await open("/pacing", watchTablePreview)).page;
  it("/pacing shows its first rows from the build-time preview before DuckDB-WASM is ready; the live table replaces it, the same rows first", async () => {
    const page = await pacingPage();
    const preview = await seenTablePreview(page);
    const [{n}] = (await query(`select count(*)::integer as n from read_parquet('${pacingFile}')`)) as [{n: number}];
    assert.equal(preview.count, `${Math.min(PACING_PREVIEW_ROWS, n)} of ${n} rows`);
    // The page's default order, read natively: the preview's rows are its first ones, drawn with every column.
    const first = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') order by burn_rate_pct desc nulls last, label limit ${PACING_PREVIEW_ROWS}`);
    assert.deepEqual(preview.keys, first.map((r) => r.key));
    assert.deepEqual((await tableKeys(page)).slice(0, preview.keys.length), preview.keys);
    assert.equal(preview.cells, await page.locator("table.mb-table tbody tr").first().locator("td").count());
    assert.deepEqual(preview.links, await liveLinks(page, preview.keys.length));
  });
  it("/pacing shows every row of pacing.parquet", async () => {
    const page = await pacingPage();
    const expected = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') order by key`);
    assert.ok(expected.length > 50);
    assert.deepEqual((await tableKeys(page)).sort(), expected.map((r) => r.key));
    assert.deepEqual([pacing!.log.foreignRequests, pacing!.log.consoleErrors, pacing!.log.pageErrors], [[], [], []]);
  });

  // [input label, option shown, the same filter in SQL]
  const filters: [string, string, string][] = [
    ["Status", "Over pace", "status = 'over'"],
    ["Status", "Under pace", "status = 'under'"],
    ["Flag", "Adoption risk", "list_contains(flags, 'adoption_risk')"],
    ["Flag", "Week-1 spike", "list_contains(flags, 'week1_spike')"],
    ["Balance type", "Credit", "balance_type = 'credit'"],
    ["Balance type", "Free commit", "balance_type = 'free_commit'"]
  ];
  for (const [label, value, where] of filters) {
    it(`/pacing filter ${label} = ${value} shows exactly the matching rows`, async () => {
      const page = await pacingPage();
      await afterQueries(page, () => page.getByLabel(label, {exact: true}).selectOption({label: value}));
      const expected = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') where ${where} order by key`);
      assert.ok(expected.length > 0, `the sample has rows with ${where}`);
      assert.deepEqual(await settledKeys(page, expected.map((r) => r.key as string)), expected.map((r) => r.key));
      await afterQueries(page, () => page.getByLabel(label, {exact: true}).selectOption({label: "All"}));
    });
  }
  it("/pacing owner filter and search narrow to exactly the matching rows", async () => {
    const page = await pacingPage();
    const [{owner}] = (await query(`select owner from read_parquet('${pacingFile}') where owner is not null group by owner order by count(*) desc limit 1`)) as [{owner: string}];
    await afterQueries(page, () => page.getByLabel("Owner", {exact: true}).selectOption({label: owner}));
    const byOwner = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') where owner = '${owner.replaceAll("'", "''")}' order by key`);
    assert.deepEqual(await settledKeys(page, byOwner.map((r) => r.key as string)), byOwner.map((r) => r.key));
    await afterQueries(page, () => page.getByLabel("Owner", {exact: true}).selectOption({label: "All"}));
    await afterQueries(page, () => page.getByLabel("Search", {exact: true}).fill("o'brien"));
    const bySearch = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') where label ilike '%o''brien%' order by key`);
    assert.deepEqual(await settledKeys(page, bySearch.map((r) => r.key as string)), bySearch.map((r) => r.key));
    await afterQueries(page, () => page.getByLabel("Search", {exact: true}).fill(""));
  });

  it("/pacing Download CSV holds exactly the rows shown, in the order shown", async () => {
    const page = await pacingPage();
    await afterQueries(page, () => page.getByLabel("Status", {exact: true}).selectOption({label: "Over pace"}));
    const over = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') where status = 'over' order by key`);
    assert.deepEqual(await settledKeys(page, over.map((r) => r.key as string)), over.map((r) => r.key)); // the filter has redrawn the table
    await page.getByRole("button", {name: "Burn %"}).click(); // sort, so order matters too
    const shown = await tableKeys(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", {name: "Download CSV"}).click()]);
    const csv = csvParse(readFileSync((await download.path())!, "utf8"));
    assert.deepEqual(csv.map((r) => `${r.balance_id}/${r.segment_id}`), shown);
    assert.ok(csv.every((r) => r.Status === "over"));
    assert.deepEqual(csv.columns.slice(0, 4), ["customer_id", "balance_id", "segment_id", "Customer"]);
    await afterQueries(page, () => page.getByLabel("Status", {exact: true}).selectOption({label: "All"}));
  });

  it("/pacing with every filter and the search back to All shows every row again", async () => {
    const page = await pacingPage();
    const all = await query(`select balance_id || '/' || segment_id as key from read_parquet('${pacingFile}') order by key`);
    assert.deepEqual(await settledKeys(page, all.map((r) => r.key as string)), all.map((r) => r.key));
    assert.deepEqual([pacing!.log.foreignRequests, pacing!.log.consoleErrors, pacing!.log.pageErrors], [[], [], []]);
    await page.context().close();
    pacing = undefined;
  });

  it("/revenue per month: the range widens to whole months, drawn as monthly bars, and the category table sums the monthly rollup", async () => {
    const {page, log} = revenuePage ?? (await open("/revenue"));
    revenuePage = undefined;
    await afterQueries(page, () => page.getByRole("radio", {name: "month", exact: true}).check());
    await page.getByText("Monthly revenue by product").first().waitFor();
    const from = await page.getByLabel("From", {exact: true}).inputValue();
    const monthly = builtFile("data/portfolio/revenue_category_monthly.parquet");
    const daily = builtFile("data/portfolio/revenue_category_daily.parquet");
    // The page's default currency: the one with the most revenue (USD on the sample, 100 minor units a dollar).
    const [{currency}] = (await query(`select credit_type_id as currency from read_parquet('${builtFile("data/portfolio/revenue_product_daily.parquet")}') group by 1 order by sum(revenue_minor) desc limit 1`)) as [{currency: string}];
    // The daily rows of the whole months, from the first of From's month to the day before as_of, summed natively.
    const expected = await query(`select category, (sum(revenue_minor) / 100)::double as revenue from read_parquet('${daily}')
      where credit_type_id = '${currency}' and date >= date_trunc('month', '${from}'::date) group by all order by category`);
    const rollup = await query(`select category, (sum(revenue_minor) / 100)::double as revenue from read_parquet('${monthly}')
      where credit_type_id = '${currency}' and month >= date_trunc('month', '${from}'::date) group by all order by category`);
    assert.ok(expected.length >= 2, "the sample has revenue in two categories or more");
    assert.deepEqual(rollup, expected, "the rollup sums the days");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", {name: "Download CSV"}).first().click()]);
    const csv = csvParse(readFileSync((await download.path())!, "utf8"));
    assert.match(download.suggestedFilename(), new RegExp(`categories-${from.slice(0, 8)}01-`), "the file names the widened range");
    const cents = (rows: Record<string, unknown>[]) => rows.map((r) => ({category: String(r.category), cents: Math.round(Number(r.revenue) * 100)})).sort((a, b) => a.category.localeCompare(b.category));
    assert.deepEqual(cents(csv.map((r) => ({category: r.Category, revenue: r.Revenue}))), cents(expected));
    assert.ok((await page.locator("figure svg g.mb-series rect").count()) > 0, "monthly bars");
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  let customerPage: {page: Page; log: PageLog} | undefined;
  it("a customer page draws its burn chart from the build-time preview before DuckDB-WASM is ready; the live chart replaces it with the same title and commit; another segment asked for in the URL gets none", async () => {
    const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "over")!;
    const {page, log} = (customerPage = await openPage(browser, server.origin));
    await watchPreview(page, "svg g.mb-actual path");
    await page.goto(`${server.origin}/customers/${scenario.customerId}`);
    await page.locator("g.mb-actual path").first().waitFor({state: "attached", timeout: 30_000});
    const preview = await seenPreview(page);
    const live = page.locator("figure", {has: page.locator("g.mb-actual")}).first();
    assert.equal(await live.locator("h2").textContent(), preview.title);
    assert.equal(await live.locator("svg[aria-description]").first().getAttribute("aria-description"), preview.description);
    assert.match(preview.description ?? "", /the commit of [\d.]+/);
    // Another of the customer's segments in the URL: the default view's preview would be the wrong chart.
    const [other] = await query(`select segment_id from read_parquet('${builtFile(`data/customers/${scenario.customerId}/segments.parquet`)}') where segment_id <> '${preview.segment}' order by all limit 1`);
    assert.ok(other, "the scenario customer has a second segment");
    const second = await openPage(browser, server.origin);
    await watchPreview(second.page, "svg");
    await second.page.goto(`${server.origin}/customers/${scenario.customerId}?segment=${encodeURIComponent(String(other!.segment_id))}`);
    await second.page.locator("g.mb-actual path").first().waitFor({state: "attached", timeout: 30_000});
    await settle(second.page);
    assert.equal(await second.page.evaluate(() => (globalThis as any).__preview ?? null), null, "no preview of the default segment");
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors, second.log.pageErrors], [[], [], [], []]);
    await second.page.context().close();
  });

  it("a customer page fetches only its own data files, and every row in them is that customer's", async () => {
    const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "over")!;
    // The page the test above loaded (the same URL), every request of it recorded from the start.
    const {page, log} = customerPage ?? (await openPage(browser, server.origin));
    customerPage = undefined;
    if (page.url() !== `${server.origin}/customers/${scenario.customerId}`) await page.goto(`${server.origin}/customers/${scenario.customerId}`);
    await page.locator('g.mb-actual path').first().waitFor({state: "attached", timeout: 30_000});
    await settle(page);
    const dataFiles = log.requests.filter((u) => u.includes("/_file/")).map((u) => new URL(u).pathname);
    assert.ok(dataFiles.length >= 5);
    const shared = /^\/_file\/data\/(snapshot\.[0-9a-f]+\.json|portfolio\/(credit_types|products)\.[0-9a-f]+\.parquet)$/;
    for (const path of dataFiles) {
      if (shared.test(path)) continue;
      assert.ok(path.startsWith(`/_file/data/customers/${scenario.customerId}/`), `fetched another folder: ${path}`);
      if (!path.endsWith(".parquet")) continue; // the burn chart's build-time preview, drawn from these files' rows
      const ids = await query(`select distinct customer_id from read_parquet('${join(dist, path)}')`);
      assert.ok(ids.every((r) => r.customer_id === scenario.customerId), `${path} holds ${JSON.stringify(ids)}`);
    }
    // The shared catalog files carry no customer rows at all.
    for (const path of dataFiles.filter((p) => p.endsWith(".parquet") && shared.test(p))) {
      const columns = await query(`describe select * from read_parquet('${join(dist, path)}')`);
      assert.ok(!columns.some((c) => c.column_name === "customer_id"), `${path} has no customer_id column`);
    }
    assert.deepEqual(log.foreignRequests, []);
    await page.context().close();
  });
});
