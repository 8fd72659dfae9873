import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {commitmentName, PACE_WORDS, STATUS_LABELS} from "../../src/core/vocabulary.js";

describe("commitmentName(balance)", () => {
  it("is the balance's own name when it has one", () => assert.equal(commitmentName({balance_name: "Startup Program", balance_type: "credit"}), "Startup Program"));
  it("names a prepaid commit by its kind", () => assert.equal(commitmentName({balance_name: null, balance_type: "prepaid"}), "Prepaid commitment"));
  it("names a credit a credit", () => assert.equal(commitmentName({balance_name: null, balance_type: "credit"}), "Credit"));
  it("falls back to Commitment for an unknown kind", () => assert.equal(commitmentName({balance_name: null, balance_type: "other"}), "Commitment"));
});

describe("PACE_WORDS", () => {
  it("has customer words for every pace status the site labels", () => assert.deepEqual(Object.keys(PACE_WORDS).sort(), Object.keys(STATUS_LABELS).sort()));
});
