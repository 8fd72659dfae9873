// The monthly report's figures on a hand-computed customer: one USD commit of $365.00 for 2026 (36,500 cents over
// 365 days, end exclusive), burn on four days around September, as of 2026-10-10. Worked out in the comments; the
// report must show exactly these, from the marts, in the customer's currency.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {buildReports, documentWindow, openSource} from "../data-loaders/documents/build.js";
import {reportData, type ReportData} from "../data-loaders/documents/report.js";
import {deckData} from "../src/core/deck/data.js";
import {paceTables, snapshotMarts} from "./fixtures/pace-export.js";

describe("the September 2026 report of a hand-computed customer", () => {
  let out: string;
  let data: ReportData;
  let html: string;
  let csv: string;
  let close: () => void;

  before(async () => {
    const tables = paceTables({
      segments: [{id: "seg_2026", start: "2026-01-01", end: "2027-01-01", amount: 36500}],
      burns: [
        {date: "2026-08-31", total: 100, quantity: 2}, // before the month: lowers the opening balance
        {date: "2026-09-01", total: 250, quantity: 5}, // first day of the month: in it
        {date: "2026-09-15", total: 300, quantity: 6, product: "prod_2"},
        {date: "2026-09-30", total: 60, quantity: 1}, // last day of the month: in it
        {date: "2026-10-01", total: 70, quantity: 3} // the next month's first day: not in it
      ]
    });
    // Each invoice's total is the sum of its line items (the fixture leaves it 0).
    for (const invoice of tables.invoice!) {
      invoice.total = tables.line_item!.filter((l) => l.invoice_id === invoice.id).reduce((s, l) => s + Number(l.total), 0);
    }
    ({out} = await snapshotMarts(tables, "2026-10-10"));
    const source = await openSource(out, "report", "2026-09", ["cus_1"]);
    close = () => source.connection.closeSync();
    data = await reportData(source.run, "cus_1", "2026-09", source.asOf);
    const [built] = await buildReports("2026-09", {snapshotDir: out, out: join(out, "reports"), customers: ["cus_1"], branding: DEFAULT_CONFIG.branding, pdf: false, log: () => {}});
    html = readFileSync(join(built!.dir, "index.html"), "utf8");
    csv = readFileSync(join(built!.dir, "usage.csv"), "utf8");
  });
  after(() => close?.());

  it("the month is [2026-09-01, 2026-10-01): both its first and last day count, the next month's first does not", () => {
    assert.deepEqual([data.period.start, data.period.end, data.period.partial], ["2026-09-01", "2026-10-01", false]);
    // 250 + 300 + 60 = 610 cents; the 100 of Aug 31 and the 70 of Oct 1 are outside.
    assert.deepEqual(data.spendTotal.map((s) => [s.credit_type_id.slice(0, 3), s.spend_minor]), [[data.spendTotal[0]!.credit_type_id.slice(0, 3), 610]]);
    // By product, largest first: prod_1 250 + 60 = 310, prod_2 300.
    assert.deepEqual(data.spendByProduct.map((s) => [s.product, s.spend_minor]), [["prod_1", 310], ["prod_2", 300]]);
    assert.deepEqual(data.usageDaily, [
      {date: "2026-09-01", product: "prod_1", quantity: 5},
      {date: "2026-09-15", product: "prod_2", quantity: 6},
      {date: "2026-09-30", product: "prod_1", quantity: 1}
    ]);
  });

  it("the commit: opening 36,500 − 100 = 36,400; drawn 610; closing 35,790; under pace", () => {
    // Pace at the end of September: used 100 + 610 = 710 against expected 36,500 · 273 / 365 = 27,300 (Jan 1 to
    // Sep 30 inclusive is 273 days); 100 · 710 < 80 · 27,300, so under.
    assert.equal(data.balances.length, 1);
    const [b] = data.balances;
    assert.deepEqual({amount: b!.amount_minor, opening: b!.opening_minor, drawn: b!.drawn_minor, closing: b!.closing_minor, pace: b!.pace, start: b!.start_date, end: b!.end_date},
      {amount: 36500, opening: 36400, drawn: 610, closing: 35790, pace: "under", start: "2026-01-01", end: "2027-01-01"});
  });

  it("loads only the days the documents' figures read: the month to its figures' end; a deck's quarter and the one before", async () => {
    assert.deepEqual(documentWindow("report", "2026-09", "2026-10-10"), {from: "2026-09-01", to: "2026-10-01"});
    assert.deepEqual(documentWindow("report", "2026-10", "2026-10-10"), {from: "2026-10-01", to: "2026-10-10"}, "an open month stops at as_of");
    assert.deepEqual(documentWindow("qbr", "2026-Q1", "2026-10-10"), {from: "2025-10-01", to: "2026-04-01"}, "Q4 2025 is compared with");
    assert.deepEqual(documentWindow("qbr", "2026-Q4", "2026-11-15"), {from: "2026-07-01", to: "2026-11-15"});
    // Aug 31 and Oct 1 are outside September: not loaded, and the figures above are the same for it.
    const source = await openSource(out, "report", "2026-09", ["cus_1"]);
    try {
      const days = await source.run(`select distinct strftime(date, '%Y-%m-%d') as day from revenue_daily union select distinct strftime(date, '%Y-%m-%d') from usage_daily order by 1`, []);
      assert.deepEqual(days.map((r) => r.day), ["2026-09-01", "2026-09-15", "2026-09-30"]);
    } finally {
      source.connection.closeSync();
    }
  });

  it("a deck's quarter is compared with the one before it, which its window loads: Q4 to Oct 10 spent 70, Q3 710", async () => {
    // Q4 2026 as of 2026-10-10: Oct 1's 70. Q3, before the quarter but inside the deck's window: Aug 31's 100 and
    // September's 610.
    const source = await openSource(out, "qbr", "2026-Q4", ["cus_1"]);
    try {
      const deck = await deckData(source.run, "cus_1", "2026-Q4", source.asOf);
      assert.deepEqual(deck.spendTotals.map((r) => [r.spend_minor, r.previous_minor]), [[70, 710]]);
    } finally {
      source.connection.closeSync();
    }
  });

  it("the month's invoices are those whose period starts in it: September's, 610", () => {
    assert.deepEqual(data.invoices.map((i) => [i.invoice_id, i.start_date, i.status, i.total_minor]), [["inv_2026-09", "2026-09-01", "FINALIZED", 610]]);
  });

  it("the page shows those figures in dollars, and usage.csv holds the month's rows only", () => {
    const text = html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
    for (const figure of ["Spend this month $6.10", "Invoiced for the month $6.10", "$3.10", "$3.00"]) assert.ok(text.includes(figure), `${figure} on the page`);
    // The term's exclusive end (2027-01-01) is shown as its last day; under pace is said in the customer's words.
    assert.ok(text.includes("Commit 1 Jan 2026 – 31 Dec 2026 $364.00 $6.10 $357.90 Behind plan"), "the commitment's row");
    assert.doesNotMatch(html, /\$0\.70|\$1\.00\b/, "neither the Oct 1 nor the Aug 31 burn appears as a figure");
    assert.equal(csv, "date,product,quantity\n2026-09-01,prod_1,5\n2026-09-15,prod_2,6\n2026-09-30,prod_1,1\n");
  });
});
