// Forecast accuracy by horizon (the /forecast page): each method's WAPE as bars grouped by horizon, from
// forecast_accuracy's rows of one slice. Pure: rows and sizes in, an element out.
import * as Plot from "@observablehq/plot";

export interface AccuracyPoint {
  method: string;
  horizon: string;
  wape_pct: number | null;
}

export const HORIZON_ORDER = ["7d", "30d", "90d", "end"];

export function accuracyChart(rows: AccuracyPoint[], {document, width, height = 240, methodLabels = {}}: {document?: Document; width: number; height?: number; methodLabels?: Record<string, string>}): SVGSVGElement | HTMLElement {
  const methods = [...new Set(rows.map((r) => r.method))].sort();
  return Plot.plot({
    document, width, height, marginLeft: 56, marginBottom: 36,
    ariaLabel: "WAPE by horizon and method",
    fx: {domain: HORIZON_ORDER.filter((h) => rows.some((r) => r.horizon === h)), label: "Horizon"},
    x: {axis: null, domain: methods},
    y: {label: "WAPE (%)", grid: true},
    color: {legend: true, domain: methods, tickFormat: (m: string) => methodLabels[m] ?? m},
    marks: [
      Plot.barY(rows.filter((r) => r.wape_pct !== null), {fx: "horizon", x: "method", y: "wape_pct", fill: "method", tip: true, className: "mb-accuracy"}),
      Plot.ruleY([0])
    ]
  });
}
