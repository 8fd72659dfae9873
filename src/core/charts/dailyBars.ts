// Bars of one series over [start, end), one per day (or per week from Monday): a product's usage in a document.
import * as Plot from "@observablehq/plot";
import {utcDay} from "../periods.js";

export interface DailyBarsOptions {
  document?: Document;
  width: number;
  height: number;
  /** ISO dates, [start, end). */
  start: string;
  end: string;
  color: string;
  ariaLabel: string;
  interval?: "day" | "monday";
}

export function dailyBars(days: {date: string; value: number}[], {document, width, height, start, end, color, ariaLabel, interval = "day"}: DailyBarsOptions): SVGSVGElement | HTMLElement {
  return Plot.plot({
    document, width, height, marginLeft: 56, marginBottom: 24, marginTop: 8,
    ariaLabel,
    style: {fontSize: "10px", background: "transparent"},
    x: {type: "utc", domain: [utcDay(start), utcDay(end)], label: null, ticks: 5},
    y: {label: null, grid: true, ticks: 3, nice: true, tickFormat: "~s"},
    marks: [Plot.rectY(days, {x: (d) => utcDay(d.date), y: "value", interval, fill: color, inset: 0.5, clip: true}), Plot.ruleY([0])]
  });
}
