// /alerts' "Firing now" table: its columns, cell formats and CSV, for the page (over the rows DuckDB-WASM selects) and
// for the preview drawn at build time (data-loaders/snapshot/site.ts, alertExtracts, over the same extract in the
// page's order), so both draw the same table. It selects and formats the alerts extract's columns; it defines nothing.
import {elementsOf, type TableOptions} from "./table.js";
import {UNASSIGNED} from "./owners.js";

/** A row of data/alerts/alerts_now.parquet (the alert history on the snapshot's own date; docs/alerts.md). */
export interface AlertRow {
  rule_id: string;
  severity: string;
  subject_id: string;
  customer_id: string | null;
  label: string;
  owner: string | null;
  event: string;
  figure: string;
}

/** The page's order, which its SQL applies and the preview repeats: critical, then warning, then the rest. */
export const ALERTS_NOW_ORDER = "severity = 'critical' desc, severity = 'warning' desc, label, rule_id, subject_id";

export interface AlertsTableContext {
  /** Each owner's page slug (ownerSlugs over every customer's owner). */
  ownerSlug: Map<string | null, string>;
  asOf: string;
  /** The page's document, or the build's for the preview. */
  document?: Document;
}

export function alertsNowTableOptions({ownerSlug, asOf, document = globalThis.document}: AlertsTableContext): TableOptions<AlertRow> {
  const el = elementsOf(document);
  return {
    filename: `meterbook-alerts-${asOf}.csv`,
    rowKey: (d) => `${d.rule_id}|${d.subject_id}`,
    rowHref: (d) => (d.customer_id ? `./customers/${d.customer_id}` : "./alerts"),
    empty: `No alert fires on the snapshot of ${asOf}.`,
    columns: [
      {key: "label", label: "Customer"},
      {key: "owner", label: "Owner", format: (v) => el("a", {href: `./owners/${ownerSlug.get(v ?? null) ?? "unassigned"}`}, v ?? UNASSIGNED), csv: (d) => d.owner ?? ""},
      {key: "rule_id", label: "Rule"},
      {key: "severity", label: "Severity", format: (v) => el("span", {class: "mb-flag"}, v), csv: (d) => d.severity},
      {key: "event", label: "Since", format: (v) => (v === "fired" ? "new this week" : "a week or more"), csv: (d) => d.event},
      {key: "figure", label: "Figure"}
    ],
    document
  };
}
