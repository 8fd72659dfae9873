// One daily series as a line over time, from zero (the overview's total daily revenue). Values in major units.
import * as Plot from "@observablehq/plot";

export interface DailyLineOptions {
  document?: Document;
  width: number;
  height?: number;
  title?: string;
  yLabel: string;
  description?: string;
  /** The line's class, for tests and styles. */
  className?: string;
}

export function dailyLine(points: {date: Date; value: number}[], {document, width, height = 240, title, yLabel, description, className}: DailyLineOptions): SVGSVGElement | HTMLElement {
  return Plot.plot({
    document, title, width, height, marginLeft: 64,
    ariaDescription: description,
    x: {type: "utc", label: "Date (UTC)"},
    y: {label: yLabel, grid: true},
    marks: [Plot.ruleY([0]), Plot.lineY(points, {x: "date", y: "value", className})]
  });
}
