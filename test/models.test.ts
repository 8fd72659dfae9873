// Hand-computed cases for every definition in docs/metrics.md. Figures are worked out in the comments.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import {InputError} from "../data-loaders/errors.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {EUR, combineCases, paceTables, snapshotMarts, type Burn} from "./fixtures/pace-export.js";

const days = (start: string, n: number) => Array.from({length: n}, (_, i) => new Date(Date.parse(`${start}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

describe("exact_div(n, d) and spread_share(total, i, n)", () => {
  it("rounds half away from zero to 9 decimals and spreads with shares summing exactly", async () => {
    const {connection} = await openDuckDB();
    const {readFileSync} = await import("node:fs");
    await connection.run(readFileSync("data-loaders/models/macros.sql", "utf8"));
    const [r] = (await connection.runAndReadAll(`select exact_div(1000::decimal(38,9), 3)::varchar as third, exact_div(-2::decimal(38,9), 3)::varchar as neg,
      exact_div(0.0000000005::decimal(38,9), 1)::varchar as tiny, (spread_share(1000, 0, 3) + spread_share(1000, 1, 3) + spread_share(1000, 2, 3))::varchar as total,
      list(spread_share(1000::decimal(38,9), i, 3)::varchar order by i) as shares from range(3) t(i)`)).getRowObjectsJson() as [Record<string, unknown>];
    assert.deepEqual(r, {third: "333.333333333", neg: "-0.666666667", tiny: "0.000000001", total: "1000.000000000", shares: ["333.333333333", "333.333333334", "333.333333333"]});
  });
});

describe("balance_segments and pacing: segment bounds", () => {
  it("a year segment: end exclusive, elapsed, expected, burned, remaining, run rate, projection", async () => {
    // 2026-01-01 → 2027-01-01 exclusive: 365 days. as_of 2026-02-01: elapsed 31, expected 36500·31/365 = 3100.
    // Burn 250 on Jan 1 and Jan 2: burned 500, remaining 36000, pct 100·500/3100 = 16.129…: under (elapsed < 60: no flag).
    // Run rate: last min(30, 31) = 30 days [Jan 2, Feb 1) hold 250 → 250/30 = 8.333333333.
    // Projected end burn: 500 + 8.333333333·334 = 3283.333333222. Exhaustion: 36000/8.333… → day 4321 ≥ end: null.
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-01", total: 250}, {date: "2026-01-02", total: 250}]}), "2026-02-01");
    const [segment] = await mart("balance_segments");
    assert.deepEqual({start: segment!.start_date, end: segment!.end_date, days: segment!.days, amount: segment!.amount_minor, type: segment!.balance_type},
      {start: "2026-01-01", end: "2027-01-01", days: 365, amount: "36500.000000000", type: "prepaid"});
    const [p] = await mart("pacing");
    assert.deepEqual(
      {elapsed: p!.elapsed_days, expected: p!.expected_to_date_minor, burned: p!.burned_to_date_minor, remaining: p!.remaining_minor, status: p!.status, flags: p!.flags, rate: p!.run_rate_minor, projected: p!.projected_end_burn_minor, exhaustion: p!.projected_exhaustion_date},
      {elapsed: 31, expected: "3100.000000000", burned: "500.000000000", remaining: "36000.000000000", status: "under", flags: [], rate: "8.333333333", projected: "3283.333333222", exhaustion: null}
    );
    assert.equal(Math.round((p!.burn_rate_pct as number) * 1e6) / 1e6, 16.129032);
  });

  it("burn_daily: one row per day, cumulative to as_of, expected pace, forecast from as_of", async () => {
    // 10-day segment of 1000 from 2026-03-01; as_of 2026-03-05 (elapsed 4); burn 100/day on days 1–4.
    // Expected cumulative at end of day k: 100·k. Run rate = 400/4 = 100. Forecast on day 5..10: 400 + 100·(d − as_of + 1).
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-03-01", end: "2026-03-11", amount: 1000}], burns: days("2026-03-01", 4).map((date) => ({date, total: 100}))}), "2026-03-05");
    const rows = await mart("burn_daily", "true", "date");
    assert.equal(rows.length, 10);
    assert.deepEqual(rows.map((r) => [r.date, r.burn_minor, r.cumulative_burn_minor, r.expected_cumulative_minor, r.forecast_cumulative_minor]).slice(2, 6), [
      ["2026-03-03", "100.000000000", "300.000000000", "300.000000000", null],
      ["2026-03-04", "100.000000000", "400.000000000", "400.000000000", null],
      ["2026-03-05", null, null, "500.000000000", "500.000000000"],
      ["2026-03-06", null, null, "600.000000000", "600.000000000"]
    ]);
    assert.equal(rows[9]!.forecast_cumulative_minor, "1000.000000000");
    const [p] = await mart("pacing");
    assert.equal(p!.projected_end_burn_minor, "1000.000000000");
    // Cumulative reaches 1000 at the end of day 2026-03-10 (= as_of + 6 − 1): before end_date 2026-03-11.
    assert.equal(p!.projected_exhaustion_date, "2026-03-10");
  });

  it("a leap day is a day: February 2028 has 29", async () => {
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2028-02-01", end: "2028-03-01", amount: 2900}], burns: [{date: "2028-02-29", total: 100}]}), "2028-03-01");
    const [segment] = await mart("balance_segments");
    assert.equal(segment!.days, 29);
    const rows = await mart("burn_daily", "date = '2028-02-29'");
    assert.deepEqual([rows[0]!.burn_minor, rows[0]!.cumulative_burn_minor, rows[0]!.expected_cumulative_minor], ["100.000000000", "100.000000000", "2900.000000000"]);
    assert.deepEqual(await mart("pacing"), [], "as_of = end_date: no longer active");
  });

  it("a segment starting on as_of is active with nothing expected: pct null, on track, no run rate", async () => {
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-05-01", end: "2026-06-01", amount: 3100}], burns: []}), "2026-05-01");
    const [p] = await mart("pacing");
    assert.deepEqual({elapsed: p!.elapsed_days, expected: p!.expected_to_date_minor, burned: p!.burned_to_date_minor, pct: p!.burn_rate_pct, status: p!.status, rate: p!.run_rate_minor, exhaustion: p!.projected_exhaustion_date},
      {elapsed: 0, expected: "0.000000000", burned: "0.000000000", pct: null, status: "on_track", rate: null, exhaustion: null});
  });

  it("burn is attributed by commit_segment_id when present, else by date within the segment", async () => {
    // Two quarterly segments. A line on 2026-04-02 tagged seg_q1 counts for Q1 (explicit id wins); an untagged line
    // on 2026-04-03 falls in Q2 by date.
    const {mart} = await snapshotMarts(paceTables({
      segments: [{id: "seg_q1", start: "2026-01-01", end: "2026-04-01", amount: 900}, {id: "seg_q2", start: "2026-04-01", end: "2026-07-01", amount: 910}],
      burns: [{date: "2026-03-31", total: 10, segment: "seg_q1"}, {date: "2026-04-03", total: 20, segment: null}]
    }), "2026-04-10");
    const [q2] = await mart("pacing");
    assert.deepEqual([q2!.segment_id, q2!.burned_to_date_minor], ["seg_q2", "20.000000000"]);
    const q1 = await mart("burn_daily", "segment_id = 'seg_q1' and date = '2026-03-31'");
    assert.equal(q1[0]!.cumulative_burn_minor, "10.000000000");
  });

  it("only the configured line item types burn", async () => {
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2026-02-01", amount: 310}], burns: [{date: "2026-01-01", total: 10}, {date: "2026-01-02", total: 99, type: "ContractSubscriptionLineItem"}]}), "2026-01-11");
    const [p] = await mart("pacing");
    assert.equal(p!.burned_to_date_minor, "10.000000000");
  });

  it("balance types: a prepaid commit with no invoice schedule items is a free commit; credits stay credits", async () => {
    const free = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2027-01-01", amount: 100}], burns: [], freeCommit: true}), "2026-02-01");
    assert.equal((await free.mart("balance_segments"))[0]!.balance_type, "free_commit");
    const credit = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2027-01-01", amount: 100}], burns: [], balanceType: "credit"}), "2026-02-01");
    assert.equal((await credit.mart("balance_segments"))[0]!.balance_type, "credit");
  });
});

describe("daily lines: finalized plus the latest draft snapshot", () => {
  it("backdated usage between two draft snapshots: the latest snapshot's figure, never the sum", async () => {
    // Snapshot Oct 10 says Oct 3 burned 100; snapshot Oct 11 (after late events) says 150. Burn on Oct 3 = 150.
    const {mart} = await snapshotMarts(paceTables({
      segments: [{id: "s", start: "2026-10-01", end: "2026-11-01", amount: 3100}],
      burns: [
        {date: "2026-10-03", total: 100, draftSnapshot: "2026-10-10"},
        {date: "2026-10-03", total: 150, draftSnapshot: "2026-10-11"}
      ]
    }), "2026-10-15");
    const [day] = await mart("burn_daily", "date = '2026-10-03'");
    assert.equal(day!.burn_minor, "150.000000000");
    const revenue = await mart("revenue_daily");
    assert.deepEqual(revenue.map((r) => [r.date, r.revenue_minor]), [["2026-10-03", "150.000000000"]]);
  });

  it("a draft snapshot taken after as_of is not used", async () => {
    const {mart} = await snapshotMarts(paceTables({
      segments: [{id: "s", start: "2026-10-01", end: "2026-11-01", amount: 3100}],
      burns: [{date: "2026-10-03", total: 100, draftSnapshot: "2026-10-10"}, {date: "2026-10-03", total: 999, draftSnapshot: "2026-10-20"}]
    }), "2026-10-15");
    assert.equal((await mart("burn_daily", "date = '2026-10-03'"))[0]!.burn_minor, "100.000000000");
  });

  it("a voided invoice burns nothing and earns nothing", async () => {
    const {mart} = await snapshotMarts(paceTables({
      segments: [{id: "s", start: "2026-01-01", end: "2026-03-01", amount: 590}],
      burns: [{date: "2026-01-05", total: 70, invoice: "inv_void", voided: true}, {date: "2026-01-05", total: 70, invoice: "inv_reissued"}]
    }), "2026-02-01");
    assert.equal((await mart("pacing"))[0]!.burned_to_date_minor, "70.000000000");
    assert.deepEqual((await mart("revenue_daily")).map((r) => r.revenue_minor), ["70.000000000"]);
  });

  it("without breakdowns, invoice line items are spread evenly over their service days, summing exactly", async () => {
    // 1000 over Jan 1–3 (ending_before Jan 4): 333.333333333 + 333.333333334 + 333.333333333.
    const {mart} = await snapshotMarts(paceTables({
      segments: [{id: "s", start: "2026-01-01", end: "2026-03-01", amount: 5900}],
      burns: [{date: "2026-01-01", total: 500}, {date: "2026-01-03", total: 500}],
      noBreakdowns: true
    }), "2026-02-01");
    const rows = await mart("burn_daily", "date <= '2026-01-04'", "date");
    assert.deepEqual(rows.map((r) => r.burn_minor), ["333.333333333", "333.333333334", "333.333333333", "0.000000000"]);
    assert.equal((await mart("pacing"))[0]!.burned_to_date_minor, "1000.000000000");
    assert.deepEqual((await mart("revenue_daily", "true", "date")).map((r) => r.revenue_minor), ["333.333333333", "333.333333334", "333.333333333"]);
  });
});

describe("currencies", () => {
  it("an EUR customer burns in whole euros; credit_types says how to show each currency", async () => {
    const {mart} = await snapshotMarts(paceTables({creditType: EUR, segments: [{id: "s", start: "2026-01-01", end: "2026-01-11", amount: 1000}], burns: [{date: "2026-01-01", total: 450}]}), "2026-01-06");
    const [p] = await mart("pacing");
    // expected 1000·5/10 = 500; burned 450 → 90 %: on track.
    assert.deepEqual([p!.credit_type_id, p!.expected_to_date_minor, p!.burned_to_date_minor, p!.status], [EUR.id, "500.000000000", "450.000000000", "on_track"]);
    const types = await mart("credit_types", "true", "name");
    assert.deepEqual(types.map((t) => [t.name, t.currency_code, t.minor_per_major]), [["EUR", "EUR", 1], ["USD (cents)", "USD", 100]]);
  });

  it("a burn line in another currency than its segment stops the snapshot, naming the line", async () => {
    await assert.rejects(
      snapshotMarts(paceTables({creditType: EUR, segments: [{id: "s", start: "2026-01-01", end: "2026-01-11", amount: 1000}], burns: [{date: "2026-01-01", total: 450, creditType: {id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2", name: "USD (cents)"}}]}), "2026-01-06"),
      (e: unknown) => e instanceof InputError && /mixed currencies: .* \[table breakdowns_line_items, column credit_type_id, file breakdowns_line_items\/dt=2026-01-01\/0_20260101000000\.parquet, row 1 \(id=bl_1\)\]/.test((e as Error).message)
    );
  });
});

describe("status boundaries and flags", () => {
  // A 100-day segment of 10000 (unless said): expected = amount / 100 · elapsed. One burn line on its first day sets
  // burned exactly. Every case is a customer of its own in one export, all as of one date, each segment starting
  // `elapsed` days before it: one snapshot answers them all.
  const AS_OF = "2026-06-01";
  const CASES: Array<[elapsed: number, burned: string | number, amount?: number]> = [
    [10, 800], [10, "799.99"], [10, 1100], [10, "1100.01"], [7, 2100], [7, "2099.99"], [8, 2400], [89, 13350], [40, "6000.01"],
    [40, 6000], [90, 9001], [60, "2999.99"], [60, 3000], [59, 100], [99, "10000.01"], [99, 10000]
  ];
  const name = ([elapsed, burned, amount = 10000]: (typeof CASES)[number]) => `e${elapsed}-b${burned}-a${amount}`;
  const shift = (days: number) => new Date(Date.parse(`${AS_OF}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  let results: Map<string, {status: string; flags: string[]}>;

  before(async () => {
    const tables = combineCases(Object.fromEntries(CASES.map((c) => {
      const [elapsed, burned, amount = 10000] = c;
      const start = shift(-elapsed);
      return [name(c), paceTables({segments: [{id: "s", start, end: shift(100 - elapsed), amount}], burns: Number(burned) === 0 ? [] : [{date: start, total: burned}]})];
    })));
    const {mart} = await snapshotMarts(tables, AS_OF);
    results = new Map((await mart("pacing")).map((p) => [String(p.customer_id).split("/")[0]!, {status: p.status as string, flags: p.flags as string[]}]));
    assert.equal(results.size, CASES.length, "a pacing row for every case");
  });
  function pace(elapsed: number, burned: string | number, amount = 10000) {
    const result = results.get(name([elapsed, burned, amount]));
    if (!result) throw new Error(`no case ${name([elapsed, burned, amount])} in CASES`);
    return result;
  }

  it("80 % is on track, just below is under", () => {
    assert.equal(pace(10, 800).status, "on_track");
    assert.equal(pace(10, "799.99").status, "under");
  });
  it("110 % is on track, just above is over", () => {
    assert.equal(pace(10, 1100).status, "on_track");
    assert.equal(pace(10, "1100.01").status, "over");
  });
  it("week1_spike: elapsed ≤ 7 and ≥ 300 %", () => {
    assert.deepEqual(pace(7, 2100).flags, ["week1_spike", "unsustainable"]);
    assert.deepEqual(pace(7, "2099.99").flags, ["unsustainable"]);
    assert.deepEqual(pace(8, 2400).flags, ["unsustainable"]);
  });
  it("unsustainable: elapsed < 90 and > 150 %", () => {
    assert.deepEqual(pace(89, 13350).flags, ["negative_balance"]);
    assert.deepEqual(pace(40, "6000.01").flags, ["unsustainable"]);
    assert.deepEqual(pace(40, 6000).flags, []);
    assert.deepEqual(pace(90, 9001).flags, []);
  });
  it("adoption_risk: elapsed ≥ 60 and < 50 %", () => {
    assert.deepEqual(pace(60, "2999.99").flags, ["adoption_risk"]);
    assert.deepEqual(pace(60, 3000).flags, []);
    assert.deepEqual(pace(59, 100).flags, []);
  });
  it("negative_balance: remaining below zero", () => {
    assert.deepEqual(pace(99, "10000.01").flags, ["negative_balance"]);
    assert.deepEqual(pace(99, 10000).flags, []);
  });
});

describe("customers", () => {
  it("labels active customers that share a name with a short id suffix; owner from custom_fields", async () => {
    const env = {environment_type: "PRODUCTION", updated_at: "2026-01-01T00:00:00Z"};
    const tables = paceTables({segments: [{id: "s", start: "2026-01-01", end: "2026-02-01", amount: 100}], burns: []});
    tables.customer = [
      {...env, id: "cus_1", name: "Pace Co", custom_fields: {owner: "Dana"}, ingest_aliases: ["pace"]},
      {...env, id: "cus_aaaaaa111111", name: "Twin Labs", custom_fields: {owner: "Lee"}},
      {...env, id: "cus_bbbbbb222222", name: "Twin Labs"},
      {...env, id: "cus_old", name: "Pace Co", archived_at: "2025-01-01T00:00:00Z"}
    ];
    const {mart} = await snapshotMarts(tables, "2026-01-10");
    const customers = await mart("customers", "true", "customer_id");
    assert.deepEqual(customers.map((c) => [c.customer_id, c.label, c.owner, c.ingest_aliases, c.is_archived]), [
      ["cus_1", "Pace Co", "Dana", ["pace"], false],
      ["cus_aaaaaa111111", "Twin Labs · 111111", "Lee", [], false],
      ["cus_bbbbbb222222", "Twin Labs · 222222", null, [], false],
      ["cus_old", "Pace Co · us_old", null, [], true]
    ]);
  });
});
