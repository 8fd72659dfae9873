// The weekly digest's figures on hand-built marts: ISO weeks (year boundaries, week 53, cut at as_of), revenue week
// over week by category (same days of each week, contra-revenue apart, totals per credit type) and at-risk segments.
import assert from "node:assert/strict";
import {after, before, describe, it} from "node:test";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {atRisk, isoWeek, weekRevenue} from "../data-loaders/digest/figures.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";

describe("isoWeek(label, asOf)", () => {
  it("starts week 1 on the Monday of the week holding January 4th", () => {
    // 2026-01-04 is a Sunday: week 1 is Mon 2025-12-29 .. Sun 2026-01-04.
    assert.deepEqual(isoWeek("2026-W01", "2026-03-01"), {label: "2026-W01", start: "2025-12-29", end: "2026-01-05", days: 7, previousStart: "2025-12-22", partial: false});
    assert.equal(isoWeek("2026-W41", "2026-11-01").start, "2026-10-05");
  });

  it("knows week 53 only in long years", () => {
    assert.equal(isoWeek("2026-W53", "2027-02-01").start, "2026-12-28"); // 2026 starts on a Thursday: 53 weeks
    assert.throws(() => isoWeek("2025-W53", "2027-01-01"), /2025 has no week 53/);
    assert.throws(() => isoWeek("2026-W00", "2027-01-01"), /no week 0/);
  });

  it("cuts a week that reaches as_of to the days before it, and refuses one that starts on or after it", () => {
    const w = isoWeek("2026-W42", "2026-10-15"); // Mon 2026-10-12; as_of Thursday: Mon–Wed
    assert.equal(w.days, 3);
    assert.equal(w.partial, true);
    assert.throws(() => isoWeek("2026-W42", "2026-10-12"), /on or after the snapshot's as-of date/);
    assert.throws(() => isoWeek("2026-41", "2026-10-12"), /must look like 2026-W41/);
  });
});

describe("weekRevenue(connection, week) and atRisk(connection)", () => {
  let db: {instance: DuckDBInstance; connection: DuckDBConnection};
  before(async () => {
    db = await openDuckDB();
    await db.connection.run(`
      create table mart_revenue_daily as select * from (values
        -- week 2026-W41 is [2026-10-05, 2026-10-12); the week before [2026-09-28, 2026-10-05)
        ('2026-10-05'::date, 'c1', 'usd', 'usage_on_demand', 1000::decimal(38,9), 0::decimal(38,9)),
        ('2026-10-11'::date, 'c2', 'usd', 'usage_on_demand', 500, 0),
        ('2026-10-06'::date, 'c1', 'usd', 'usage_credit', 0, 300),
        ('2026-09-28'::date, 'c1', 'usd', 'usage_on_demand', 2000, 0),
        ('2026-10-04'::date, 'c2', 'usd', 'scheduled', 700, 0),
        ('2026-09-27'::date, 'c1', 'usd', 'usage_on_demand', 99999, 0), -- before both weeks: not counted
        ('2026-10-12'::date, 'c1', 'usd', 'usage_on_demand', 88888, 0), -- after the week: not counted
        ('2026-10-07'::date, 'c3', 'eur', 'true_up', 400, 0)
      ) as t(date, customer_id, credit_type_id, category, revenue_minor, contra_revenue_minor);
      create table mart_customers as select * from (values ('c1', 'Acme', 'Dana'), ('c2', 'Bolt', null), ('c3', 'Crux', 'Eli'))
        as t(customer_id, label, owner);
      create table mart_pacing as select * from (values
        ('c1', 'b1', 's1', 'prepaid_commit', null, 'usd', 1000::decimal(38,9), -50::decimal(38,9), 200.0, 'over', '2027-01-01'::date, '2026-10-01'::date),
        ('c2', 'b2', 's2', 'prepaid_commit', 'Pool', 'usd', 1000, 600, 95.0, 'on_track', '2027-01-01', null),
        ('c2', 'b3', 's3', 'credit', null, 'usd', 1000, 900, 40.0, 'under', '2027-01-01', null),
        ('c3', 'b4', 's4', 'prepaid_commit', null, 'eur', 1000, 100, 105.0, 'on_track', '2027-01-01', '2026-11-20')
      ) as t(customer_id, balance_id, segment_id, balance_type, balance_name, credit_type_id, amount_minor, remaining_minor, burn_rate_pct, status, end_date, projected_exhaustion_date);
    `);
  });
  after(() => {
    db.connection.closeSync();
    db.instance.closeSync();
  });

  it("sums each category's revenue and contra-revenue for the week and the week before, with a total per credit type", async () => {
    const got = await weekRevenue(db.connection, isoWeek("2026-W41", "2026-10-15"));
    assert.deepEqual(got.map((r) => [r.credit_type_id, r.category, r.revenue_minor, r.previous_revenue_minor, r.contra_revenue_minor, r.change_minor, r.change_pct]), [
      ["eur", "true_up", 400, 0, 0, 400, null],
      ["eur", null, 400, 0, 0, 400, null],
      ["usd", "scheduled", 0, 700, 0, -700, -100],
      ["usd", "usage_credit", 0, 0, 300, 0, null],
      ["usd", "usage_on_demand", 1500, 2000, 0, -500, -25],
      // 1500 against 2700: −1200, −44.44…%
      ["usd", null, 1500, 2700, 300, -1200, (-1200 / 2700) * 100]
    ]);
  });

  it("compares only the days of a partial week with the same days of the week before", async () => {
    // as_of 2026-10-07: W41 has Mon–Tue (10-05, 10-06); the week before Mon–Tue (09-28, 09-29).
    const got = await weekRevenue(db.connection, isoWeek("2026-W41", "2026-10-07"));
    assert.deepEqual(got.filter((r) => r.credit_type_id === "usd").map((r) => [r.category, r.revenue_minor, r.previous_revenue_minor, r.contra_revenue_minor]), [
      ["usage_credit", 0, 0, 300],
      ["usage_on_demand", 1000, 2000, 0],
      [null, 1000, 2000, 300]
    ]);
  });

  it("lists segments with a negative balance, projected to run out before the end, or over or under pace; not one on track", async () => {
    const got = await atRisk(db.connection);
    assert.deepEqual(got.map((r) => [r.customer_id, r.segment_id, r.owner, r.reasons, r.projected_exhaustion_date]), [
      ["c1", "s1", "Dana", ["negative_balance", "exhausts_before_end", "over"], "2026-10-01"],
      ["c3", "s4", "Eli", ["exhausts_before_end"], "2026-11-20"],
      ["c2", "s3", null, ["under"], null]
    ]);
  });
});
