// Daily series by category (product or customer) as stacked areas, in one currency's major units.
import * as Plot from "@observablehq/plot";

export interface SeriesPoint {
  date: Date;
  series: string;
  value: number;
}

export function stackedSeries(points: SeriesPoint[], {width, height = 320, title, yLabel, description}: {width: number; height?: number; title: string; yLabel: string; description: string}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 64,
    ariaDescription: description,
    x: {type: "utc", label: "Date (UTC)"},
    y: {label: yLabel, grid: true},
    color: {legend: true, scheme: "tableau10"},
    marks: [
      Plot.areaY(points, {x: "date", y: "value", fill: "series", interval: "day", order: "sum", reverse: true, className: "mb-series"}),
      Plot.ruleY([0]),
      Plot.tip(points, Plot.pointerX(Plot.stackY({x: "date", y: "value", fill: "series", order: "sum", reverse: true, interval: "day"})))
    ]
  });
}

/** Horizontal bars in the order given: label → value, with a formatted value at the end of each bar. */
export function barList(rows: {label: string; value: number; text: string}[], {width, title, xLabel, description}: {width: number; title: string; xLabel: string; description: string}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    title,
    width,
    height: Math.max(80, rows.length * 26 + 40),
    marginLeft: Math.min(220, 8 + 7 * Math.max(4, ...rows.map((r) => r.label.length))),
    marginRight: 90,
    ariaDescription: description,
    x: {label: xLabel, grid: true},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "value", y: "label", fill: "var(--theme-foreground-focus)", className: "mb-bars"}),
      // A negative bar's value is written right of zero, clear of the bar and of the labels on the left.
      Plot.text(rows, {x: (d) => Math.max(0, d.value), y: "label", text: "text", textAnchor: "start", dx: 4}),
      Plot.ruleX([0])
    ]
  });
}
