// Writing a pull: the fetched objects as rows per export table, one Parquet file per table in the export layout
// (typed as the sample export writes them), and usage_daily merged with the previous pull's finalized days.
import {existsSync} from "node:fs";
import {cp, mkdir} from "node:fs/promises";
import {dirname, join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {dayNumber} from "../../lib/dates.js";
import {rows as queryRows, sqlString} from "../../lib/duckdb.js";
import {exportFilePath, stagedBatches, type StagedRow} from "../export/layout.js";
import {TABLES} from "../export/tables.js";
import type {Account} from "./fetch.js";
import {
  balanceRow,
  billableMetricRow,
  breakdownRows,
  contractRow,
  creditTypeRow,
  customerRow,
  invoiceRow,
  productRow,
  type ApiBreakdown,
  type ApiUsage,
  type PullContext,
  type Row
} from "./translate.js";

/** Tables carried from the previous pull (finalized history); every other table is re-pulled in full each run. */
const CARRIED = ["breakdowns_invoices", "breakdowns_line_items"];

/** Rows per export table. */
export function exportRows(account: Account, breakdowns: ApiBreakdown[][], ctx: PullContext, transferId: string): Map<string, Row[]> {
  const rows = new Map<string, Row[]>(TABLES.map((t) => [t.name, []]));
  const push = (table: string, row: Row | null) => row && rows.get(table)!.push(row);
  for (const c of account.customers) push("customer", customerRow(c, ctx));
  for (const m of account.metrics) push("billable_metric", billableMetricRow(m, ctx));
  for (const p of account.products) push("product", productRow(p, ctx));
  for (const t of account.creditTypes) push("credit_type", creditTypeRow(t, ctx));
  for (const {customer, contracts, balances, invoices} of account.perCustomer) {
    for (const c of contracts) push("contracts_contracts", contractRow(c, ctx));
    for (const b of balances) push("contracts_balances", balanceRow(b, customer.id, ctx));
    for (const i of invoices) {
      const {table, row} = invoiceRow(i, ctx);
      push(table, row);
    }
  }
  for (const list of breakdowns) {
    for (const b of list) {
      const {draft, invoice, lines} = breakdownRows(b, ctx, transferId);
      push(draft ? "breakdowns_draft_invoices" : "breakdowns_invoices", invoice);
      for (const line of lines) push(draft ? "breakdowns_draft_line_items" : "breakdowns_line_items", line);
    }
  }
  return rows;
}

/**
 * The export folder and usage_daily of one run into `staging`, with the previous pull's (in `target`) finalized
 * history carried over when there is one. Returns the rows per table.
 */
export async function writeExport(
  connection: DuckDBConnection,
  {target, staging, incremental, rows, usage, from, until, run, stampMs}: {target: string; staging: string; incremental: boolean; rows: Map<string, Row[]>; usage: ApiUsage[]; from: string; until: string; run: number; stampMs: number}
): Promise<Record<string, number>> {
  await mkdir(join(staging, "export"), {recursive: true});
  // Finalized history from earlier runs, unchanged.
  for (const table of CARRIED) {
    const previous = join(target, "export", table);
    if (incremental && existsSync(previous)) await cp(previous, join(staging, "export", table), {recursive: true});
  }
  const dt = dayNumber(until);
  const counts: Record<string, number> = {};
  for (const spec of TABLES) {
    const list = rows.get(spec.name)!;
    counts[spec.name] = list.length;
    // Optional tables with nothing pulled are left out, as an export without them; required ones get a typed empty file.
    if (list.length === 0 && (spec.optional || CARRIED.includes(spec.name))) continue;
    await writeTable(connection, spec.name, list, join(staging, "export", exportFilePath(spec.name, dt, run, stampMs)));
  }
  counts.usage_daily = await writeUsage(connection, usage, from, incremental ? join(target, "usage_daily.parquet") : null, join(staging, "usage_daily.parquet"));
  return counts;
}

/** One Parquet file with every column of the table's export contract, typed as the sample export writes them. */
async function writeTable(connection: DuckDBConnection, table: string, list: Row[], path: string): Promise<void> {
  await mkdir(dirname(path), {recursive: true});
  // An empty table still gets a file with every column and type: the projection of one blank row, limit 0.
  const staged: StagedRow[] = (list.length ? list : [{}]).map((values) => ({dt: 0, stampMs: 0, values}));
  const [batch] = await stagedBatches(connection, table, staged);
  await connection.run(`copy (select * from (${batch!.query("")}) ${list.length ? "" : "limit 0"}) to ${sqlString(path)} (format parquet, compression zstd)`);
}

/** usage_daily: one row per customer × billable metric × day, merged with the previous pull's days before `from`. */
async function writeUsage(connection: DuckDBConnection, usage: ApiUsage[], from: string, previous: string | null, path: string): Promise<number> {
  await connection.run(`create or replace table pulled_usage (date varchar, customer_id varchar, billable_metric_id varchar, billable_metric_name varchar, quantity varchar)`);
  const appender = await connection.createAppender("pulled_usage");
  for (const u of usage) {
    appender.appendVarchar(u.start_timestamp.slice(0, 10));
    appender.appendVarchar(u.customer_id);
    appender.appendVarchar(u.billable_metric_id);
    appender.appendVarchar(u.billable_metric_name);
    if (u.value === null) appender.appendNull();
    else appender.appendVarchar(String(u.value));
    appender.endRow();
  }
  appender.closeSync();
  const typed = "select date::date as date, customer_id, billable_metric_id, billable_metric_name, quantity::decimal(38, 9) as quantity from pulled_usage";
  const kept = previous && existsSync(previous) ? `union all select * from read_parquet(${sqlString(previous)}) where date < ${sqlString(from)}::date` : "";
  await connection.run(`copy (select * from (${typed} ${kept}) order by date, customer_id, billable_metric_id) to ${sqlString(path)} (format parquet, compression zstd)`);
  const [{n}] = (await queryRows<{n: number}>(connection, `select count(*)::integer as n from read_parquet(${sqlString(path)})`)) as [{n: number}];
  return n;
}
