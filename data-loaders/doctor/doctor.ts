// `meterbook doctor`: how far an export's figures can be trusted, read without writing anything — no snapshot folder,
// no cache, an in-memory DuckDB. Staging and models run as for a snapshot (snapshot.ts's analyzeExport); the report
// names the tables found with their rows, transfer dates and freshness, the path that made the daily figures, how the
// invoice lines were read, and the findings by severity. formatDoctor makes the one-screen text; --json prints the
// report object itself.
import type {Config} from "../config.js";
import type {Finding, Severity} from "../errors.js";
import {openDuckDB, rows} from "../lib/duckdb.js";
import {martsFromDailyLines, type DailySource} from "../models/build.js";
import {analyzeExport, planExport} from "../snapshot/snapshot.js";
import {creditTypeMap, integer, money, type CreditType} from "../../src/core/format.js";

export interface DoctorOptions {
  exportDir: string;
  asOf?: string;
  config: Config;
  now?: () => Date;
  /** Progress (staging per table, models), as the snapshot logs it. */
  log?: (message: string) => void;
}

/** One export table: the `table_freshness` mart's row with staging's counts. */
export interface DoctorTable {
  table_name: string;
  cadence: "incremental" | "daily_snapshot" | "undocumented";
  is_present: boolean;
  file_count: number;
  /** Rows read from the files, of every environment and version. */
  rows_in: number;
  /** Rows kept: this environment, the latest version of each key. */
  row_count: number;
  first_transfer_date: string | null;
  newest_transfer_date: string | null;
  days_behind_export: number | null;
  freshness_status: "current" | "stale" | "not_judged" | "no_transfer_dates" | "absent";
}

export interface DoctorLineCategory {
  rule: string;
  category: string;
  line_item_type: string | null;
  credit_type_id: string;
  line_count: number;
  total_minor: number;
  /** The total formatted in its currency (format.ts). */
  total: string;
}

export interface DoctorReport {
  export_dir: string;
  layout: "object-storage" | "flat";
  environment: string;
  as_of: string;
  export_newest_transfer_date: string | null;
  tables: DoctorTable[];
  absent: string[];
  ignored: string[];
  daily_figures: {
    /** One path for every invoice, "mixed", or null (no invoices). */
    daily_source: DailySource | "mixed" | null;
    /** Invoices per path and state (finalized, draft). */
    invoices: {daily_source: DailySource; invoice_state: string; invoices: number}[];
    /** The marts whose daily figures these are. */
    marts: string[];
  };
  line_categories: DoctorLineCategory[];
  findings: Finding[];
  finding_counts: Record<Severity, number>;
  /** Cost files are configured: the doctor does not read them (not part of the export); the snapshot's findings have theirs. */
  cost_not_read: boolean;
}

/** The marts the doctor reads (with every finding check's reads: models/build.ts modelClosure). */
export const DOCTOR_MODELS = ["mart_table_freshness", "mart_credit_types", "mart_line_categories", "mart_daily_sources"];

export async function doctor({exportDir, asOf, config, now = () => new Date(), log = () => {}}: DoctorOptions): Promise<DoctorReport> {
  const plan = planExport(exportDir, asOf, now);
  const {instance, connection} = await openDuckDB();
  try {
    // Only what it prints (and the findings): the other marts and the cost files are the snapshot's business.
    const analysis = await analyzeExport(connection, plan, {config, log: (m) => log(m.replace(/^snapshot: /, "doctor: ")), only: DOCTOR_MODELS});
    const freshness = await rows<Omit<DoctorTable, "rows_in">>(connection, `
      select table_name, cadence, is_present, file_count, row_count::integer as row_count,
        first_transfer_date::varchar as first_transfer_date, newest_transfer_date::varchar as newest_transfer_date,
        days_behind_export, freshness_status
      from mart_table_freshness order by table_name`);
    const [{newest}] = (await rows<{newest: string | null}>(connection, `select max(export_newest_transfer_date)::varchar as newest from mart_table_freshness`)) as [{newest: string | null}];
    const creditTypes = creditTypeMap(await rows<CreditType>(connection, `select * from mart_credit_types`));
    const categories = await rows<Omit<DoctorLineCategory, "total">>(connection, `
      select rule, category, line_item_type, credit_type_id, sum(line_count)::integer as line_count, sum(total_minor)::double as total_minor
      from mart_line_categories group by rule, category, line_item_type, credit_type_id order by category = 'other' desc, abs(sum(total_minor)) desc, rule, category, line_item_type, credit_type_id`);
    const invoices = await rows<{daily_source: DailySource; invoice_state: string; invoices: number}>(connection, `
      select daily_source, invoice_state, invoice_count as invoices from mart_daily_sources order by all`);
    const findings = analysis.models.findings;
    const sources = Object.values(analysis.models.daily_sources);
    return {
      export_dir: plan.root,
      layout: [...plan.files.values()].some((l) => l.some((f) => f.dt)) ? "object-storage" : "flat",
      environment: config.environment,
      as_of: plan.asOf,
      export_newest_transfer_date: newest,
      // Tables in the export's own order (export/tables.ts), as the snapshot stages them.
      tables: Object.keys(analysis.counts).map((name) => {
        const row = freshness.find((f) => f.table_name === name)!;
        return {...row, rows_in: analysis.counts[name]!.rows_in};
      }),
      absent: plan.tables.absent,
      ignored: plan.tables.ignored,
      daily_figures: {daily_source: sources[0]?.daily_source ?? null, invoices, marts: martsFromDailyLines().map((m) => m.replace(/^mart_/, ""))},
      line_categories: categories.map((c) => ({...c, total: money(c.total_minor, c.credit_type_id, creditTypes)})),
      findings,
      cost_not_read: config.cost !== null,
      finding_counts: {
        error: findings.filter((f) => f.severity === "error").length,
        warning: findings.filter((f) => f.severity === "warning").length,
        info: findings.filter((f) => f.severity === "info").length
      }
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const CADENCE: Record<DoctorTable["cadence"], string> = {incremental: "incremental", daily_snapshot: "daily (24 h)", undocumented: "undocumented"};
const FRESHNESS: Record<DoctorTable["freshness_status"], string> = {
  current: "current",
  stale: "STALE",
  not_judged: "—",
  no_transfer_dates: "no dates",
  absent: "absent"
};
const PATHS: Record<DailySource, string> = {breakdowns: "breakdowns (daily lines)", draft_history: "draft history (daily snapshots)", even_spread: "even spread over the period"};

/** Shown per severity: the first examples of each finding. */
const EXAMPLES = 3;

/** The report as text for a person, about one screen for the sample. */
export function formatDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  const present = report.tables.filter((t) => t.is_present);
  lines.push(`meterbook doctor: ${report.export_dir}`);
  lines.push(`  ${report.layout} export, environment ${report.environment}, as of ${report.as_of}; newest transfer ${report.export_newest_transfer_date ?? "none (flat export: no transfer dates)"}`);
  lines.push("");
  lines.push(`Tables (${present.length} found)`);
  lines.push(...columns([
    ["table", "files", "rows read", "rows kept", "transfers", "cadence", "freshness"],
    ...present.map((t) => [
      t.table_name,
      integer(t.file_count),
      integer(t.rows_in),
      integer(t.row_count),
      t.first_transfer_date ? (t.first_transfer_date === t.newest_transfer_date ? t.first_transfer_date : `${t.first_transfer_date} … ${t.newest_transfer_date}`) : "—",
      CADENCE[t.cadence],
      t.freshness_status === "stale" ? `STALE, ${t.days_behind_export} days behind` : FRESHNESS[t.freshness_status]
    ])
  ], [false, true, true, true, false, false, false]).map((l) => `  ${l}`));
  lines.push(`  absent (staged empty): ${report.absent.length ? report.absent.join(", ") : "none"}`);
  lines.push(`  ignored (not a table Meterbook reads): ${report.ignored.length ? report.ignored.join(", ") : "none"}`);
  lines.push("");
  const daily = report.daily_figures;
  const named = ["revenue_daily", "usage_daily", "burn_daily"].filter((m) => daily.marts.includes(m));
  const others = daily.marts.length - named.length;
  lines.push(`Daily figures (${named.join(", ")}${others ? ` and ${others} marts made from them` : ""}): ${daily.daily_source === null ? "no invoices" : daily.daily_source === "mixed" ? "mixed paths" : "one path"}`);
  for (const i of daily.invoices) lines.push(`  ${PATHS[i.daily_source]}: ${integer(i.invoices)} ${i.invoice_state} invoice${i.invoices === 1 ? "" : "s"}`);
  lines.push("");
  lines.push("Line categories (docs/line-categories.md)");
  lines.push(...(report.line_categories.length
    ? columns([
        ["rule", "category", "line type", "lines", "total"],
        ...report.line_categories.map((c) => [c.rule, c.category, c.line_item_type ?? "(none)", integer(c.line_count), c.total])
      ], [false, false, false, true, true]).map((l) => `  ${l}`)
    : ["  No invoice lines."]));
  lines.push("");
  const {error, warning, info} = report.finding_counts;
  lines.push(`Findings: ${error} error, ${warning} warning, ${info} info (docs/data-health.md)`);
  if (!report.findings.length) lines.push("  No findings.");
  if (report.cost_not_read) lines.push("  (The cost files are not the export's: doctor does not read them; a snapshot's findings include theirs.)");
  for (const f of report.findings) {
    lines.push(`  ${f.severity.toUpperCase()} ${f.check} [${f.table}${f.column ? `.${f.column}` : ""}]: ${f.message.replace(/, e\.g\. .*$/, "")}`);
    f.examples.slice(0, EXAMPLES).forEach((key, i) => {
      const detail = f.example_details?.[i];
      lines.push(`      ${key}${detail ? `: ${detail}` : ""}`);
    });
    if (f.severity !== "info") lines.push(`      → ${f.action}`);
  }
  return lines.join("\n");
}

/** Rows as aligned text columns (numbers right-aligned). */
function columns(table: string[][], right: boolean[]): string[] {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => r.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}
