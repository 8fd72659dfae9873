// Horizontal bars in the order given (largest first, say): label → value, with each bar's formatted value beside
// it. The left margin fits the longest label, up to 220 px.
import * as Plot from "@observablehq/plot";

export interface Bar {
  label: string;
  value: number;
  text: string;
  /** A bar's own colour (documents: the product's palette colour); the theme's focus colour otherwise. */
  color?: string;
}

export interface BarListOptions {
  document?: Document;
  width: number;
  title?: string;
  xLabel?: string | null;
  ariaLabel?: string;
  description?: string;
  /** Documents: small type on a transparent ground. */
  compact?: boolean;
}

export function barList(rows: Bar[], {document, width, title, xLabel = null, ariaLabel, description, compact = false}: BarListOptions): SVGSVGElement | HTMLElement {
  const longest = Math.max(4, ...rows.map((r) => r.label.length));
  // The value written right of the longest bar needs room in the right margin (about 6.2 px a character at 10 px).
  const longestText = Math.max(0, ...rows.map((r) => r.text.length));
  return Plot.plot({
    document, title, width,
    height: compact ? Math.max(60, rows.length * 24 + 28) : Math.max(80, rows.length * 26 + 40),
    marginLeft: compact ? Math.min(220, 10 + 6.5 * longest) : Math.min(220, 8 + 7 * longest),
    marginRight: Math.max(compact ? 100 : 90, Math.ceil(8 + 6.2 * longestText)),
    marginBottom: compact ? 24 : undefined,
    ariaLabel, ariaDescription: description,
    style: compact ? {fontSize: "11px", background: "transparent"} : undefined,
    // SI-prefixed ticks (50M, not 50,000,000): full numbers overlap one another on a usage axis.
    x: {label: xLabel, grid: true, tickFormat: "~s", ...(compact ? {ticks: 4} : {})},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "value", y: "label", fill: (r: Bar) => r.color ?? "var(--theme-foreground-focus)", className: "mb-bars"}),
      // A negative bar's value is written right of zero, clear of the bar and of the labels on the left.
      Plot.text(rows, {x: (d: Bar) => Math.max(0, d.value), y: "label", text: "text", textAnchor: "start", dx: 4}),
      Plot.ruleX([0])
    ]
  });
}
