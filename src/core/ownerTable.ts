// An owner's page (/owners/<slug>): its "Customers by status" table, its columns, cell formats and CSV, for the page
// (over the rows DuckDB-WASM selects) and for the preview drawn at build time (data-loaders/snapshot/previews.ts, over
// the same extracts in the page's order), so both draw the same table. It selects and formats the customers' and
// customer_status extracts' columns; it defines nothing.
import {elementsOf, type TableOptions} from "./table.js";
import {STATUS_LABELS} from "./vocabulary.js";

/** A row of the page's first table: customers left join customer_status (both extracts of data/portfolio). */
export interface OwnerCustomerRow {
  customer_id: string;
  label: string;
  is_archived: boolean;
  status: string | null;
  active_segments: number | null;
  over_segments: number | null;
  under_segments: number | null;
}

/** The page's order, which its SQL applies and the preview repeats: over, then under, then the rest, by label. */
export const OWNER_CUSTOMERS_ORDER = "s.status = 'over' desc, s.status = 'under' desc, s.status is null, c.label, c.customer_id";

export interface OwnerTableContext {
  /** The owner's slug, as in the page's URL. */
  slug: string;
  asOf: string;
  /** The page's document, or the build's for the preview. */
  document?: Document;
}

export function ownerCustomersTableOptions({slug, asOf, document = globalThis.document}: OwnerTableContext): TableOptions<OwnerCustomerRow> {
  const el = elementsOf(document);
  const count = (v: number | null) => String(v ?? 0);
  return {
    filename: `meterbook-owner-${slug}-customers-${asOf}.csv`,
    rowKey: (d) => d.customer_id,
    rowHref: (d) => `../customers/${d.customer_id}`,
    empty: "No customer has this owner in the snapshot.",
    columns: [
      {key: "label", label: "Customer", format: (v, d) => {
        const cell = document.createDocumentFragment();
        cell.append(v ?? "");
        if (d.is_archived) cell.append(" ", el("small", {class: "mb-muted"}, "archived"));
        return cell;
      }, csv: (d) => d.label},
      {key: "status", label: "Status", format: (v) => (v ? el("span", {class: `mb-status mb-status-${v}`}, STATUS_LABELS[v] ?? v) : "no active commitment"), csv: (d) => d.status ?? ""},
      {key: "active_segments", label: "Active segments", format: count, align: "right"},
      {key: "over_segments", label: "Over", format: count, align: "right"},
      {key: "under_segments", label: "Under", format: count, align: "right"}
    ],
    document
  };
}
