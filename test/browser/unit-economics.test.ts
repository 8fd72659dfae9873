// /unit-economics on the built sample site, in Chromium with the network refused: it renders without errors, the
// customers table starts with the lowest margin, and the pricing table shows the pricing_targets extract — both
// checked against the built Parquet files read independently with native DuckDB.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import type {Browser, Page} from "playwright-core";
import {creditTypeMap, unitMoney, type CreditType} from "../../src/core/format.js";
import {launchChromium, openPage, serveStatic, type PageLog, type SiteServer} from "./harness.js";
import {builtFile, nativeQuery, siteDir} from "./site.js";

const dist = siteDir();

const query = nativeQuery;

describe("/unit-economics in Chromium, network denied", () => {
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  let log: PageLog;

  before(async () => {
    server = await serveStatic(dist);
    browser = await launchChromium();
    ({page, log} = await openPage(browser, server.origin));
    await page.goto(`${server.origin}/unit-economics`);
    await page.locator("table.mb-table caption", {hasText: "Pricing targets"}).waitFor({timeout: 30_000});
    await page.waitForLoadState("networkidle");
    await page.waitForFunction(() => !((globalThis as any).__meterbookQueriesInFlight > 0) && document.querySelectorAll("table.mb-table").length >= 4);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders its charts and tables with no errors and no request off the site", async () => {
    assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
    const described = await page.locator("svg[aria-description]").evaluateAll((svgs) => svgs.map((s) => s.getAttribute("aria-description")));
    assert.ok(described.length >= 3, `charts with descriptions: ${described.length}`);
    assert.ok(described.some((d) => d!.startsWith("Daily cost per unit")));
    assert.ok(await page.getByText("price = cost per unit ÷ (1 − target margin)").isVisible(), "the formula is shown");
  });

  it("lists customers lowest margin first, in the order of margin_by_customer", async () => {
    const file = builtFile("data/portfolio/margin_by_customer.parquet");
    // The default month: the latest complete one (September 2026 for the sample as of 2026-10-15); USD cents.
    const expected = await query(`
      select customer_id from read_parquet('${file}')
      where month = date '2026-09-01' and credit_type_id = '2714e483-4ff1-48e4-9e25-ac732e8f24f2'
      order by case when gross_margin_pct is not null then 1 when allocated_cost_minor > 0 then 0 else 2 end, gross_margin_pct, gross_margin_minor, label`);
    assert.ok(expected.length > 100);
    const shown = await page.locator("table.mb-table").first().locator("tbody tr[data-key]").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.key!));
    assert.deepEqual(shown, expected.map((r) => r.customer_id));
    const [lowest] = await query(`select min(gross_margin_pct)::double as pct from read_parquet('${file}') where month = date '2026-09-01' and credit_type_id = '2714e483-4ff1-48e4-9e25-ac732e8f24f2'`);
    assert.ok(lowest!.pct < 0, "the sample has a customer with a negative margin");
  });

  it("shows the pricing targets of pricing_targets.parquet, formatted", async () => {
    const creditTypes = creditTypeMap((await query(`select * from read_parquet('${builtFile("data/portfolio/credit_types.parquet")}')`)) as CreditType[]);
    const rows = await query(`
      select product_id, product_name, cost_per_unit_minor::double as c, price_margin_20_minor::double as p20, price_margin_40_minor::double as p40,
        price_margin_60_minor::double as p60, credit_type_id
      from read_parquet('${builtFile("data/portfolio/pricing_targets.parquet")}') order by product_name`);
    assert.ok(rows.length >= 9);
    const table = page.locator("table.mb-table", {has: page.locator("caption", {hasText: "Pricing targets"})});
    const cells = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    const u = (v: number | null, ct: string) => unitMoney(v, ct, creditTypes);
    // Four significant digits, as unitMoney prints them. A value on a rounding boundary of the fourth digit may print
    // either way (the page reads the decimal through Arrow, this test as a double): the same currency sign, and the
    // number within half a unit of the fourth significant digit of the expected one.
    const number = (text: string) => Number(text.replace(/[^0-9.eE-]/g, ""));
    const sign = (text: string) => text.replace(/[0-9.,eE-].*$/, "");
    const same = (shown: string, expected: string) =>
      shown === expected || (sign(shown) === sign(expected) && Math.abs(number(shown) - number(expected)) <= 5e-4 * Math.abs(number(expected)));
    assert.deepEqual(cells.map((c) => c[0]), rows.map((r) => r.product_name));
    rows.forEach((r, i) => {
      const shown = cells[i]!;
      const expected = [u(r.c, r.credit_type_id), u(r.p20, r.credit_type_id), u(r.p40, r.credit_type_id), u(r.p60, r.credit_type_id)];
      [shown[1], shown[4], shown[5], shown[6]].forEach((text, k) => assert.ok(same(text!, expected[k]!), `${r.product_name}: ${text} shown, ${expected[k]} expected`));
    });
    // The formula holds on the shown figures: the 60 % price is 2.5 times the cost.
    for (const r of rows) assert.ok(Math.abs(r.p60 - 2.5 * r.c) <= 1e-9 * Math.max(1, r.c), r.product_name);
  });
});
