import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {creditTypeMap, isoDate, money, percent} from "../../src/core/format.js";

const types = creditTypeMap([
  {credit_type_id: "usd", name: "USD (cents)", currency_code: "USD", minor_per_major: 100},
  {credit_type_id: "eur", name: "EUR", currency_code: "EUR", minor_per_major: 1},
  {credit_type_id: "cpu", name: "GPU credits", currency_code: null, minor_per_major: 1}
]);

describe("money(minor, creditTypeId, creditTypes)", () => {
  it("shows USD cents as dollars", () => assert.equal(money(123456, "usd", types), "$1,234.56"));
  it("shows fractional cents rounded to the cent", () => assert.equal(money(0.8, "usd", types), "$0.01"));
  it("shows EUR whole units as euros, not divided by 100", () => assert.equal(money(1500, "eur", types), "€1,500"));
  it("shows negative balances with a sign", () => assert.equal(money(-2500, "usd", types), "-$25.00"));
  it("names a custom pricing unit", () => assert.equal(money(12.5, "cpu", types), "12.5 GPU credits"));
  it("shows nothing as an en dash", () => assert.equal(money(null, "usd", types), "–"));
  it("compacts large amounts", () => assert.equal(money(1_234_567_00, "usd", types, {compact: true}), "$1.2M"));
});

describe("percent(value) and isoDate(value)", () => {
  it("one decimal", () => assert.equal(percent(84.349), "84.3%"));
  it("null is an en dash", () => assert.equal(percent(null), "–"));
  it("dates are UTC", () => assert.equal(isoDate(new Date("2026-10-14T23:30:00Z")), "2026-10-14"));
});
