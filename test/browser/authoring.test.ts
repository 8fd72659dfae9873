// docs/authoring.md, followed literally: the test build wrote its `file=` blocks into the fresh copy it built
// (scripts/offline-build.ts --guide-examples). Here the pages it teaches open in Chromium with the network refused,
// show what the guide says, answer their inputs, and the per-customer page reads only its own customer's files.
import assert from "node:assert/strict";
import {existsSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import type {Browser, Page} from "playwright-core";
import {docExamples} from "../../scripts/doc-examples.js";
import {closeSite, openPage, openSite, type SiteServer} from "./harness.js";
import {builtFile, nativeQuery, siteDir} from "./site.js";

const dist = siteDir();
const examples = docExamples("docs/authoring.md");

const query = nativeQuery;

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => !((globalThis as any).__meterbookQueriesInFlight > 0));
}

describe("docs/authoring.md, built from its own blocks", () => {
  let server: SiteServer;
  let browser: Browser;
  before(async () => ({server, browser} = await openSite(dist)));
  after(() => closeSite({server, browser}));

  it("names the two pages it teaches, and the build made them (one per customer for [customer].md)", async () => {
    assert.deepEqual(examples.map((e) => e.path), ["src/analysis/product-revenue.md", "src/accounts/[customer].md"]);
    assert.ok(existsSync(join(dist, "analysis", "product-revenue.html")));
    const customers = readdirSync(join(dist, "customers")).filter((f) => f.endsWith(".html")).sort();
    const accounts = readdirSync(join(dist, "accounts")).filter((f) => f.endsWith(".html")).sort();
    assert.ok(customers.length > 100);
    assert.deepEqual(accounts, customers);
  });

  it("the product page: SQL fence table, a total that matches the data, a chart, and the inputs re-run the query", async () => {
    const {page, log} = await openPage(browser, server.origin);
    await page.goto(`${server.origin}/analysis/product-revenue`);
    await page.locator("svg g.mb-series path").first().waitFor({state: "attached", timeout: 30_000});
    await settle(page);
    const revenue = builtFile("data/portfolio/revenue_product_daily.parquet", dist);
    // The plain SQL fence: one row with the product count.
    const [facts] = await query(`select count(distinct product_id)::integer as products from read_parquet('${revenue}')`);
    const fenceTable = page.locator("form table").first();
    assert.equal(await fenceTable.locator("tbody tr").count(), 1);
    assert.match(await fenceTable.locator("tbody tr").first().innerText(), new RegExp(`\\b${facts!.products}\\b`));
    // The total shown is the first product's (largest first) revenue over its last 90 days, read natively.
    const [top] = await query(`
      with p as (select product_id, credit_type_id, any_value(product_name) as name, sum(revenue_minor) as t from read_parquet('${revenue}') group by all order by t desc limit 1)
      select p.name, sum(r.revenue_minor)::double as minor, count(*)::integer as days from read_parquet('${revenue}') as r join p using (product_id, credit_type_id)
      where r.date > (select max(date) from read_parquet('${revenue}')) - 90 group by p.name`);
    const total = await page.locator(".mb-total").innerText();
    const dollars = new Intl.NumberFormat("en-US", {style: "currency", currency: "USD"}).format(Number(top!.minor) / 100);
    assert.equal(total, `${top!.name}: ${dollars} over ${top!.days} days with revenue`);
    // Moving the range input re-runs the fence with the new parameter.
    const queries = () => page.evaluate(() => (globalThis as any).__meterbookQueries as {text: string; params: unknown[]}[]);
    const before = (await queries()).length;
    await page.getByLabel("Last days", {exact: true}).first().fill("30");
    await page.getByLabel("Last days", {exact: true}).first().press("Enter");
    await page.waitForFunction((n) => (globalThis as any).__meterbookQueries.length > n && !((globalThis as any).__meterbookQueriesInFlight > 0), before);
    const last = (await queries()).at(-1)!;
    assert.equal(last.params.at(-1), 30);
    assert.match(await page.locator(".mb-total").innerText(), / over \d+ days with revenue$/);
    assert.ok(Number((await page.locator(".mb-total").innerText()).match(/over (\d+) days/)![1]) <= 30);
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });

  it("the per-customer page shows its customer and fetches no other customer's file", async () => {
    const [customer] = await query(`select customer_id, label from read_parquet('${builtFile("data/portfolio/customers.parquet", dist)}') where label like '%''%' order by customer_id limit 1`);
    const id = String(customer!.customer_id);
    const {page, log} = await openPage(browser, server.origin);
    await page.goto(`${server.origin}/accounts/${id}`);
    await page.locator("h1").filter({hasText: String(customer!.label)}).waitFor({timeout: 30_000});
    await settle(page);
    const rows = await query(`select count(distinct (product_name, credit_type_id))::integer as n from read_parquet('${builtFile(`data/customers/${id}/revenue_daily.parquet`, dist)}')`);
    // The table is drawn a moment after its query (once failed in CI at 0 rows under load): until it has them, or 15 s.
    await page.waitForFunction((n) => document.querySelectorAll("form table tbody tr").length === n, rows[0]!.n, {timeout: 15_000}).catch(() => {}); // the assertion says what differs
    assert.equal(await page.locator("form table tbody tr").count(), rows[0]!.n);
    const files = log.requests.filter((u) => u.includes("/_file/data/")).map((u) => new URL(u).pathname);
    assert.ok(files.some((p) => p.startsWith(`/_file/data/customers/${id}/`)));
    assert.deepEqual(files.filter((p) => p.startsWith("/_file/data/customers/") && !p.startsWith(`/_file/data/customers/${id}/`)), []);
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    await page.context().close();
  });
});
