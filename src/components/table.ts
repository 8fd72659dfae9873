// A plain, fully rendered HTML table: every row in the DOM (so counts, copy-paste and print are exact), columns
// with their own formatter and alignment. For large interactive tables see pacingTable.
export interface Column<Row> {
  key: string;
  label: string;
  format?: (value: unknown, row: Row) => string | Node;
  align?: "left" | "right";
}

export function dataTable<Row extends Record<string, unknown>>(rows: Row[], {columns, caption, empty = "No rows."}: {columns: Column<Row>[]; caption?: string; empty?: string}): HTMLElement {
  const table = document.createElement("table");
  table.className = "mb-table";
  table.dataset.rowCount = String(rows.length);
  if (caption) table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column.label;
    th.scope = "col";
    if (column.align) th.style.textAlign = column.align;
    head.appendChild(th);
  }
  const body = table.createTBody();
  if (rows.length === 0) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = columns.length;
    cell.className = "mb-empty";
    cell.textContent = empty;
    table.dataset.rowCount = "0";
    return table;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const td = tr.insertCell();
      const value = column.format ? column.format(row[column.key], row) : String(row[column.key] ?? "");
      if (typeof value === "string") td.textContent = value;
      else td.appendChild(value);
      if (column.align) td.style.textAlign = column.align;
    }
  }
  return table;
}
