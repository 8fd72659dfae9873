// The shared charts drawn under Node with jsdom's document, as the documents draw them at build time.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {JSDOM} from "jsdom";
import {barList} from "../../../src/core/charts/barList.js";
import {burnChart} from "../../../src/core/charts/burnChart.js";
import {spendChart} from "../../../src/core/charts/spendChart.js";
import {labelWidth, usageByProduct} from "../../../src/core/charts/usageByProduct.js";
import {utcDay} from "../../../src/core/periods.js";

const document = new JSDOM("").window.document;
type Scaled = Element & {scale(name: string): {domain: unknown[]; range: number[]}};
const days = ["2026-10-01", "2026-10-02", "2026-10-03"].map(utcDay);

describe("burnChart(points, options)", () => {
  const points = days.map((date, i) => ({date, actual: i < 2 ? 10 * i : null, expected: 10 * i, forecast: i >= 2 ? 15 : null}));
  it("draws the actual, expected and forecast lines", () => {
    const svg = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD"});
    assert.deepEqual(["mb-actual", "mb-expected", "mb-forecast"].map((c) => svg.querySelectorAll(`g.${c} path`).length), [1, 1, 1]);
  });
  it("draws a document's chart as bare SVG, without the page's legend or title", () => {
    const svg = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD"});
    assert.equal(svg.tagName.toLowerCase(), "svg");
  });
  it("adds the legend and title on the page", () => {
    const figure = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD", title: "Burn", interactive: true});
    assert.equal(figure.tagName.toLowerCase(), "figure");
  });
  it("takes the time axis it is given", () => {
    const domain: [Date, Date] = [utcDay("2026-09-01"), utcDay("2026-11-01")];
    const svg = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD", domain}) as unknown as Scaled;
    assert.deepEqual(svg.scale("x").domain, domain);
  });
});

describe("spendChart(days, options)", () => {
  it("puts both panels on the time axis it is given", () => {
    const domain: [Date, Date] = [utcDay("2026-10-01"), utcDay("2026-10-04")];
    const panels = spendChart(days.map((date) => ({date, spend: 1, remaining: 9})), {document, width: 400, domain, unit: "USD"});
    const plots = [...panels.querySelectorAll("figure")] as unknown as Scaled[];
    assert.deepEqual(plots.map((p) => p.scale("x").domain), [domain, domain]);
  });
});

describe("usageByProduct(usage, options)", () => {
  it("leaves room left of the rows for the longest product name", () => {
    const name = "Embeddings (tokens) for a long product";
    const figure = usageByProduct(days.map((date) => ({date, product: name, quantity: 1})), {document, width: 640}) as unknown as Scaled;
    assert.ok(figure.scale("x").range[0]! >= labelWidth(name));
  });
});

describe("barList(rows, options)", () => {
  it("draws one bar per row, in the order given", () => {
    const svg = barList([{label: "b", value: 2, text: "2"}, {label: "a", value: 1, text: "1"}], {document, width: 300, compact: true}) as unknown as Scaled;
    assert.deepEqual(svg.scale("y").domain, ["b", "a"]);
  });
});
