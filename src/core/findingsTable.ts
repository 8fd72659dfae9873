// /data-health's findings: the count line and one table per severity, their columns, cell formats and CSV, for the
// page (over the rows DuckDB-WASM selects) and for the preview drawn at build time (data-loaders/snapshot/previews.ts,
// over the same extract in the page's order), so both draw the same tables. It selects and formats the findings
// extract's columns (the findings mart, docs/data-health.md); it defines nothing.
import {elementsOf, table, type TableOptions} from "./table.js";
import {integer} from "./format.js";

/** A row of data/portfolio/findings.parquet (the findings mart). */
export interface FindingRow {
  check_id: string;
  severity: string;
  table_name: string;
  column_name: string | null;
  finding_count: number;
  example_keys: ArrayLike<string> | null;
  example_customer_ids: ArrayLike<string | null> | null;
  example_details: ArrayLike<string | null> | null;
  summary: string;
  meaning: string;
  action: string;
}

/** The page's order, which its SQL applies and the preview repeats: errors, then warnings, then info, each by check. */
export const FINDINGS_ORDER = "list_position(['error', 'warning', 'info'], severity), check_id, table_name";

/** Each severity with its heading, in the page's order. */
export const FINDING_SEVERITIES = [["error", "Errors"], ["warning", "Warnings"], ["info", "Info"]] as const;

/** How many of a finding's examples its cell lists ("and N more" after them). */
export const FINDING_EXAMPLES = 3;

export interface FindingsContext {
  asOf: string;
  /** The page's document, or the build's for the preview. */
  document?: Document;
  /** Whether the tables offer the CSV download (the preview's do not: it comes with the data engine). */
  download?: boolean;
}

/** One severity's table of findings. */
export function findingsTableOptions(severity: string, label: string, {asOf, document = globalThis.document, download = true}: FindingsContext): TableOptions<FindingRow> {
  const el = elementsOf(document);
  const examples = (d: FindingRow) => {
    const keys = Array.from(d.example_keys ?? []);
    const customers = Array.from(d.example_customer_ids ?? []);
    const details = Array.from(d.example_details ?? []);
    const shown = keys.slice(0, FINDING_EXAMPLES).map((key, i) => {
      const customer = customers[i];
      return el("li", {}, el("code", {}, key), details[i] ? `: ${details[i]}` : "", ...(customer ? [" (", el("a", {href: `./customers/${encodeURIComponent(customer)}`}, customer), ")"] : []));
    });
    const more = Number(d.finding_count) - shown.length;
    return shown.length ? el("ul", {class: "mb-examples"}, ...shown, ...(more > 0 ? [el("li", {}, `and ${integer(more)} more`)] : [])) : "";
  };
  return {
    caption: `${label}: findings`,
    filename: download ? `meterbook-findings-${severity}-${asOf}.csv` : undefined,
    rowKey: (d) => `${d.check_id}/${d.table_name}`,
    columns: [
      {key: "check_id", label: "Check", format: (v) => el("code", {}, v)},
      {key: "table_name", label: "Table", format: (v, d) => `${v}${d.column_name ? `.${d.column_name}` : ""}`},
      {key: "finding_count", label: "Count", format: (v) => integer(Number(v)), align: "right"},
      {key: "meaning", label: "What it means"},
      {key: "action", label: "What to do"},
      {key: "example_keys", label: "Examples", format: (_, d) => examples(d), sortValue: (d) => Number(d.finding_count), csv: (d) => Array.from(d.example_keys ?? []).join("; ")}
    ],
    document
  };
}

/**
 * The findings section as the page shows it: how many of each severity, the empty state when there is none, then a
 * heading and a table for each severity that has findings. `findings` in FINDINGS_ORDER.
 */
export function findingsView(findings: FindingRow[], context: FindingsContext): HTMLElement[] {
  const {document = globalThis.document} = context;
  const el = elementsOf(document);
  const shown: HTMLElement[] = [el("p", {class: "mb-finding-counts"}, FINDING_SEVERITIES.map(([s, label]) => `${integer(findings.filter((f) => f.severity === s).length)} ${label.toLowerCase()}`).join(" · "))];
  if (findings.length === 0) shown.push(el("p", {class: "mb-empty-state"}, "No findings: the snapshot found nothing in the data worth reporting."));
  for (const [severity, label] of FINDING_SEVERITIES) {
    const rows = findings.filter((f) => f.severity === severity);
    if (!rows.length) continue;
    shown.push(el("h3", {}, label), table(rows, findingsTableOptions(severity, label, {...context, document})));
  }
  return shown;
}
