import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {brandVariables, logoHtml, safeColor, type DocBranding} from "../../../src/core/documents/branding.js";

const brand: DocBranding = {companyName: `Acme <"&">`, logo: null, primaryColor: "#123456", accentColor: "rgb(1, 2, 3)", footer: ""};

describe("safeColor(value, fallback)", () => {
  it("keeps hex, names and rgb()", () => assert.deepEqual(["#abc", "teal", "rgba(1, 2, 3, .5)"].map((c) => safeColor(c, "x")), ["#abc", "teal", "rgba(1, 2, 3, .5)"]));
  it("refuses anything that could close the rule", () => assert.equal(safeColor("red; } body { display: none", "#000"), "#000"));
});

describe("brandVariables(branding, selector)", () => {
  it("declares --primary and --accent on :root", () => assert.equal(brandVariables(brand), ":root { --primary: #123456; --accent: rgb(1, 2, 3); }"));
});

describe("logoHtml(branding)", () => {
  it("writes the escaped company name where there is no logo", () => assert.equal(logoHtml(brand), `<span class="logo-text">Acme &lt;&quot;&amp;&quot;&gt;</span>`));
  it("writes the logo as an image named after the company", () => assert.match(logoHtml({...brand, logo: "data:image/png;base64,AA"}), /^<img class="logo" src="data:image\/png;base64,AA" alt="Acme &lt;/));
});
