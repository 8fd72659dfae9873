// Daily usage of each product, one row per product (units differ by product, so each row has its own scale). The
// product names sit left of their rows; the left margin fits the longest one.
import * as Plot from "@observablehq/plot";

export interface UsageDay {
  date: Date;
  product: string;
  quantity: number;
}

export interface UsageByProductOptions {
  document?: Document;
  width: number;
  /** The time axis, shared with the page's other charts. */
  domain?: [Date, Date];
  title?: string;
  /** At least the longest product name's width (see labelWidth). */
  marginLeft?: number;
}

/** Pixels a label of `text` takes at Plot's default 10 px sans-serif: about 6 px a character, plus the gap. */
export const labelWidth = (text: string): number => 12 + 6 * text.length;

export function usageByProduct(usage: UsageDay[], {document, width, domain, title = "Daily usage by product", marginLeft = 0}: UsageByProductOptions): SVGSVGElement | HTMLElement {
  const products = [...new Set(usage.map((d) => d.product))];
  return Plot.plot({
    document, title, width, height: 60 + 70 * products.length,
    marginLeft: Math.max(64, marginLeft, ...products.map(labelWidth)), marginRight: 16,
    ariaDescription: "Daily quantity of each product used, one row per product (units differ by product).",
    x: {type: "utc", label: "Date (UTC)", domain},
    y: {label: "Quantity", grid: true, axis: null},
    fy: {label: null, domain: products},
    marks: [
      Plot.areaY(usage, {x: "date", y: "quantity", fy: "product", fillOpacity: 0.3}),
      Plot.lineY(usage, {x: "date", y: "quantity", fy: "product"}),
      Plot.tip(usage, Plot.pointerX({x: "date", y: "quantity", fy: "product"}))
    ]
  });
}
