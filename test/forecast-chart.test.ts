// The burn chart's forecast v2 marks (src/core/charts/burnChart.ts), drawn under Node with jsdom's document.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {JSDOM} from "jsdom";
import {burnChart} from "../src/core/charts/burnChart.js";
import {utcDay} from "../src/core/periods.js";

const document = new JSDOM("").window.document;
const days = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"].map(utcDay);
const points = days.map((date, i) => ({date, actual: i < 2 ? 10 * i : null, expected: 10 * i, forecast: i >= 2 ? 15 * i : null, low: i >= 2 ? 12 * i : null, high: i >= 2 ? 18 * i : null}));

describe("burnChart(points, {exhaustion})", () => {
  it("draws the P10–P90 band where the points have one", () => {
    const svg = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD"});
    assert.equal(svg.querySelectorAll("g.mb-forecast-band path").length, 1);
  });
  it("draws no band and no exhaustion range without forecast v2's figures", () => {
    const svg = burnChart(points.map(({low, high, ...p}) => p), {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD"});
    assert.equal(svg.querySelectorAll("g.mb-forecast-band path, g.mb-exhaustion-range line").length, 0);
  });
  it("marks the exhaustion range on the commit line, to the last day when P90 is past the end", () => {
    const svg = burnChart(points, {document, width: 400, amount: 100, asOf: days[2]!, yLabel: "USD", exhaustion: {from: days[2]!, to: null}});
    assert.equal(svg.querySelectorAll("g.mb-exhaustion-range line").length, 1);
  });
});

describe("accuracyChart(rows, options)", () => {
  it("draws one bar per method and horizon with a WAPE", async () => {
    const {accuracyChart} = await import("../src/core/charts/accuracyChart.js");
    const rows = [{method: "baseline", horizon: "30d", wape_pct: 11.4}, {method: "v2", horizon: "30d", wape_pct: 8.2}, {method: "v2", horizon: "end", wape_pct: null}];
    const svg = accuracyChart(rows, {document, width: 400});
    assert.equal(svg.querySelectorAll("g[aria-label=bar] rect").length, 2);
  });
});
