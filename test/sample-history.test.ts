// The sample's history model (data-loaders/sample/history.ts): weekday factors, seasonality and events, as pure
// functions of a plan and a day; hand-computed values.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {dayNumber} from "../data-loaders/lib/dates.js";
import {eventFactor, flatHistory, patternFactor, weekdayFactors, weekdayOf} from "../data-loaders/sample/history.js";
import type {SpendPlan} from "../data-loaders/sample/model.js";

const plan = (history: SpendPlan["history"]): SpendPlan => ({from: dayNumber("2026-01-01"), to: dayNumber("2027-01-01"), daily: 100, growth: 0, noise: 0, history});

describe("weekdayOf(day)", () => {
  it("numbers Monday 0 … Sunday 6", () => {
    assert.equal(weekdayOf(dayNumber("2026-10-12")), 0); // a Monday
    assert.equal(weekdayOf(dayNumber("2026-10-18")), 6);
  });
});

describe("weekdayFactors(kind, depth, amplitude)", () => {
  it("keeps a mean of 1, with the weekend at (1 − depth) of a flat weekday for business customers", () => {
    const f = weekdayFactors("business", 0.5, 1);
    assert.ok(Math.abs(f.reduce((s, x) => s + x, 0) / 7 - 1) < 1e-12);
    // raw [1.04, 1.02, 1, 1, 0.94, 0.5, 0.5]: sum 6, mean 6/7, so Saturday = 0.5 × 7/6.
    assert.ok(Math.abs(f[5]! - 0.5 * 7 / 6) < 1e-12);
  });

  it("is flat (all 1) for a flat profile or amplitude 0", () => {
    assert.deepEqual(weekdayFactors("flat", 0.5, 1), [1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(weekdayFactors("weekend", 0.5, 0), [1, 1, 1, 1, 1, 1, 1]);
  });
});

describe("patternFactor(plan, day)", () => {
  it("bumps the last 3 days of a month and the last 10 of a quarter, and dips over the holidays", () => {
    const p = plan({...flatHistory("k"), monthEnd: 0.2, quarterEnd: 0.1, holiday: 0.3});
    assert.equal(patternFactor(p, dayNumber("2026-05-28")), 1); // 3 days left after it: not yet
    assert.equal(patternFactor(p, dayNumber("2026-05-29")), 1.2);
    assert.equal(patternFactor(p, dayNumber("2026-05-26")), 1);
    assert.ok(Math.abs(patternFactor(p, dayNumber("2026-06-30")) - 1.2 * 1.1) < 1e-12);
    assert.equal(patternFactor(p, dayNumber("2026-06-22")), 1.1); // 8 days left in the quarter after it
    assert.ok(Math.abs(patternFactor(p, dayNumber("2026-12-25")) - 0.7 * 1.1) < 1e-12);
  });
});

describe("eventFactor(plan, day)", () => {
  it("repeats spike-and-drop cycles: spikeDays × spike, dropDays × drop, then the level", () => {
    const p = plan({...flatHistory("k"), cycle: {from: dayNumber("2026-04-06"), period: 12, spikeDays: 2, spike: 3.5, dropDays: 5, drop: 0.3}});
    const at = (d: string) => eventFactor(p, dayNumber(d));
    assert.deepEqual(["2026-04-05", "2026-04-06", "2026-04-07", "2026-04-08", "2026-04-12", "2026-04-13", "2026-04-18"].map(at), [1, 3.5, 3.5, 0.3, 0.3, 1, 3.5]);
  });

  it("fades linearly to the floor over `days` days and stays there", () => {
    const p = plan({...flatHistory("k"), fade: {from: dayNumber("2026-07-15"), days: 30, floor: 0.1}});
    assert.equal(eventFactor(p, dayNumber("2026-07-14")), 1);
    assert.ok(Math.abs(eventFactor(p, dayNumber("2026-07-15")) - (1 - 0.9 / 30)) < 1e-12);
    assert.equal(eventFactor(p, dayNumber("2026-08-13")), 0.1);
    assert.equal(eventFactor(p, dayNumber("2026-10-01")), 0.1);
  });
});
