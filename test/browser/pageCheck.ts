// The page check: what a reader would call broken on a rendered page, read from the DOM as it is drawn.
// - visible text reading `null`, `undefined`, `NaN`, `Invalid Date` or `[object` (code blocks excepted);
// - chart text (tick, axis and mark labels) that its SVG's box clips, and tables wider than their box;
// - charts drawn with no marks, and empty states and empty tables, so that the caller can hold them against what the
//   marts say exists.
// `inspectPage` runs inside the page (page.evaluate): it must not close over anything from this module.
import type {Page} from "playwright-core";

export interface PageInspection {
  brokenText: string[];
  clippedText: string[];
  /** One entry per chart (an SVG with a figure, or a role="img" SVG): its label, marks drawn, and width in px. */
  charts: {label: string; marks: number; width: number}[];
  /** Tables wider than the box that holds them (a reader must scroll sideways to see their last columns). */
  overflowingTables: string[];
  /** The width of the page's main column, in px. */
  mainWidth: number;
  /** Texts of empty states: `.mb-empty-state` paragraphs and the single `.mb-empty` row of an empty table. */
  emptyStates: string[];
  /** Row counts of the page's tables, in document order, keyed by caption or the heading above. */
  tables: {label: string; rows: number}[];
}

export function inspectPage(): PageInspection {
  const BROKEN = /\b(null|undefined|NaN)\b|Invalid Date|\[object /;
  const visible = (element: Element) => element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true} as never);
  const context = (element: Element) => {
    const heading = element.closest("section, .card, figure, .mb-slide, main")?.querySelector("h1, h2, h3, figcaption, caption");
    return heading?.textContent?.trim().slice(0, 60) ?? element.tagName.toLowerCase();
  };

  const brokenText: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("pre, code, script, style, template, noscript, textarea")) continue;
    const text = node.textContent ?? "";
    if (BROKEN.test(text) && visible(parent)) brokenText.push(`"${text.trim().slice(0, 80)}" in ${context(parent)}`);
  }

  const clippedText: string[] = [];
  const charts: PageInspection["charts"] = [];
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.parentElement?.closest("svg") || !visible(svg)) continue;
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (r.width === 0 || !(text.textContent ?? "").trim() || !visible(text)) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        clippedText.push(`clipped "${text.textContent!.trim().slice(0, 40)}" in ${svg.getAttribute("aria-label") ?? context(svg)} (text ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)} px wide)`);
      }
    }
    // Tick labels of one axis that run into each other.
    for (const axis of svg.querySelectorAll('g[aria-label$="tick label"]')) {
      const boxes = [...axis.querySelectorAll("text")].map((t) => t.getBoundingClientRect()).filter((r) => r.width > 0);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
            clippedText.push(`overlapping tick labels in ${svg.getAttribute("aria-label") ?? context(svg)} (${axis.getAttribute("aria-label")})`);
            i = j = boxes.length;
          }
        }
      }
    }
    const isChart = svg.closest("figure") || svg.getAttribute("role") === "img" || svg.classList.contains("mb-chart");
    if (!isChart) continue;
    // Marks: drawn shapes outside the axes (Plot puts each mark in its own <g>, axes carry aria-label "… axis").
    const shapes = [...svg.querySelectorAll("path, rect, circle, line, polyline, polygon")].filter((shape) => {
      if (shape.closest('[aria-label$="axis"], [aria-label$="tick"], [aria-label="frame"], [aria-label="grid"], [aria-label$="rule"], defs, clipPath')) return false;
      if (shape.tagName === "path") return (shape.getAttribute("d") ?? "").length > 2;
      return true;
    });
    charts.push({label: svg.getAttribute("aria-label") ?? context(svg), marks: shapes.length, width: Math.round(box.width)});
  }

  const emptyStates = [...document.querySelectorAll(".mb-empty-state, td.mb-empty, .muted")]
    .filter((e) => visible(e) && (e.matches(".mb-empty-state, td.mb-empty") || /^No /.test(e.textContent ?? "")))
    .map((e) => (e.textContent ?? "").trim().replace(/\s+/g, " "));
  const tables = [...document.querySelectorAll("main table, .mb-deck table")]
    .filter((t) => visible(t))
    .map((t) => ({label: (t as HTMLTableElement).caption?.textContent?.trim() || context(t), rows: [...t.querySelectorAll("tbody tr")].filter((tr) => !tr.querySelector("td.mb-empty")).length}));
  const overflowingTables = [...document.querySelectorAll("main table")]
    .filter((t) => visible(t) && t.parentElement && t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
    .map((t) => `${(t as HTMLTableElement).caption?.textContent?.trim() || context(t)} (${t.parentElement!.scrollWidth} px in a ${t.parentElement!.clientWidth} px box)`);
  const mainWidth = Math.round(document.querySelector("main")?.getBoundingClientRect().width ?? 0);
  return {brokenText, clippedText, charts, emptyStates, tables, overflowingTables, mainWidth};
}

/** Inspects the page as it stands. */
export async function checkPage(page: Page): Promise<PageInspection> {
  // tsx compiles with esbuild's keepNames, which wraps inner functions in a `__name` helper the page lacks.
  await page.evaluate("globalThis.__name ??= (f) => f");
  return page.evaluate(inspectPage);
}

/** The problems no page may have, as lines naming the page. */
export function pageProblems(path: string, inspection: PageInspection): string[] {
  return [
    ...inspection.brokenText.map((t) => `${path}: broken text ${t}`),
    ...inspection.clippedText.map((t) => `${path}: ${t}`),
    ...inspection.charts.filter((c) => c.marks === 0).map((c) => `${path}: chart "${c.label}" has no marks`),
    ...inspection.overflowingTables.map((t) => `${path}: table wider than its box: ${t}`)
  ];
}
