// Charts for customer-facing documents (monthly reports, QBR decks), drawn once into SVG markup: Plot is handed a
// `document` (jsdom's at build time in Node, the page's in the browser), so the result needs no script to show and
// prints at a fixed size. Colours are explicit (no theme variables: the documents carry their own branding).
import * as Plot from "@observablehq/plot";

/** A product's colour: a fixed palette, assigned in the order products are listed so every chart agrees. */
export const PALETTE = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"];

export function paletteFor(names: string[]): Map<string, string> {
  return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
}

export interface ChartContext {
  document: Document;
  width: number;
  height: number;
}

function markup(node: Element): string {
  return node.outerHTML;
}

export function utcDay(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/** Bars of one series over [start, end), one per day (or week) — a product's usage per day. */
export function dailyBars(days: {date: string; value: number}[], {document, width, height, start, end, color, label, interval = "day"}: ChartContext & {start: string; end: string; color: string; label: string; interval?: "day" | "monday"}): string {
  return markup(Plot.plot({
    document, width, height, marginLeft: 56, marginBottom: 24, marginTop: 8,
    ariaLabel: label,
    style: {fontSize: "10px", background: "transparent"},
    x: {type: "utc", domain: [utcDay(start), utcDay(end)], label: null, ticks: 5},
    y: {label: null, grid: true, ticks: 3, nice: true, tickFormat: "~s"},
    marks: [Plot.rectY(days, {x: (d) => utcDay(d.date), y: "value", interval, fill: color, inset: 0.5, clip: true}), Plot.ruleY([0])]
  }) as Element);
}

/** Horizontal bars, largest first, with each bar's formatted value beside it. */
export function hbars(rows: {label: string; value: number; text: string; color: string}[], {document, width, label}: Omit<ChartContext, "height"> & {label: string}): string {
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  return markup(Plot.plot({
    document, width, height: Math.max(60, rows.length * 24 + 28),
    marginLeft: Math.min(220, 10 + 6.5 * longest), marginRight: 100, marginBottom: 24,
    ariaLabel: label,
    style: {fontSize: "11px", background: "transparent"},
    x: {label: null, grid: true, ticks: 4, tickFormat: "~s"},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "value", y: "label", fill: (r) => r.color}),
      Plot.text(rows, {x: "value", y: "label", text: "text", textAnchor: "start", dx: 4}),
      Plot.ruleX([0])
    ]
  }) as Element);
}

/** Weekly stacked bars by product (spend or usage), in the products' palette colours. */
export function stackedWeeks(rows: {week: string; product: string; value: number}[], {document, width, height, colors, start, end, label, yLabel}: ChartContext & {colors: Map<string, string>; start: string; end: string; label: string; yLabel: string}): string {
  const domain = [...colors.keys()];
  return markup(Plot.plot({
    document, width, height, marginLeft: 64, marginBottom: 28, marginTop: 16,
    ariaLabel: label,
    style: {fontSize: "11px", background: "transparent"},
    x: {type: "utc", domain: [utcDay(start), utcDay(end)], label: null, ticks: 6},
    y: {label: yLabel, grid: true, nice: true, tickFormat: "~s"},
    color: {domain, range: domain.map((d) => colors.get(d)!)},
    marks: [Plot.rectY(rows, {x: (d) => utcDay(d.week), y: "value", fill: "product", interval: "monday", inset: 1, order: domain, clip: true}), Plot.ruleY([0])]
  }) as Element);
}

export interface BurnPoint {
  date: string;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
}

/** Cumulative use of a commit: actual to date, the even pace, the forecast to the end, the commit amount. */
export function commitCurve(points: BurnPoint[], {document, width, height, amount, asOf, primary, accent, label, yLabel}: ChartContext & {amount: number; asOf: string; primary: string; accent: string; label: string; yLabel: string}): string {
  const series = (key: "actual" | "expected" | "forecast") => points.filter((p) => p[key] !== null).map((p) => ({date: utcDay(p.date), value: p[key]!}));
  const actual = series("actual");
  const forecast = [...actual.slice(-1), ...series("forecast")];
  const top = Math.max(amount, ...actual.map((p) => p.value), ...forecast.map((p) => p.value)) * 1.05;
  return markup(Plot.plot({
    document, width, height, marginLeft: 64, marginBottom: 28, marginTop: 20, marginRight: 16,
    ariaLabel: label,
    style: {fontSize: "11px", background: "transparent"},
    x: {type: "utc", label: null, ticks: 6},
    y: {label: yLabel, grid: true, domain: [0, top || 1], nice: true, tickFormat: "~s"},
    marks: [
      Plot.ruleY([amount], {stroke: "#888", strokeDasharray: "1,0"}),
      Plot.text([amount], {y: (d: number) => d, frameAnchor: "left", dx: 4, dy: -7, text: () => "Commit", fill: "#555"}),
      Plot.ruleX([utcDay(asOf)], {stroke: "#888", strokeDasharray: "2,3"}),
      Plot.line(series("expected"), {x: "date", y: "value", stroke: "#9498a0", strokeWidth: 1.5}),
      Plot.line(forecast, {x: "date", y: "value", stroke: accent, strokeWidth: 2, strokeDasharray: "5,4"}),
      Plot.line(actual, {x: "date", y: "value", stroke: primary, strokeWidth: 2.5})
    ]
  }) as Element);
}
