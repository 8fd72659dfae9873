// /pacing's table: its columns, cell formats and CSV, for the page (over the rows DuckDB-WASM selects) and for the
// preview drawn at build time (data-loaders/snapshot/previews.ts, over the same extract in the page's default order),
// so both draw the same table. It selects and formats the pacing extract's columns; it defines no figure.
import {elementsOf, type Column, type TableOptions} from "./table.js";
import {money, percent, isoDate, toMajor, type CreditTypes} from "./format.js";
import {BALANCE_TYPE_LABELS, FLAG_LABELS, PATTERN_LABELS, STATUS_LABELS} from "./vocabulary.js";

/** A row of the pacing extract (data/portfolio/pacing.parquet): mart_pacing with the customer's label and owner. */
export interface PacingRow {
  customer_id: string;
  balance_id: string;
  segment_id: string;
  balance_type: string;
  credit_type_id: string;
  label: string;
  owner: string | null;
  amount_minor: number;
  expected_to_date_minor: number;
  burned_to_date_minor: number;
  remaining_minor: number;
  burn_rate_pct: number | null;
  status: string;
  flags: string[] | null;
  patterns: string[] | null;
  projected_exhaustion_date: Date | string | null;
  exhaust_chance_pct: number | null;
  projected_breakage_minor: number | null;
  projected_true_up_minor: number | null;
}

/** The page's default order, which its SQL applies and the preview repeats. */
export const PACING_ORDER = "burn_rate_pct desc nulls last, label";

export interface PacingTableContext {
  creditTypes: CreditTypes;
  /** Each owner's page slug (ownerSlugs over every customer's owner). */
  ownerSlug: Map<string | null, string>;
  asOf: string;
  /** The page's document, or the build's for the preview. */
  document?: Document;
}

export function pacingTableOptions({creditTypes, ownerSlug, asOf, document = globalThis.document}: PacingTableContext): TableOptions<PacingRow> {
  const el = elementsOf(document);
  /** Text with a muted second line under it (nothing under it when `under` is empty). */
  const withNote = (text: string | Node, under: string | null) => {
    const cell = document.createDocumentFragment();
    cell.append(text);
    if (under) cell.append(el("br", {}), el("small", {class: "mb-muted"}, under));
    return cell;
  };
  const m = (v: number | null, d: PacingRow) => money(v, d.credit_type_id, creditTypes);
  const major = (key: keyof PacingRow) => (d: PacingRow) => toMajor(d[key] as number, creditTypes.get(d.credit_type_id));
  const currency = (d: PacingRow) => creditTypes.get(d.credit_type_id)?.currency_code ?? creditTypes.get(d.credit_type_id)?.name;
  const columns: Column<PacingRow>[] = [
    // The balance type under the name (its own column in the CSV): twelve columns do not fit a laptop's width.
    {key: "label", label: "Customer", format: (v, d) => withNote(v, BALANCE_TYPE_LABELS[d.balance_type] ?? d.balance_type), csv: (d) => d.label},
    {key: "owner", label: "Owner", format: (v) => el("a", {href: `./owners/${ownerSlug.get(v ?? null)}`}, v ?? "Unassigned"), csv: (d) => d.owner ?? "Unassigned"},
    {key: "balance_type", label: "Type", hidden: true},
    {key: "amount_minor", label: "Amount", format: m, sortValue: major("amount_minor"), csv: major("amount_minor"), align: "right"},
    {key: "expected_to_date_minor", label: "Expected", format: m, sortValue: major("expected_to_date_minor"), csv: major("expected_to_date_minor"), align: "right"},
    {key: "burned_to_date_minor", label: "Burned", format: m, sortValue: major("burned_to_date_minor"), csv: major("burned_to_date_minor"), align: "right"},
    // Under the remaining commit, forecast v2's expected unused part at the end: a postpaid commit's true-up, the
    // others' breakage (each its own CSV column).
    {key: "remaining_minor", label: "Remaining", format: (v, d) => {
      const unused = d.balance_type === "postpaid" ? d.projected_true_up_minor : d.projected_breakage_minor;
      return withNote(m(v, d), unused === null || unused === undefined ? null : `${m(unused, d)} ${d.balance_type === "postpaid" ? "true-up" : "breakage"}`);
    }, sortValue: major("remaining_minor"), csv: major("remaining_minor"), align: "right"},
    {key: "credit_type_id", label: "Currency", hidden: true, format: (v, d) => currency(d) ?? v, csv: currency},
    {key: "burn_rate_pct", label: "Burn %", format: percent, csv: (d) => (d.burn_rate_pct === null ? null : Math.round(d.burn_rate_pct * 10) / 10), align: "right"},
    {key: "status", label: "Status", format: (v) => el("span", {class: `mb-status mb-status-${v}`}, STATUS_LABELS[v] ?? v), csv: (d) => d.status},
    {key: "flags", label: "Flags", format: (v, d) => {
      const cell = document.createDocumentFragment();
      for (const f of Array.from((v ?? []) as string[])) cell.append(el("span", {class: "mb-flag"}, FLAG_LABELS[f] ?? f));
      for (const f of Array.from(d.patterns ?? [])) cell.append(el("span", {class: "mb-flag mb-pattern"}, PATTERN_LABELS[f] ?? f));
      return cell;
    }, sortValue: (d) => (d.flags?.length ?? 0) + (d.patterns?.length ?? 0), csv: (d) => Array.from(d.flags ?? []).join(";")},
    {key: "patterns", label: "Patterns", hidden: true, csv: (d) => Array.from(d.patterns ?? []).join(";")},
    // Forecast v2 (docs/metrics.md) under the baseline's date: the chance to run out before the end (its own CSV
    // column). The expected unused commit at the end is under Remaining; true-up and breakage have their CSV columns.
    {key: "projected_exhaustion_date", label: "Exhausts", format: (v, d) => withNote(v ? isoDate(v) : "—", d.exhaust_chance_pct === null ? null : `${percent(d.exhaust_chance_pct)} chance`), csv: (d) => (d.projected_exhaustion_date ? isoDate(d.projected_exhaustion_date) : "")},
    {key: "exhaust_chance_pct", label: "Chance to exhaust", hidden: true, csv: (d) => (d.exhaust_chance_pct === null ? null : Math.round(d.exhaust_chance_pct * 10) / 10)},
    {key: "projected_breakage_minor", label: "Breakage", hidden: true, csv: (d) => (d.projected_breakage_minor === null ? null : major("projected_breakage_minor")(d))},
    {key: "projected_true_up_minor", label: "True-up", hidden: true, csv: (d) => (d.projected_true_up_minor === null ? null : major("projected_true_up_minor")(d))}
  ];
  return {
    filename: `meterbook-pacing-${asOf}.csv`,
    rowKey: (d) => `${d.balance_id}/${d.segment_id}`,
    rowHref: (d) => `./customers/${d.customer_id}?segment=${encodeURIComponent(d.segment_id)}`,
    empty: "No active segment matches these filters.",
    csvKeys: [{key: "customer_id", label: "customer_id"}, {key: "balance_id", label: "balance_id"}, {key: "segment_id", label: "segment_id"}],
    columns,
    document
  };
}
