import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {documentCustomer, moneySums} from "../../../src/core/documents/rows.js";
import {creditTypeMap} from "../../../src/core/format.js";

const types = creditTypeMap([
  {credit_type_id: "usd", name: "USD (cents)", currency_code: "USD", minor_per_major: 100},
  {credit_type_id: "eur", name: "EUR", currency_code: "EUR", minor_per_major: 1}
]);

describe("moneySums(rows, creditTypes)", () => {
  it("sums each credit type, in first-seen order", () => assert.equal(moneySums([["usd", 100], ["eur", 5], ["usd", 250]], types), "$3.50 + €5"));
  it("is empty for no rows", () => assert.equal(moneySums([], types), ""));
});

describe("documentCustomer(run, customerId)", () => {
  it("binds the id and names the customer by its id when it has no name", async () => {
    const seen: unknown[][] = [];
    const customer = await documentCustomer(async (_sql, params) => (seen.push(params), [{customer_id: "c1", name: null}]), "c1");
    assert.deepEqual([customer, seen], [{customer_id: "c1", name: "c1"}, [["c1"]]]);
  });
  it("refuses a customer the snapshot does not have", async () => {
    await assert.rejects(documentCustomer(async () => [], "nobody"), RangeError);
  });
});
