// A series by category (product or customer) stacked over time: daily areas on the revenue page, weekly bars in
// the QBR deck. Values in one currency's major units.
import * as Plot from "@observablehq/plot";

export interface SeriesPoint {
  date: Date;
  series: string;
  value: number;
}

export interface StackedSeriesOptions {
  document?: Document;
  width: number;
  height?: number;
  title?: string;
  yLabel: string;
  ariaLabel?: string;
  description?: string;
  /** Areas by day with a legend and a tip (pages), bars by UTC month with both (pages), or bars by week from Monday (documents). */
  mark?: "area" | "monthly-bar" | "weekly-bar";
  /** Fixed colours by series, in stacking order; the tableau10 scheme otherwise. */
  colors?: Map<string, string>;
  /** The x domain, when it must be the whole period rather than the data's extent. */
  domain?: [Date, Date];
}

export function stackedSeries(points: SeriesPoint[], {document, width, height = 320, title, yLabel, ariaLabel, description, mark = "area", colors, domain}: StackedSeriesOptions): SVGSVGElement | HTMLElement {
  const order = colors ? [...colors.keys()] : undefined;
  const color = colors ? {domain: order, range: order!.map((d) => colors.get(d)!)} : {legend: true, scheme: "tableau10" as const};
  if (mark === "weekly-bar") {
    return Plot.plot({
      document, title, width, height, marginLeft: 64, marginBottom: 28, marginTop: 16,
      ariaLabel, ariaDescription: description,
      style: {fontSize: "11px", background: "transparent"},
      x: {type: "utc", domain, label: null, ticks: 6},
      y: {label: yLabel, grid: true, nice: true, tickFormat: "~s"},
      color,
      marks: [Plot.rectY(points, {x: "date", y: "value", fill: "series", interval: "monday", inset: 1, order, clip: true, className: "mb-series"}), Plot.ruleY([0])]
    });
  }
  if (mark === "monthly-bar") {
    return Plot.plot({
      document, title, width, height, marginLeft: 64,
      ariaLabel, ariaDescription: description,
      x: {type: "utc", domain, label: null, ticks: "month", tickFormat: "%b %Y"},
      y: {label: yLabel, grid: true},
      color,
      marks: [
        Plot.rectY(points, {x: "date", y: "value", fill: "series", interval: "month", inset: 2, order: order ?? "sum", reverse: !order, className: "mb-series", tip: {format: {x: (d: Date) => d.toISOString().slice(0, 7)}}}),
        Plot.ruleY([0])
      ]
    });
  }
  return Plot.plot({
    document, title, width, height, marginLeft: 64,
    ariaLabel, ariaDescription: description,
    x: {type: "utc", domain, label: "Date (UTC)"},
    y: {label: yLabel, grid: true},
    color,
    marks: [
      Plot.areaY(points, {x: "date", y: "value", fill: "series", interval: "day", order: order ?? "sum", reverse: !order, className: "mb-series"}),
      Plot.ruleY([0]),
      Plot.tip(points, Plot.pointerX(Plot.stackY({x: "date", y: "value", fill: "series", order: order ?? "sum", reverse: !order, interval: "day"})))
    ]
  });
}
