// A monthly report for a customer of many products still fits its A4 pages: the daily-usage sparklines take as many
// pages as they need (SPARKS_PER_PAGE each). Checked in Chromium by the renderer that prints every report, whose
// overflow check fails a page whose content is taller than its sheet. Twenty products: the benchmark's customers.
import assert from "node:assert/strict";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, describe, it} from "node:test";
import {JSDOM} from "jsdom";
import {DEFAULT_CONFIG} from "../../data-loaders/config.js";
import {docBranding} from "../../data-loaders/documents/branding.js";
import {pdfRenderer} from "../../data-loaders/documents/pdf.js";
import {reportDocument, SPARKS_PER_PAGE, type ReportData} from "../../data-loaders/documents/report.js";
import {creditTypeMap} from "../../src/core/format.js";
import {addDays, monthPeriod} from "../../src/core/periods.js";

const work = mkdtempSync(join(tmpdir(), "meterbook-report-pages-"));
after(() => rmSync(work, {recursive: true, force: true}));

function data(products: number): ReportData {
  const period = monthPeriod("2026-09", "2026-10-15");
  const names = Array.from({length: products}, (_, i) => `Product ${String(i + 1).padStart(2, "0")} (units)`);
  const days: string[] = [];
  for (let d = period.start; d < period.to; d = addDays(d, 1)) days.push(d);
  return {
    customer: {customer_id: "c1", name: "Many Products Inc."},
    period,
    creditTypes: creditTypeMap([{credit_type_id: "usd", name: "USD (cents)", currency_code: "USD", minor_per_major: 100}]),
    usageDaily: names.flatMap((product, i) => days.map((date, j) => ({date, product, quantity: 100 + 10 * i + j}))),
    spendByProduct: names.map((product, i) => ({product, credit_type_id: "usd", spend_minor: 10_000 * (i + 1)})),
    spendTotal: [{credit_type_id: "usd", spend_minor: 10_000 * ((products * (products + 1)) / 2)}],
    balances: [],
    invoices: []
  };
}

describe("reportDocument(data) for a customer of many products", () => {
  it(`splits the daily-usage sparklines ${SPARKS_PER_PAGE} a page, and every page fits its sheet in Chromium`, async () => {
    const document = new JSDOM("").window.document;
    const html = reportDocument(data(20), docBranding(DEFAULT_CONFIG.branding), document);
    assert.equal(html.match(/<h2>Usage by product, per day \(\d of 2\)<\/h2>/g)?.length, 2);
    writeFileSync(join(work, "index.html"), html);
    const renderer = await pdfRenderer({concurrency: 1});
    try {
      // Summary, two pages of sparklines, four daily tables of six products (20 → 6+6+6+2), invoices.
      const {pages} = await renderer.render({html: join(work, "index.html"), pdf: join(work, "report.pdf"), boxes: ".page", viewport: {width: 900, height: 1200}});
      assert.equal(pages, 8);
    } finally {
      await renderer.close();
    }
  });

  it("keeps one page of sparklines for ten products", () => {
    const html = reportDocument(data(10), docBranding(DEFAULT_CONFIG.branding), new JSDOM("").window.document);
    assert.equal(html.match(/<h2>Usage by product, per day<\/h2>/g)?.length, 1);
  });
});
