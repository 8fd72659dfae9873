import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {balanceRow, breakdownRows, derivedId, exportInvoiceType, exportLedgerType, exportLineItemType, invoiceRow, money} from "../../data-loaders/sources/api/translate.js";
import {mapPool} from "../../data-loaders/sources/api/fetch.js";

const ctx = {environment: "PRODUCTION", pulledAt: "2026-10-15T06:00:00.000Z", snapshotAt: "2026-10-15T00:00:00.000Z"};
const usd = {id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2", name: "USD (cents)"};

describe("balanceRow(apiBalance, customerId, ctx)", () => {
  const row = balanceRow(
    {
      id: "b1",
      type: "PREPAID",
      product: {id: "p1", name: "Commit"},
      contract: {id: "k1"},
      access_schedule: {credit_type: usd, schedule_items: [{id: "s1", amount: 100000.5, starting_at: "2026-01-01T00:00:00.000Z", ending_before: "2027-01-01T00:00:00.000Z"}]},
      invoice_schedule: {credit_type: usd, schedule_items: [{id: "i1", amount: 100000, timestamp: "2026-01-01T00:00:00.000Z", invoice_id: null}]},
      ledger: [{type: "PREPAID_COMMIT_SEGMENT_START", timestamp: "2026-01-01T00:00:00.000Z", amount: 100000, segment_id: "s1"}],
      balance: 0.8
    },
    "c1",
    ctx
  );
  it("lower-cases the type", () => assert.equal(row.type, "prepaid"));
  it("renames access schedule items to the export's date / end_date and flattens the credit type", () =>
    assert.deepEqual(JSON.parse(String(row.access_schedule)), {
      credit_type_id: usd.id,
      credit_type_name: "USD (cents)",
      schedule_items: [{id: "s1", date: "2026-01-01T00:00:00.000Z", end_date: "2027-01-01T00:00:00.000Z", amount: 100000.5}]
    }));
  it("keeps invoice schedule items as dated amounts", () => assert.deepEqual(JSON.parse(String(row.invoice_schedule)).schedule_items, [{id: "i1", date: "2026-01-01T00:00:00.000Z", amount: 100000, invoice_id: null}]));
  it("maps ledger types to the export's lower-case names", () => assert.equal(JSON.parse(String(row.ledger))[0].type, "prepaid_segment_start"));
  it("keeps a fractional balance exactly (as decimal text)", () => assert.equal(row.balance, "0.8"));
  it("labels the row with the configured environment", () => assert.equal(row.environment_type, "PRODUCTION"));
});

describe("exportLedgerType / exportInvoiceType / exportLineItemType", () => {
  it("maps commit expirations to segment expirations", () => assert.equal(exportLedgerType("PREPAID_COMMIT_EXPIRATION"), "prepaid_segment_expiration"));
  it("lower-cases unknown ledger types", () => assert.equal(exportLedgerType("CREDIT_ROLLOVER"), "credit_rollover"));
  it("maps USAGE invoices to CONTRACT_USAGE", () => assert.equal(exportInvoiceType("USAGE"), "CONTRACT_USAGE"));
  it("maps usage lines to ContractUsageLineItem", () => assert.equal(exportLineItemType("usage"), "ContractUsageLineItem"));
  it("passes unknown line types through", () => assert.equal(exportLineItemType("professional_service"), "professional_service"));
});

describe("invoiceRow(apiInvoice, ctx)", () => {
  const base = {id: "inv1", customer_id: "c1", credit_type: usd, total: 0, type: "USAGE", line_items: []};
  it("writes finalized invoices to invoice, labelled CONTRACT_USAGE", () => {
    const {table, row} = invoiceRow({...base, status: "FINALIZED", total: 1234.5, issued_at: "2026-10-01T04:00:00.000Z"}, ctx);
    assert.equal(table, "invoice");
    assert.equal(row.invoice_label, "CONTRACT_USAGE");
    assert.equal(row.total, "1234.5");
  });
  it("writes drafts to draft_invoice as one snapshot at the pull's until day", () => {
    const {table, row} = invoiceRow({...base, status: "DRAFT"}, ctx);
    assert.equal(table, "draft_invoice");
    assert.equal(row.snapshot_time, ctx.snapshotAt);
  });
  it("gives DRAFT_INCOMPLETE a null total, as the export does", () => assert.equal(invoiceRow({...base, status: "DRAFT_INCOMPLETE"}, ctx).row.total, null));
});

describe("breakdownRows(apiBreakdown, ctx, transferId)", () => {
  const window = {breakdown_start_timestamp: "2026-10-03T00:00:00.000Z", breakdown_end_timestamp: "2026-10-04T00:00:00.000Z"};
  const line = {name: "GPU", total: 500, quantity: 2, unit_price: 250, type: "usage", credit_type: usd, product_id: "p1", commit_id: "b1"};
  const finalized = breakdownRows({id: "inv1", customer_id: "c1", credit_type: usd, status: "FINALIZED", total: 0, type: "USAGE", issued_at: "2026-11-01T04:00:00.000Z", line_items: [line, line], ...window}, ctx, "t1");
  it("puts the API id (the invoice's) in invoice_id and derives a breakdown id", () => {
    assert.equal(finalized.invoice.invoice_id, "inv1");
    assert.equal(finalized.invoice.id, derivedId("breakdown", "inv1", window.breakdown_start_timestamp));
    assert.notEqual(finalized.invoice.id, "inv1");
  });
  it("stamps finalized breakdowns with the issue time", () => assert.equal(finalized.invoice.snapshot_timestamp, "2026-11-01T04:00:00.000Z"));
  it("gives each line a distinct id tied to its breakdown", () => {
    assert.equal(new Set(finalized.lines.map((l) => l.id)).size, 2);
    assert.ok(finalized.lines.every((l) => l.invoice_breakdown_id === finalized.invoice.id && l.billable_metric_id === undefined));
  });
  it("stamps draft breakdowns with the pull's snapshot time", () => {
    const draft = breakdownRows({id: "inv2", customer_id: "c1", credit_type: usd, status: "DRAFT", total: 0, type: "USAGE", line_items: [], ...window}, ctx, "t1");
    assert.equal(draft.draft, true);
    assert.equal(draft.invoice.snapshot_timestamp, ctx.snapshotAt);
  });
});

describe("derivedId(...parts) and money(value)", () => {
  it("is a stable UUID-shaped hash", () => {
    assert.match(derivedId("a", "b"), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(derivedId("a", "b"), derivedId("a", "b"));
    assert.notEqual(derivedId("a", "b"), derivedId("ab"));
  });
  it("keeps null as null and zero as 0", () => {
    assert.equal(money(null), null);
    assert.equal(money(0), "0");
  });
});

describe("mapPool(items, limit, fn)", () => {
  it("keeps input order and never runs more than limit at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapPool([30, 10, 20, 0, 5], 2, async (ms) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running -= 1;
      return ms * 2;
    });
    assert.deepEqual(out, [60, 20, 40, 0, 10]);
    assert.equal(peak, 2);
  });
  it("settles every started item before throwing the first error", async () => {
    const finished: number[] = [];
    await assert.rejects(
      mapPool([1, 2, 3, 4], 2, async (n) => {
        await new Promise((r) => setTimeout(r, n === 1 ? 1 : 20));
        if (n === 1) throw new Error("boom");
        finished.push(n);
      }),
      /boom/
    );
    assert.deepEqual(finished, [2]);
  });
});
