import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {addDays, daysBetween, lastQuarter, monthPeriod, previousQuarter, quarterPeriod} from "../../src/core/periods.js";

describe("monthPeriod(month, asOf)", () => {
  it("is [first day, first day of next month), whole when as_of is after it", () => {
    assert.deepEqual(monthPeriod("2026-09", "2026-10-15"), {label: "September 2026", start: "2026-09-01", end: "2026-10-01", to: "2026-10-01", asOf: "2026-10-15", partial: false});
  });
  it("rolls December over the year", () => assert.equal(monthPeriod("2025-12", "2026-10-15").end, "2026-01-01"));
  it("ends a leap February on 1 March", () => assert.equal(monthPeriod("2024-02", "2026-10-15").end, "2024-03-01"));
  it("is to date, as_of exclusive, when as_of falls in it", () => {
    assert.deepEqual([monthPeriod("2026-10", "2026-10-15").to, monthPeriod("2026-10", "2026-10-15").partial], ["2026-10-15", true]);
  });
  it("refuses a month starting on as_of: there is no data for it", () => assert.throws(() => monthPeriod("2026-11", "2026-11-01"), /no data/));
  it("refuses a month that is not YYYY-MM", () => assert.throws(() => monthPeriod("2026-13", "2026-10-15"), /2026-09/));
});

describe("quarterPeriod(quarter, asOf)", () => {
  it("is three months", () => {
    assert.deepEqual([quarterPeriod("2026-Q3", "2026-10-15").start, quarterPeriod("2026-Q3", "2026-10-15").end], ["2026-07-01", "2026-10-01"]);
  });
  it("rolls Q4 over the year", () => assert.equal(quarterPeriod("2026-Q4", "2027-02-01").end, "2027-01-01"));
  it("refuses a quarter that is not YYYY-Qn", () => assert.throws(() => quarterPeriod("2026-Q5", "2027-02-01"), /2026-Q3/));
});

describe("lastQuarter(asOf)", () => {
  it("is the last quarter ended by as_of", () => assert.deepEqual([lastQuarter("2026-10-15"), lastQuarter("2026-10-01")], ["2026-Q3", "2026-Q3"]));
  it("is the previous year's Q4 in the first quarter", () => assert.equal(lastQuarter("2026-03-31"), "2025-Q4"));
});

describe("previousQuarter(quarter)", () => {
  it("steps back one quarter", () => assert.equal(previousQuarter("2026-Q3"), "2026-Q2"));
  it("steps from Q1 to the previous year's Q4", () => assert.equal(previousQuarter("2026-Q1"), "2025-Q4"));
});

describe("addDays(iso, n)", () => {
  it("crosses a month end", () => assert.equal(addDays("2026-09-30", 1), "2026-10-01"));
  it("lands on a leap day", () => assert.equal(addDays("2024-03-01", -1), "2024-02-29"));
});

describe("daysBetween(from, to)", () => {
  it("counts whole days", () => assert.equal(daysBetween("2026-09-01", "2026-10-01"), 30));
  it("is negative when to is earlier", () => assert.equal(daysBetween("2026-10-01", "2026-09-30"), -1));
});
