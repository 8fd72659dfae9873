// evaluate(snapshotDir, rules): each kind's condition on hand-built snapshots (data-loaders/alerts/evaluate.ts).
// A $100.00 commit (10,000 cents) over [2026-01-01, 2026-04-11), 100 days, as of 2026-01-11 (elapsed 10, expected
// 1,000): "heavy" burns 1,200 a day on Jan 1–10 → 12,000 burned, remaining −2,000 (−20 %), 1,200 %; "light" burns
// 10 a day → 100 burned, 10 %, remaining 9,900 (99 %), run rate 10/day → never runs out in the term.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import {evaluate, type Evaluation} from "../data-loaders/alerts/evaluate.js";
import {checkAlertRules} from "../data-loaders/alerts/rules.js";
import {ledgerEntry, withLedger} from "./fixtures/ledger-export.js";
import {paceTables, snapshotMarts} from "./fixtures/pace-export.js";

const rules = checkAlertRules([
  {id: "low_usd", kind: "low_remaining_amount", threshold: {"USD (cents)": 9900}},
  {id: "low_eur", kind: "low_remaining_amount", threshold: {"EUR": 1000000}},
  {id: "stale_data", enabled: false}
], "test");

const dirs: string[] = [];

async function evaluated(perDay: number): Promise<Evaluation> {
  const burns = Array.from({length: 10}, (_, i) => ({date: `2026-01-${String(i + 1).padStart(2, "0")}`, total: perDay, segment: "seg_1"}));
  const tables = withLedger(paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2026-04-11", amount: 10000}], burns}), "bal_1", [ledgerEntry("segment_start", "2026-01-01", 10000, {segment_id: "seg_1"})]);
  const {out} = await snapshotMarts(tables, "2026-01-11");
  dirs.push(out);
  return evaluate(out, rules);
}

describe("evaluate(snapshotDir, rules)", () => {
  let heavy: Evaluation;
  let light: Evaluation;
  before(async () => {
    heavy = await evaluated(1200);
    light = await evaluated(10);
  });
  after(() => {
    heavy.close();
    light.close();
  });
  const held = (e: Evaluation) => e.holding.map((h) => `${h.rule_id}=${h.value}`).sort();

  it("finds an over-consumed segment: negative balance, low remaining, exhausted, over pace, unsustainable", () => {
    // Exhausted on Jan 9 (cumulative 10,800 ≥ 10,000): −2 days from as_of.
    assert.deepEqual(held(heavy), ["exhaustion_within_30_days=-2", "low_remaining_pct=-20", "low_usd=-2000", "negative_balance=-2000", "over_pace=1200", "unsustainable=1200"]);
  });

  it("finds an under-used segment under pace, and nothing else below its thresholds", () => {
    // 9,900 is not below 9,900: the amount rule is strict.
    assert.deepEqual(held(light), ["under_pace=10"]);
  });

  it("says an exhausted segment ran out, and when", () => {
    assert.equal(heavy.holding.find((h) => h.rule_id === "exhaustion_within_30_days")!.figure, "ran out on 2026-01-09, 2 days before as_of, before the term ends on 2026-04-10; alert within 30 days");
  });

  it("tests amounts only in the credit type they name", () => {
    assert.equal(heavy.holding.some((h) => h.rule_id === "low_eur"), false);
  });

  it("words the figure from the marts' values", () => {
    assert.equal(heavy.holding.find((h) => h.rule_id === "negative_balance")!.figure, "balance is negative: -$20.00 of $100.00 remaining");
    assert.equal(light.holding[0]!.figure, "under pace: burned 10.0% of the even pace to date ($99.00 of $100.00 remaining)");
  });

  it("skips stale data when the export has no dt= partitions for the checked tables", async () => {
    const e = await evaluate(dirs[1]!, checkAlertRules([{id: "stale_data", tables: ["usage_events"]}], "test"));
    e.close();
    assert.deepEqual(e.skipped.map((s) => s.rule_id), ["stale_data"]);
  });
});
