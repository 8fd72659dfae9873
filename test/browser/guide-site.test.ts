// The site built on the sample's guide variant (METERBOOK_SAMPLE=guide: no breakdowns, API line-type names, applied
// offset lines, daily draft history), in Chromium with the network refused: its portfolio pages and two customer
// pages load with no foreign request, no console or page error, no cell in error, and pass the page check
// (test/browser/pageCheck.ts), with the same empty-state rules as test/browser/site.test.ts. `npm test` builds the
// site into .test-site-guide (METERBOOK_GUIDE_SITE_DIR); run alone, this file makes that build first.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {after, before, describe, it} from "node:test";
import type {Browser} from "playwright-core";
import {SAMPLE_SCENARIOS} from "../../data-loaders/sample/generate.js";
import {offlineBuild, TEST_SITE_GUIDE} from "../../scripts/offline-build.js";
import {closeSite, launchProfile, openPage, openSite, type SiteServer} from "./harness.js";
import {checkPage, pageProblems, type PageInspection} from "./pageCheck.js";
import {builtFile, nativeQuery} from "./site.js";

function guideSiteDir(): string {
  const dir = process.env.METERBOOK_GUIDE_SITE_DIR;
  if (dir && existsSync(dir)) return dir;
  return offlineBuild(TEST_SITE_GUIDE, {sample: "guide"}).dist;
}

const scenarioCustomer = (name: string) => SAMPLE_SCENARIOS.find((s) => s.name === name)!.customerId;
/** A commit customer (over pace) and an on-demand one (late events in the open month). */
const CUSTOMERS = [scenarioCustomer("over"), scenarioCustomer("backdated_usage")];

/** A customer page is whole once its last section, the invoices table, is drawn (as in site.test.ts). */
function invoicesDrawn(): boolean {
  const heading = [...document.querySelectorAll("h2")].find((h) => h.textContent?.trim() === "Invoices");
  for (let next = heading?.nextElementSibling; next; next = next.nextElementSibling) if (next.querySelector("table")) return true;
  return false;
}

const count = async (sql: string) => ((await nativeQuery(sql)) as [{n: number}])[0].n;

/** Empty states over data the marts have (site.test.ts's rules): none on a portfolio page; on a customer page, each
 * only when that customer's files have no rows for it. */
async function missingData(dist: string, path: string, inspection: PageInspection): Promise<string[]> {
  const problems: string[] = [];
  const customer = /^\/customers\/([^/]+)$/.exec(path)?.[1];
  if (!customer) {
    problems.push(...inspection.emptyStates.map((e) => `${path}: empty state "${e}" on the guide sample, which has data for every section`));
    problems.push(...inspection.tables.filter((t) => t.rows === 0).map((t) => `${path}: table "${t.label}" has no rows`));
    return problems;
  }
  const file = (name: string) => `read_parquet('${builtFile(`data/customers/${customer}/${name}.parquet`, dist)}')`;
  const expectEmpty = (text: string, empty: boolean) => {
    const shown = inspection.emptyStates.some((e) => e.startsWith(text));
    if (shown !== empty) problems.push(`${path}: ${shown ? `says "${text}…" though the marts have rows for it` : `does not say "${text}…" though the marts have no rows for it`}`);
  };
  expectEmpty("This customer has no commit or credit segments", (await count(`select count(*)::integer as n from ${file("segments")}`)) === 0);
  const invoices = await count(`select count(*)::integer as n from ${file("invoices")}`);
  expectEmpty("No invoices for this customer", invoices === 0);
  const shown = inspection.tables.at(-1)?.rows ?? 0;
  if (shown !== invoices) problems.push(`${path}: ${shown} invoice rows, the invoices mart has ${invoices}`);
  return problems;
}

describe("site built on the guide sample, in Chromium, network denied", () => {
  let server: SiteServer;
  let browser: Browser;
  const dist = guideSiteDir();

  before(async () => ({server, browser} = await openSite(dist)));
  after(() => closeSite({server, browser}));

  it("its portfolio pages and two customer pages load cleanly and pass the page check", async () => {
    const unitCosts = await count(`select count(*)::integer as n from read_parquet('${builtFile("data/portfolio/unit_cost_daily.parquet", dist)}')`);
    const paths = ["/", "/pacing", "/revenue", "/usage", ...(unitCosts > 0 ? ["/unit-economics"] : []), ...CUSTOMERS.map((id) => `/customers/${id}`)];
    const context = await launchProfile();
    const failures: string[] = [];
    const {page, log} = await openPage(context, server.origin);
    for (const path of paths) {
      log.consoleErrors.length = log.pageErrors.length = log.foreignRequests.length = 0;
      await page.goto(server.origin + path, {waitUntil: "load"});
      const loaded = await page
        .waitForFunction(() => document.querySelector("table.mb-table, form table, figure svg, .mb-empty-state, .observablehq--error") && !((globalThis as any).__meterbookQueriesInFlight > 0) && !document.querySelector(".mb-preview"), null, {timeout: 60_000})
        .then(() => true, () => false);
      if (!loaded) failures.push(`${path}: no table, chart or empty state after 60 s`);
      if (loaded && path.startsWith("/customers/")) await page.waitForFunction(invoicesDrawn, null, {timeout: 30_000}).catch(() => failures.push(`${path}: no invoices table after 30 s`));
      if (loaded) {
        const inspection = await checkPage(page);
        failures.push(...pageProblems(path, inspection), ...(await missingData(dist, path, inspection)));
      }
      const errors = await page.locator(".observablehq--error").count();
      const problems = [...log.foreignRequests.map((u) => `request to ${u}`), ...log.consoleErrors, ...log.pageErrors, ...(errors ? [`${errors} cells in error`] : [])];
      if (problems.length) failures.push(`${path}: ${problems.join("; ").slice(0, 500)}`);
    }
    await context.close();
    assert.deepEqual(failures, []);
  });
});
