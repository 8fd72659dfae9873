// Cost per unit of one product by UTC day, in one currency's major units: a line through the days with usage, a
// dot where a day's cost had no usage to divide by (shown at the axis, since its cost per unit is undefined).
import * as Plot from "@observablehq/plot";

export interface UnitCostPoint {
  date: Date;
  /** Major units per unit of usage; null when the day had cost but no usage. */
  value: number | null;
}

export function unitCostChart(points: UnitCostPoint[], {document, width, height = 300, title, yLabel, description}: {document?: Document; width: number; height?: number; title: string; yLabel: string; description: string}): SVGSVGElement | HTMLElement {
  const defined = points.filter((d) => d.value !== null);
  const undefinedDays = points.filter((d) => d.value === null);
  return Plot.plot({
    document,
    title,
    width,
    height,
    marginLeft: 80,
    ariaDescription: description,
    x: {type: "utc", label: "Date (UTC)"},
    y: {label: yLabel, grid: true, zero: true, tickFormat: "~g"},
    marks: [
      Plot.lineY(defined, {x: "date", y: "value", stroke: "var(--theme-foreground-focus)", className: "mb-unit-cost"}),
      Plot.dot(undefinedDays, {x: "date", y: 0, symbol: "times", stroke: "var(--mb-over)", title: () => "Cost but no usage: no cost per unit"}),
      Plot.ruleY([0]),
      Plot.tip(defined, Plot.pointerX({x: "date", y: "value"}))
    ]
  });
}
