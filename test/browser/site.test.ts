// Every built page in Chromium with the network refused: no foreign request, no console or page error; the
// overview's chart has marks and its table the row count native DuckDB reads from the same Parquet file.
import assert from "node:assert/strict";
import {readdirSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {after, before, describe, it} from "node:test";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Browser} from "playwright-core";
import {launchChromium, openPage, serveStatic, type SiteServer} from "./harness.js";
import {siteDir} from "./site.js";

function htmlPages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith("_") ? [] : htmlPages(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

async function parquetCount(file: string, where = "true"): Promise<number> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`select count(*)::integer as n from read_parquet('${file}') where ${where}`);
  return reader.getRowObjects()[0]!.n as number;
}

describe("built site in Chromium, network denied", () => {
  let server: SiteServer;
  let browser: Browser;
  const dist = siteDir();

  before(async () => {
    server = await serveStatic(dist);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const file of htmlPages(dist)) {
    const path = "/" + relative(dist, file).replace(/\.html$/, "").replace(/(^|\/)index$/, "$1");
    it(`${path} loads with no foreign request and no error`, async () => {
      const {page, log} = await openPage(browser, server.origin);
      await page.goto(server.origin + path, {waitUntil: "load"});
      await page.waitForFunction(() => document.querySelectorAll(".observablehq--running, .observablehq--loading").length === 0, null, {timeout: 30_000}).catch(() => {});
      await page.waitForLoadState("networkidle");
      assert.deepEqual(log.foreignRequests, []);
      assert.deepEqual(log.pageErrors, []);
      assert.deepEqual(log.consoleErrors, []);
      assert.equal(await page.locator(".observablehq--error").count(), 0, "no cell shows an error");
      await page.context().close();
    });
  }

  it("the overview chart has marks and its table the row count in the Parquet file", async () => {
    const {page, log} = await openPage(browser, server.origin);
    await page.goto(server.origin + "/");
    await page.locator(`figure svg g[aria-label="line"] path`).first().waitFor({state: "attached", timeout: 30_000});
    const table = page.locator("table.mb-table");
    await table.waitFor();
    const parquet = readdirSync(join(dist, "_file", "data")).find((f) => f.startsWith("usage.") && f.endsWith(".parquet"))!;
    const expected = await parquetCount(join(dist, "_file", "data", parquet), "name = 'O''Brien Robotics'");
    assert.ok(expected > 0);
    assert.equal(await table.locator("tbody tr").count(), expected);
    assert.equal(await table.getAttribute("data-row-count"), String(expected));
    assert.deepEqual(log.foreignRequests, []);
    await page.context().close();
  });

  it("a ```sql fence binds ${} values as parameters: O'Brien is bound, not spliced", async () => {
    const {page} = await openPage(browser, server.origin);
    await page.goto(server.origin + "/");
    await page.locator("table.mb-table tbody tr").first().waitFor({timeout: 30_000});
    const queries = await page.evaluate(() => (globalThis as unknown as {__meterbookQueries: {text: string; params: unknown[]}[]}).__meterbookQueries);
    const bound = queries.filter((q) => q.params.includes("O'Brien Robotics"));
    assert.equal(bound.length, 1);
    assert.match(bound[0]!.text, /where name = \?/);
    assert.doesNotMatch(bound[0]!.text, /O'Brien/);
    // Change the input: the fence reruns with the new value and the table follows.
    await page.getByLabel("Customer name").fill("Acme Compute");
    await page.getByLabel("Customer name").dispatchEvent("input");
    await page.locator("table.mb-table caption", {hasText: "Acme Compute"}).waitFor();
    assert.ok(await page.locator("table.mb-table tbody tr").count() > 0);
    await page.context().close();
  });
});
