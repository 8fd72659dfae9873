// Spend against the remaining commit: the falling balance (amount − cumulative burn) above, daily spend below, on
// one time axis — the range shown, so both panels line up with the burn chart above them. Money in major units.
import * as Plot from "@observablehq/plot";

export interface SpendDay {
  date: Date;
  /** The day's spend from the commit; null after as_of. */
  spend: number | null;
  /** What is left of the commit after the day; null after as_of. */
  remaining: number | null;
}

export interface SpendChartOptions {
  document?: Document;
  width: number;
  /** The time axis, shared with the page's other charts: [first day, day after the last] of the range shown. */
  domain: [Date, Date];
  unit: string;
  marginLeft?: number;
}

export function spendChart(days: SpendDay[], {document, width, domain, unit, marginLeft = 64}: SpendChartOptions): HTMLElement {
  const doc = document ?? globalThis.document;
  const past = days.filter((d) => d.remaining !== null);
  const remaining = past.map((d) => ({date: d.date, value: d.remaining!}));
  const spend = past.map((d) => ({date: d.date, value: d.spend ?? 0}));
  const x = {type: "utc" as const, label: "Date (UTC)", domain};
  // A div, not a figure: each plot is a titled figure already, and a figure in a figure is drawn narrower.
  const panels = doc.createElement("div");
  panels.className = "mb-spend";
  panels.append(
    Plot.plot({
      document: doc, title: "Remaining commit", width, height: 180, marginLeft, marginRight: 16,
      ariaDescription: "Commit balance remaining after each day's spend.",
      x: {...x, axis: null},
      y: {label: `Remaining (${unit})`, grid: true},
      marks: [Plot.ruleY([0]), Plot.areaY(remaining, {x: "date", y: "value", fillOpacity: 0.2, className: "mb-remaining-area"}), Plot.lineY(remaining, {x: "date", y: "value", className: "mb-remaining"})]
    }),
    Plot.plot({
      document: doc, title: "Daily spend from the commit", width, height: 140, marginLeft, marginRight: 16,
      ariaDescription: "Spend drawn from the commit each day.",
      x,
      y: {label: `Spend (${unit}/day)`, grid: true},
      marks: [Plot.ruleY([0]), Plot.rectY(spend, {x: "date", y: "value", interval: "day", className: "mb-daily-spend"}), Plot.tip(spend, Plot.pointerX({x: "date", y: "value"}))]
    })
  );
  return panels;
}
