import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {esc} from "../../src/core/escape.js";

describe("esc(value)", () => {
  it("escapes markup and both quotes", () => assert.equal(esc(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"));
  it("shows null and undefined as nothing", () => assert.deepEqual([esc(null), esc(undefined)], ["", ""]));
  it("writes numbers as text", () => assert.equal(esc(0), "0"));
});
