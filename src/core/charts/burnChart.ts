// Cumulative use of one commit segment: the even pace to the commit amount, actual use to as_of, the baseline
// forecast (dashed) from the last actual day to the segment's end, and an as-of marker. Money in major units.
// With forecast v2's figures (optional), its P10–P90 band of cumulative burn from as_of and, on the commit line, the
// range of dates between which it is likely to be exhausted (P10 to P90 of the exhaustion date).
// The customer page draws it with a legend and a tip in the theme's colours; documents draw it into fixed SVG with
// their branding's colours (`document` is jsdom's at build time).
import * as Plot from "@observablehq/plot";

export interface BurnPoint {
  date: Date;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
  /** Forecast v2's P10 and P90 of cumulative burn (burn_daily.forecast_p10/p90_cumulative_minor), from as_of on. */
  low?: number | null;
  high?: number | null;
}

export interface BurnChartOptions {
  document?: Document;
  width: number;
  height?: number;
  /** The commit amount, major units. */
  amount: number;
  asOf: Date;
  /** The time axis, when shared with other charts (the customer page's range); the points' extent otherwise. */
  domain?: [Date, Date];
  /** To line the frame up with the charts below it; 64 px otherwise. */
  marginLeft?: number;
  yLabel: string;
  /** Shown above the chart; documents leave it out. */
  title?: string;
  ariaLabel?: string;
  colors?: {actual: string; expected: string; forecast: string};
  /** Forecast v2's exhaustion dates, P10 and P90 (pacing.forecast_exhaustion_p10/p90_date); a null end: not before the segment ends. */
  exhaustion?: {from: Date; to: Date | null} | null;
  /** Page extras: the legend, the "as of" word, a tip on the actual line, an x-axis label. */
  interactive?: boolean;
}

const THEME = {actual: "var(--theme-foreground-focus)", expected: "var(--theme-foreground-muted)", forecast: "var(--theme-foreground-focus)"};
const SERIES = ["Expected pace", "Actual", "Forecast"];

export function burnChart(points: BurnPoint[], {document, width, height = 320, amount, asOf, domain, marginLeft = 64, yLabel, title, ariaLabel, colors = THEME, exhaustion = null, interactive = false}: BurnChartOptions): SVGSVGElement | HTMLElement {
  const series = (key: "actual" | "expected" | "forecast", name: string) => points.filter((p) => p[key] !== null).map((p) => ({date: p.date, value: p[key]!, series: name}));
  const actual = series("actual", "Actual");
  const expected = series("expected", "Expected pace");
  // The forecast continues from the last actual point so the dashed line joins the solid one.
  const forecast = [...actual.slice(-1).map((p) => ({...p, series: "Forecast"})), ...series("forecast", "Forecast")];
  // A chosen range may end before the forecast does: lines stop at the frame.
  const clip = domain ? true : undefined;
  const band = points.filter((p) => p.low !== null && p.low !== undefined && p.high !== null && p.high !== undefined);
  const lastDay = points.at(-1)?.date;
  const top = Math.max(amount, ...actual.map((p) => p.value), ...forecast.map((p) => p.value), ...band.map((p) => p.high!)) * 1.05;
  return Plot.plot({
    document, title, width, height, marginLeft, marginTop: 20, marginRight: 16, marginBottom: interactive ? 36 : 28,
    ariaLabel,
    ariaDescription: interactive ? `Cumulative use against the even pace to the commit of ${amount}, with the baseline forecast after the as-of date${band.length ? " and the P10–P90 band of forecast v2" : ""}${exhaustion ? ", and the range of dates it is likely to be exhausted" : ""}.` : undefined,
    style: interactive ? undefined : {fontSize: "11px", background: "transparent"},
    x: {type: "utc", domain, label: interactive ? "Date (UTC)" : null, ticks: 6},
    y: {label: yLabel, grid: true, domain: [0, top || 1], nice: true, tickFormat: "~s"},
    color: {domain: SERIES, range: [colors.expected, colors.actual, colors.forecast], legend: interactive},
    marks: [
      Plot.ruleY([amount], {stroke: "#888", className: "mb-commit-amount"}),
      Plot.text([amount], {y: (d: number) => d, frameAnchor: "left", dx: 4, dy: -7, text: () => "Commit", fill: "#555"}),
      Plot.ruleX([asOf], {stroke: "#888", strokeDasharray: "2,3", className: "mb-as-of"}),
      // The word sits on the side of the rule with room for it: left of it in the right half of the frame.
      interactive && inDomain(asOf, domain) ? Plot.text([asOf], {x: (d: Date) => d, frameAnchor: "top", dy: 4, ...(pastMiddle(asOf, domain, points) ? {dx: -4, textAnchor: "end"} : {dx: 4, textAnchor: "start"}), text: () => "as of", fill: "currentColor"}) : null,
      band.length ? Plot.areaY(band, {x: "date", y1: "low", y2: "high", fill: colors.forecast, fillOpacity: 0.15, className: "mb-forecast-band", clip}) : null,
      exhaustion && lastDay ? Plot.ruleY([amount], {x1: exhaustion.from, x2: exhaustion.to ?? lastDay, stroke: colors.forecast, strokeWidth: 6, strokeOpacity: 0.5, className: "mb-exhaustion-range", clip}) : null,
      Plot.line(expected, {x: "date", y: "value", stroke: "series", strokeWidth: 1.5, className: "mb-expected", clip}),
      Plot.line(forecast, {x: "date", y: "value", stroke: "series", strokeDasharray: "5,4", strokeWidth: 2, className: "mb-forecast", clip}),
      Plot.line(actual, {x: "date", y: "value", stroke: "series", strokeWidth: 2.5, className: "mb-actual", clip}),
      interactive ? Plot.tip(actual, Plot.pointerX({x: "date", y: "value", title: (d: {date: Date; value: number}) => `${d.date.toISOString().slice(0, 10)}\n${d.value.toLocaleString("en-US", {maximumFractionDigits: 2})}`})) : null
    ]
  });
}

function inDomain(date: Date, domain: [Date, Date] | undefined): boolean {
  return !domain || (+date >= +domain[0] && +date <= +domain[1]);
}

function pastMiddle(date: Date, domain: [Date, Date] | undefined, points: BurnPoint[]): boolean {
  const [start, end] = domain ?? [points[0]?.date, points.at(-1)?.date];
  return start !== undefined && end !== undefined && +date > (+start + +end) / 2;
}
