// The page check's own tests: a planted page with each fault is caught, and a clean page passes.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import type {Browser, Page} from "playwright-core";
import {launchChromium} from "./harness.js";
import {checkPage, pageProblems} from "./pageCheck.js";

describe("checkPage(page)", () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  after(async () => browser?.close());

  const planted = (body: string) => page.setContent(`<!doctype html><body><main>${body}</main></body>`);

  it("finds a table cell reading null, and the words undefined, NaN, Invalid Date and [object", async () => {
    await planted(`<table class="mb-table"><tbody><tr><td>Acme</td><td>null</td></tr></tbody></table>
      <p>Spend: undefined</p><p>NaN %</p><p>Invalid Date</p><p>[object Object]</p>`);
    const problems = pageProblems("/planted", await checkPage(page));
    assert.equal(problems.filter((p) => p.includes("broken text")).length, 5, problems.join("\n"));
  });

  it("passes those words inside code, in hidden elements, and inside longer words", async () => {
    await planted(`<pre>select * from t order by x nulls last</pre><code>null</code><p hidden>null</p><p>nullable, NaNometer</p>`);
    assert.deepEqual(pageProblems("/planted", await checkPage(page)), []);
  });

  it("finds an axis label clipped by its SVG's box, and passes one inside it", async () => {
    await planted(`<figure><svg width="300" height="100" aria-label="usage"><g aria-label="y-axis tick label"><text x="-30" y="50">Fine-tuning (GPU hours)</text><text x="60" y="80">Output</text></g><g aria-label="bar"><rect x="100" y="10" width="50" height="20"></rect></g></svg></figure>`);
    const inspection = await checkPage(page);
    assert.equal(inspection.clippedText.length, 1);
    assert.match(inspection.clippedText[0]!, /Fine-tuning \(GPU hours\)/);
    assert.deepEqual(inspection.charts, [{label: "usage", marks: 1, width: 300}]);
  });

  it("finds tick labels of one axis written over each other", async () => {
    await planted(`<figure><svg width="300" height="100" aria-label="usage"><g aria-label="x-axis tick label"><text x="10" y="50">50,000,000</text><text x="40" y="50">100,000,000</text></g><g aria-label="bar"><rect x="100" y="10" width="50" height="20"></rect></g></svg></figure>`);
    assert.deepEqual(pageProblems("/planted", await checkPage(page)), ["/planted: overlapping tick labels in usage (x-axis tick label)"]);
  });

  it("finds a chart with axes but no marks", async () => {
    await planted(`<figure><svg width="300" height="100" aria-label="burn"><g aria-label="x-axis tick"><path d="M0,0L0,6"></path></g></svg></figure>`);
    assert.deepEqual(pageProblems("/planted", await checkPage(page)), [`/planted: chart "burn" has no marks`]);
  });

  it("finds a table wider than the scrolling box that holds it", async () => {
    await planted(`<div style="width: 200px; overflow: auto"><table><tbody><tr><td style="min-width: 400px">wide</td></tr></tbody></table></div>`);
    assert.equal(pageProblems("/planted", await checkPage(page)).filter((p) => p.includes("table wider than its box")).length, 1);
  });

  it("lists empty states and counts table rows without the empty row", async () => {
    await planted(`<p class="mb-empty-state">No usage of API Calls in this window.</p>
      <table><caption>Usage</caption><tbody><tr><td class="mb-empty">No rows.</td></tr></tbody></table>
      <table><caption>Invoices</caption><tbody><tr><td>1</td></tr><tr><td>2</td></tr></tbody></table>`);
    const inspection = await checkPage(page);
    assert.deepEqual(inspection.emptyStates, ["No usage of API Calls in this window.", "No rows."]);
    assert.deepEqual(inspection.tables, [{label: "Usage", rows: 0}, {label: "Invoices", rows: 2}]);
  });
});
