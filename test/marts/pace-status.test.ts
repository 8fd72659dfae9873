// burn_daily.pace_status: the pace of a segment at the end of each day, by the same thresholds (the pace_status
// macro) as pacing.status, and what the monthly report shows. Figures are worked out in the comments.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import {openSource} from "../../data-loaders/documents/build.js";
import {reportData} from "../../data-loaders/documents/reportData.js";
import {paceTables, snapshotMarts, type MartRows} from "../fixtures/pace-export.js";

describe("burn_daily.pace_status at exactly 110 % with an expected figure that does not divide evenly", () => {
  // 11-day segment of 10 from 2026-03-01 (end 2026-03-12 exclusive); burn 1 on day 1; as_of 2026-03-02.
  // Expected after day 1 = 10/11 = 0.909090909… (rounded to 9 decimals: 0.909090909). Burn rate = 1 / (10/11) = 110 %
  // exactly: on track. Against the rounded expected (100·1 > 110·0.909090909 = 99.99999999) it would read "over".
  let rows: MartRows;
  let pacing: MartRows;
  let pace: string | null;
  let close: () => void;
  before(async () => {
    const {mart, out} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-03-01", end: "2026-03-12", amount: 10}], burns: [{date: "2026-03-01", total: 1}]}), "2026-03-02");
    rows = await mart("burn_daily", "true", "date");
    pacing = await mart("pacing");
    const source = await openSource(out, "report", "2026-03", ["cus_1"]);
    close = () => source.connection.closeSync();
    pace = (await reportData(source.run, "cus_1", "2026-03", source.asOf)).balances[0]!.pace;
  });
  after(() => close?.());

  it("the day's pace_status is on_track, as pacing.status", () => {
    assert.equal(rows[0]!.expected_cumulative_minor, "0.909090909");
    assert.equal(rows[0]!.pace_status, "on_track");
    assert.equal(pacing[0]!.status, "on_track");
  });

  it("is null from as_of on", () => {
    assert.deepEqual(rows.slice(1).map((r) => r.pace_status), Array(10).fill(null));
  });

  it("the report's pace for the month is the mart's, on_track", () => {
    assert.equal(pace, "on_track");
  });
});

describe("burn_daily.pace_status through a segment's days", () => {
  // 10-day segment of 1000 from 2026-03-01; as_of 2026-03-06. Expected after day k = 100·k.
  // Burn: 120 on day 1 (120 % > 110: over), 0 on day 2 (cumulative 120 vs 200: 60 % < 80: under),
  // 100 on day 3 (220 vs 300: 73.3 %: under), 20 on day 4 (240 vs 400: 60 %: under), 80 on day 5 (320 vs 500: 64 %).
  // A day exactly at 80 %: move day 5's burn to 160 → 400 vs 500 = 80 %: on track (bound included).
  let rows: MartRows;
  let pacing: MartRows;
  before(async () => {
    const burns = [{date: "2026-03-01", total: 120}, {date: "2026-03-03", total: 100}, {date: "2026-03-04", total: 20}, {date: "2026-03-05", total: 160}];
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-03-01", end: "2026-03-11", amount: 1000}], burns}), "2026-03-06");
    rows = await mart("burn_daily", "true", "date");
    pacing = await mart("pacing");
  });

  it("over above 110 %, under below 80 %, on track at exactly 80 %", () => {
    assert.deepEqual(rows.slice(0, 5).map((r) => [r.date, r.cumulative_burn_minor, r.pace_status]), [
      ["2026-03-01", "120.000000000", "over"],
      ["2026-03-02", "120.000000000", "under"],
      ["2026-03-03", "220.000000000", "under"],
      ["2026-03-04", "240.000000000", "under"],
      ["2026-03-05", "400.000000000", "on_track"]
    ]);
  });

  it("the last day before as_of agrees with pacing.status", () => {
    assert.equal(pacing[0]!.status, rows[4]!.pace_status);
  });
});

describe("burn_daily.pace_status with nothing to pace against", () => {
  it("is null on every day of a segment with no end", async () => {
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-03-01", end: null, amount: 1000}], burns: [{date: "2026-03-01", total: 500}]}), "2026-03-04");
    const rows = await mart("burn_daily");
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => r.pace_status), [null, null, null]);
  });

  it("is null on every day of a segment of amount 0 (nothing expected)", async () => {
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-03-01", end: "2026-03-05", amount: 0}], burns: [{date: "2026-03-01", total: 5}]}), "2026-03-03");
    assert.deepEqual((await mart("burn_daily", "true", "date")).map((r) => r.pace_status), [null, null, null, null]);
  });
});
