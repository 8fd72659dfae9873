// Ledger reconciliation (marts/mart_ledger_daily.sql, mart_balance_reconciliation.sql) on a hand-computed export,
// as of 2026-03-11. Balance bal_1 (prepaid, Metronome's `balance` not exported):
//   old 2026-02-01 → 2026-03-01, 500: burned 300 (02-10). Ledger: start +500, deduction −300 (API spelling),
//     rollover −100 (API spelling), expiration −100 → 0. Meterbook remaining 500 − 300 = 200; difference −200,
//     explained by rollover −100 + expiration −100: fully explained.
//   a 2026-03-01 → 2026-06-09, 1000: burned 150 (03-02). Ledger: start +1000 (API spelling), manual −50, an unknown
//     type +7 → 957. Remaining 1000 − 150 = 850; difference 107, explained −50 (manual), unexplained 157 (the 150
//     burned but not yet deducted, and the unknown +7).
// Balance bal_2 (postpaid, one segment p1 2026-01-01 → 2027-01-01, 2000, no burn; entries carry no segment_id):
//   initial +2000, true-up −40 (export spelling), manual +15 (API spelling) → 1975. Remaining 2000; difference −25,
//   explained by true-up −40 + manual +15: fully explained.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {exportLedgerType} from "../data-loaders/sources/api/translate/contracts.js";
import {USD} from "./fixtures/export-builder.js";
import {ledgerEntry as e, withLedger} from "./fixtures/ledger-export.js";
import {paceTables, snapshotMarts, type MartRows} from "./fixtures/pace-export.js";

const AS_OF = "2026-03-11";
const env = {environment_type: "PRODUCTION", updated_at: "2026-01-01T00:00:00Z"};
const ct = {credit_type_id: USD.id, credit_type_name: USD.name};

function tables(balance?: number) {
  const t = paceTables({
    segments: [{id: "old", start: "2026-02-01", end: "2026-03-01", amount: 500}, {id: "a", start: "2026-03-01", end: "2026-06-09", amount: 1000}],
    burns: [{date: "2026-02-10", total: 300, segment: "old"}, {date: "2026-03-02", total: 150, segment: "a"}],
    extra: {
      contracts_balances: [{
        ...env, id: "bal_2", customer_id: "cus_1", contract_id: "con_1", type: "postpaid", name: "Postpaid",
        access_schedule: {...ct, schedule_items: [{id: "p1", date: "2026-01-01T00:00:00Z", end_date: "2027-01-01T00:00:00Z", amount: 2000}]},
        invoice_schedule: {...ct, do_not_invoice: false, schedule_items: [{id: "is_2", date: "2026-01-01T00:00:00Z", amount: 2000, invoice_id: null}], recurring_schedule: null},
        ledger: [
          e("postpaid_initial_balance", "2026-01-01", 2000),
          e("postpaid_trueup", "2026-03-01", -40, {invoice_id: "inv_t"}),
          e("POSTPAID_COMMIT_MANUAL", "2026-03-01", 15)
        ]
      }]
    }
  });
  return withLedger(t, "bal_1", [
    e("prepaid_segment_start", "2026-02-01", 500, {segment_id: "old"}),
    e("PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION", "2026-03-01", -300, {segment_id: "old", invoice_id: "inv_2026-02"}),
    e("PREPAID_COMMIT_ROLLOVER", "2026-03-01", -100, {segment_id: "old"}),
    e("prepaid_segment_expiration", "2026-03-01", -100, {segment_id: "old"}),
    e("PREPAID_COMMIT_SEGMENT_START", "2026-03-01", 1000, {segment_id: "a"}),
    e("prepaid_manual", "2026-03-05", -30, {segment_id: "a", reason: "goodwill"}),
    e("prepaid_manual", "2026-03-05", -20, {segment_id: "a", reason: "correction"}),
    e("prepaid_loyalty_bonus", "2026-03-06", 7, {segment_id: "a"})
  ], balance);
}

const n = (v: unknown) => (v === null ? null : Number(v));

describe("ledger_daily", () => {
  let ledger: MartRows;
  before(async () => {
    ledger = await (await snapshotMarts(tables(), AS_OF)).mart("ledger_daily", "true", "balance_id, segment_id, date, entry_type");
  });
  const row = (segment: string, type: string) => ledger.find((r) => r.segment_id === segment && r.entry_type === type);

  it("classifies every group, in the export's spelling and the API's", () => {
    assert.deepEqual(ledger.map((r) => [r.balance_id, r.segment_id, r.date, r.entry_type, r.entry_group, n(r.amount_minor)]), [
      ["bal_1", "a", "2026-03-01", "prepaid_commit_segment_start", "segment_start", 1000],
      ["bal_1", "a", "2026-03-05", "prepaid_manual", "manual_adjustment", -50],
      ["bal_1", "a", "2026-03-06", "prepaid_loyalty_bonus", "other", 7],
      ["bal_1", "old", "2026-02-01", "prepaid_segment_start", "segment_start", 500],
      ["bal_1", "old", "2026-03-01", "prepaid_commit_automated_invoice_deduction", "invoice_deduction", -300],
      ["bal_1", "old", "2026-03-01", "prepaid_commit_rollover", "rollover", -100],
      ["bal_1", "old", "2026-03-01", "prepaid_segment_expiration", "expiration", -100],
      ["bal_2", "p1", "2026-01-01", "postpaid_initial_balance", "segment_start", 2000],
      ["bal_2", "p1", "2026-03-01", "postpaid_commit_manual", "manual_adjustment", 15],
      ["bal_2", "p1", "2026-03-01", "postpaid_trueup", "true_up", -40]
    ]);
  });

  it("keeps an unknown entry type, in other, marked unknown", () => {
    assert.deepEqual([row("a", "prepaid_loyalty_bonus")?.entry_group, row("a", "prepaid_loyalty_bonus")?.is_known_type], ["other", false]);
    assert.equal(ledger.filter((r) => !r.is_known_type).length, 1);
  });

  it("sums a day's entries of one type and counts them", () => {
    assert.deepEqual([row("a", "prepaid_manual")?.entries, n(row("a", "prepaid_manual")?.amount_minor)], [2, -50]);
  });

  it("puts entries without a segment_id on the balance's only segment, with its customer and credit type", () => {
    assert.deepEqual(ledger.filter((r) => r.balance_id === "bal_2").map((r) => [r.segment_id, r.customer_id, r.credit_type_id]), Array(3).fill(["p1", "cus_1", USD.id]));
  });
});

describe("ledger_daily segments of entries without a segment_id", () => {
  it("go to the segment whose days hold the entry, else stay unattributed with their balance", async () => {
    // Postpaid, two segments: p1 [01-01, 02-01), p2 [02-01, 03-01). Entries on 01-15 → p1, 02-01 → p2, 2025-12-20
    // (before both) → none.
    const t = withLedger(paceTables({balanceType: "postpaid", segments: [{id: "p1", start: "2026-01-01", end: "2026-02-01", amount: 100}, {id: "p2", start: "2026-02-01", end: "2026-03-01", amount: 100}], burns: []}), "bal_1", [
      e("postpaid_automated_invoice_deduction", "2026-01-15", -10),
      e("postpaid_automated_invoice_deduction", "2026-02-01", -20),
      e("postpaid_manual", "2025-12-20", 5)
    ]);
    const ledger = await (await snapshotMarts(t, AS_OF)).mart("ledger_daily", "true", "date");
    assert.deepEqual(ledger.map((r) => [r.date, r.segment_id, r.balance_id, r.customer_id, n(r.amount_minor)]), [
      ["2025-12-20", null, "bal_1", "cus_1", 5],
      ["2026-01-15", "p1", "bal_1", "cus_1", -10],
      ["2026-02-01", "p2", "bal_1", "cus_1", -20]
    ]);
  });
});

describe("ledger_daily entry groups", () => {
  // Every ledger type of the SDK (shared.ts), with the group it belongs to; the export's name of each is what the
  // API pull writes (exportLedgerType): together they hold the 17 names of Metronome's export reference.
  const API_GROUPS: Record<string, string> = {
    PREPAID_COMMIT_SEGMENT_START: "segment_start", POSTPAID_COMMIT_INITIAL_BALANCE: "segment_start", CREDIT_SEGMENT_START: "segment_start",
    PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION: "invoice_deduction", POSTPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION: "invoice_deduction", CREDIT_AUTOMATED_INVOICE_DEDUCTION: "invoice_deduction",
    PREPAID_COMMIT_MANUAL: "manual_adjustment", POSTPAID_COMMIT_MANUAL: "manual_adjustment", CREDIT_MANUAL: "manual_adjustment",
    PREPAID_COMMIT_EXPIRATION: "expiration", POSTPAID_COMMIT_EXPIRATION: "expiration", CREDIT_EXPIRATION: "expiration",
    PREPAID_COMMIT_ROLLOVER: "rollover", POSTPAID_COMMIT_ROLLOVER: "rollover", CREDIT_ROLLOVER: "rollover",
    POSTPAID_COMMIT_TRUEUP: "true_up",
    PREPAID_COMMIT_CANCELED: "other", PREPAID_COMMIT_CREDITED: "other", CREDIT_CANCELED: "other", CREDIT_CREDITED: "other",
    PREPAID_COMMIT_SEAT_BASED_ADJUSTMENT: "other", CREDIT_SEAT_BASED_ADJUSTMENT: "other"
  };
  const expected = new Map<string, string>();
  for (const [api, group] of Object.entries(API_GROUPS)) {
    expected.set(api.toLowerCase(), group);
    expected.set(exportLedgerType(api), group);
  }
  let ledger: MartRows;
  before(async () => {
    const t = withLedger(paceTables({segments: [{id: "a", start: "2026-03-01", end: "2026-06-09", amount: 1000}], burns: []}), "bal_1",
      [...Object.keys(API_GROUPS), ...Object.keys(API_GROUPS).map(exportLedgerType)].map((type) => e(type, "2026-03-02", 1, {segment_id: "a"})));
    ledger = await (await snapshotMarts(t, AS_OF)).mart("ledger_daily");
  });

  it("puts each type, in either spelling, in its group, as a known type", () => {
    assert.equal(expected.size, 34); // 22 API names lower-cased, and 12 export names that differ from them
    assert.deepEqual(ledger.map((r) => [r.entry_type, r.entry_group, r.is_known_type]).sort(), [...expected].map(([type, group]) => [type, group, true]).sort());
  });
});

describe("balance_reconciliation", () => {
  let recon: MartRows;
  before(async () => {
    recon = await (await snapshotMarts(tables(), AS_OF)).mart("balance_reconciliation", "true", "balance_id, segment_id");
  });
  const segment = (id: string, rows = recon) => rows.find((r) => r.segment_id === id)!;
  const figures = (r: Record<string, unknown>) => ({
    metronome: n(r.metronome_balance_minor), source: r.metronome_balance_source, remaining: n(r.remaining_minor), difference: n(r.difference_minor),
    manual: n(r.manual_adjustment_minor), expiration: n(r.expiration_minor), rollover: n(r.rollover_minor), true_up: n(r.true_up_minor),
    explained: n(r.explained_minor), unexplained: n(r.unexplained_minor), is_explained: r.is_explained
  });

  it("an ended segment: the difference is fully explained by rollover and expiration", () => {
    assert.deepEqual(figures(segment("old")), {metronome: 0, source: "ledger", remaining: 200, difference: -200, manual: 0, expiration: -100, rollover: -100, true_up: 0, explained: -200, unexplained: 0, is_explained: true});
  });

  it("an active segment with burn not yet deducted and an unknown entry: the rest is unexplained", () => {
    assert.deepEqual(figures(segment("a")), {metronome: 957, source: "ledger", remaining: 850, difference: 107, manual: -50, expiration: 0, rollover: 0, true_up: 0, explained: -50, unexplained: 157, is_explained: false});
    assert.deepEqual([n(segment("a").invoice_deduction_minor), n(segment("a").other_minor), n(segment("a").segment_start_minor)], [0, 7, 1000]);
  });

  it("a postpaid segment: true-up and manual entries explain the difference", () => {
    assert.deepEqual(figures(segment("p1")), {metronome: 1975, source: "ledger", remaining: 2000, difference: -25, manual: 15, expiration: 0, rollover: 0, true_up: -40, explained: -25, unexplained: 0, is_explained: true});
  });

  it("uses contracts_balances.balance for the balance's only active segment, the ledger for its others", async () => {
    // Metronome's balance 800 for a: difference 800 − 850 = −50, all of it the manual adjustment.
    const rows = await (await snapshotMarts(tables(800), AS_OF)).mart("balance_reconciliation");
    assert.deepEqual(figures(segment("a", rows)), {metronome: 800, source: "balance", remaining: 850, difference: -50, manual: -50, expiration: 0, rollover: 0, true_up: 0, explained: -50, unexplained: 0, is_explained: true});
    assert.deepEqual([n(segment("a", rows).ledger_balance_minor), segment("old", rows).metronome_balance_source], [957, "ledger"]);
  });

  it("leaves out segments that start after as_of", async () => {
    const t = tables();
    const items = (t.contracts_balances![0]!.access_schedule as {schedule_items: unknown[]}).schedule_items;
    items.push({id: "future", date: "2026-06-09T00:00:00Z", end_date: "2026-09-01T00:00:00Z", amount: 1000});
    const rows = await (await snapshotMarts(t, AS_OF)).mart("balance_reconciliation");
    assert.deepEqual(rows.map((r) => r.segment_id).sort(), ["a", "old", "p1"]);
  });
});
