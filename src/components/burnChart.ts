// Commit burn curve for one segment: expected straight-line pace, actual cumulative burn to as_of, the baseline
// forecast (dashed) to the segment's end, the commit amount, and an as-of marker. Money in major units.
import * as Plot from "@observablehq/plot";
import {toMajor, type CreditType} from "./format.js";

export interface BurnDay {
  date: Date;
  cumulative_burn_minor: number | null;
  expected_cumulative_minor: number | null;
  forecast_cumulative_minor: number | null;
}

export interface BurnChartOptions {
  width: number;
  height?: number;
  amountMinor: number;
  asOf: Date;
  creditType: CreditType | undefined;
  title?: string;
}

export function burnChart(days: BurnDay[], {width, height = 320, amountMinor, asOf, creditType, title = "Commit burn"}: BurnChartOptions): SVGSVGElement | HTMLElement {
  const major = (v: number | null) => (v === null ? null : toMajor(v, creditType));
  const unit = creditType?.currency_code ?? creditType?.name ?? "";
  const points = (key: keyof BurnDay, series: string) =>
    days.filter((d) => d[key] !== null).map((d) => ({date: d.date, value: major(d[key] as number), series}));
  const actual = points("cumulative_burn_minor", "Actual");
  const expected = points("expected_cumulative_minor", "Expected pace");
  // The forecast continues from the last actual point so the dashed line joins the solid one.
  const forecast = [...actual.slice(-1).map((p) => ({...p, series: "Forecast"})), ...points("forecast_cumulative_minor", "Forecast")];
  const amount = major(amountMinor)!;
  return Plot.plot({
    title,
    width,
    height,
    marginLeft: 64,
    ariaDescription: `Cumulative burn against the straight-line pace to the commit of ${amount} ${unit}, with the baseline forecast after the as-of date.`,
    x: {type: "utc", label: "Date (UTC)"},
    y: {label: `Cumulative burn (${unit})`, grid: true, nice: true, domain: [0, Math.max(amount, ...actual.map((p) => p.value!), ...forecast.map((p) => p.value!)) * 1.05]},
    color: {domain: ["Expected pace", "Actual", "Forecast"], range: ["var(--theme-foreground-muted)", "var(--theme-foreground-focus)", "var(--theme-foreground-focus)"], legend: true},
    marks: [
      Plot.ruleY([amount], {stroke: "currentColor", strokeOpacity: 0.5, className: "mb-commit-amount"}),
      Plot.text([amount], {y: (d: number) => d, frameAnchor: "left", dy: -6, text: () => "Commit", fill: "currentColor", fillOpacity: 0.7}),
      Plot.ruleX([asOf], {stroke: "currentColor", strokeDasharray: "2,3", className: "mb-as-of"}),
      Plot.text([asOf], {x: (d: Date) => d, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start", text: () => "as of", fill: "currentColor"}),
      Plot.line(expected, {x: "date", y: "value", stroke: "series", strokeWidth: 1.5, className: "mb-expected"}),
      Plot.line(forecast, {x: "date", y: "value", stroke: "series", strokeDasharray: "5,4", strokeWidth: 2, className: "mb-forecast"}),
      Plot.line(actual, {x: "date", y: "value", stroke: "series", strokeWidth: 2.5, className: "mb-actual"}),
      Plot.tip(actual, Plot.pointerX({x: "date", y: "value", title: (d: {date: Date; value: number}) => `${d.date.toISOString().slice(0, 10)}\n${d.value.toLocaleString("en-US", {maximumFractionDigits: 2})} ${unit}`}))
    ]
  });
}
