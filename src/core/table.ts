// The site's one table: fully rendered (every row in the DOM, so counts, copy and print are exact), sorted on
// header click, each column with its own formatter and alignment. Given a filename it downloads exactly the rows
// shown, in the order shown, as CSV; given rowHref its first cell links to a page. In src/core/ (no page-only import)
// because the build draws /pacing's preview with it too (data-loaders/snapshot/previews.ts), given jsdom's document.
import {csvFormat} from "d3-dsv";

export interface Column<Row> {
  key: string;
  label: string;
  /** Cell content; defaults to the value as text. */
  format?: (value: any, row: Row) => string | Node | null | undefined;
  /** Sort value; defaults to the raw value. */
  sortValue?: (row: Row) => number | string | null;
  /** CSV value; defaults to the raw value. Set to null to leave the column out of the CSV. */
  csv?: ((row: Row) => unknown) | null;
  align?: "left" | "right";
  /** In the CSV download only, not on screen (a figure the row already shows another way). */
  hidden?: boolean;
}

export interface TableOptions<Row> {
  columns: Column<Row>[];
  /** Extra CSV-only columns (e.g. ids) prepended to the visible ones. */
  csvKeys?: {key: string; label: string}[];
  /** The CSV download's file name; no download button without one. */
  filename?: string;
  /** Each row's `data-key`. */
  rowKey?: (row: Row) => string;
  rowHref?: (row: Row) => string;
  empty?: string;
  caption?: string;
  sort?: {key: string; descending?: boolean};
  /** The document to build in: the page's by default; the build's (jsdom) for a preview drawn at build time. */
  document?: Document;
}

/** An element of `document` with attributes and children (text or nodes): for cell formats that build in any document. */
export function element(document: Document, tag: string, attributes: Record<string, string>, ...children: Array<string | Node>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** `element` bound to one document: the `el(tag, attributes, ...children)` cell formats build with. */
export function elementsOf(document: Document): (tag: string, attributes: Record<string, string>, ...children: Array<string | Node>) => HTMLElement {
  return (tag, attributes, ...children) => element(document, tag, attributes, ...children);
}

export function table<Row extends Record<string, any>>(rows: Row[], options: TableOptions<Row>): HTMLElement {
  const {columns: allColumns, csvKeys = [], filename, rowKey, rowHref, empty = "No rows match.", caption, document = globalThis.document} = options;
  const columns = allColumns.filter((c) => !c.hidden);
  let sortKey = options.sort?.key ?? null;
  let descending = options.sort?.descending ?? false;
  let shown = rows.slice();

  const container = document.createElement("div");
  container.className = "mb-sortable";
  const toolbar = document.createElement("div");
  toolbar.className = "mb-toolbar";
  const count = document.createElement("span");
  count.className = "mb-count";
  const download = document.createElement("button");
  download.type = "button";
  download.textContent = "Download CSV";
  download.className = "mb-download";
  toolbar.append(count);
  if (filename) toolbar.append(download);

  const grid = document.createElement("table");
  grid.className = "mb-table";
  if (caption) grid.createCaption().textContent = caption;
  const headRow = grid.createTHead().insertRow();
  const body = grid.createTBody();
  for (const column of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "mb-sort";
    button.textContent = column.label;
    button.addEventListener("click", () => {
      descending = sortKey === column.key ? !descending : column.align === "right";
      sortKey = column.key;
      render();
    });
    th.append(button);
    if (column.align) th.style.textAlign = column.align;
    headRow.append(th);
  }

  function compare(a: Row, b: Row): number {
    const column = columns.find((c) => c.key === sortKey)!;
    const va = column.sortValue ? column.sortValue(a) : a[column.key];
    const vb = column.sortValue ? column.sortValue(b) : b[column.key];
    if (va === vb) return 0;
    if (va === null || va === undefined) return 1; // nulls last either way
    if (vb === null || vb === undefined) return -1;
    const order = va instanceof Date || typeof va === "number" ? +va - +vb : String(va).localeCompare(String(vb));
    return descending ? -order : order;
  }

  function render() {
    shown = sortKey ? rows.slice().sort(compare) : rows.slice();
    grid.dataset.rowCount = String(shown.length);
    count.textContent = `${shown.length} row${shown.length === 1 ? "" : "s"}`;
    for (const th of headRow.cells) th.removeAttribute("aria-sort");
    const index = columns.findIndex((c) => c.key === sortKey);
    if (index >= 0) headRow.cells[index]!.setAttribute("aria-sort", descending ? "descending" : "ascending");
    body.replaceChildren();
    if (shown.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = columns.length;
      cell.className = "mb-empty";
      cell.textContent = empty;
      return;
    }
    for (const row of shown) {
      const tr = body.insertRow();
      if (rowKey) tr.dataset.key = rowKey(row);
      columns.forEach((column, i) => {
        const td = tr.insertCell();
        // A formatter may return nothing (Framework's html`` of an empty list is null): the cell stays empty.
        let content: string | Node = (column.format ? column.format(row[column.key], row) : String(row[column.key] ?? "")) ?? "";
        if (i === 0 && rowHref) {
          const a = document.createElement("a");
          a.href = rowHref(row);
          a.append(content);
          content = a;
        }
        td.append(content);
        if (column.align) td.style.textAlign = column.align;
      });
    }
  }

  download.addEventListener("click", () => {
    const csvColumns = allColumns.filter((c) => c.csv !== null);
    const records = shown.map((row) => ({
      ...Object.fromEntries(csvKeys.map((k) => [k.label, row[k.key]])),
      ...Object.fromEntries(csvColumns.map((c) => [c.label, csvValue(c.csv ? c.csv(row) : row[c.key])]))
    }));
    const blob = new Blob([csvFormat(records, [...csvKeys.map((k) => k.label), ...csvColumns.map((c) => c.label)])], {type: "text/csv"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename!;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  render();
  container.append(toolbar, grid);
  return container;
}

function csvValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.join(";");
  return value;
}
