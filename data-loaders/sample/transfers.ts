// When and in how many files each export table is delivered: incremental tables in the transfer after a change,
// daily tables at a fixed time of day, and big partitions in parts of at most MAX_ROWS_PER_FILE rows.
import type {DuckDBConnection} from "@duckdb/node-api";
import {DAY_MS} from "../lib/dates.js";
import {dailyStamp, incrementalStamp} from "./layout.js";

/** Transfer timing per table (seconds into the 2 h window for incremental tables; a daily time for the others). */
const INCREMENTAL_OFFSET_S: Record<string, number> = {customer: 63, product: 71, billable_metric: 77, credit_type: 82, invoice: 95, line_item: 118};
const DAILY_TIME: Record<string, [number, number, number]> = {
  draft_invoice: [3, 21, 10],
  draft_line_item: [3, 21, 44],
  breakdowns_draft_invoices: [3, 40, 2],
  breakdowns_draft_line_items: [3, 40, 31],
  breakdowns_invoices: [4, 12, 37],
  breakdowns_line_items: [4, 13, 5],
  contracts_contracts: [5, 31, 7],
  contracts_balances: [5, 34, 51]
};

export function exportTime(table: string, day: number): number {
  const [hh, mm, ss] = DAILY_TIME[table]!;
  return dailyStamp(day, hh, mm, ss);
}

/** Largest file written: a big partition becomes several files (parts) of one transfer, as Metronome splits them,
 * which also bounds the memory each COPY's sort needs. */
export const MAX_ROWS_PER_FILE = 200_000;

/**
 * Split each partition into consecutive key ranges of at most MAX_ROWS_PER_FILE rows. `countsSql` returns
 * (partition, key, rows) ordered by partition and key; a single key larger than the limit gets a file of its own.
 */
export async function chunked(connection: DuckDBConnection, countsSql: string): Promise<Array<{dt: number; lo: number; hi: number}>> {
  const result = await connection.runAndReadAll(countsSql);
  const out: Array<{dt: number; lo: number; hi: number; rows: number}> = [];
  for (const [dtValue, keyValue, rowsValue] of result.getRows()) {
    const dt = Number(dtValue);
    const key = Number(keyValue);
    const rows = Number(rowsValue);
    const last = out[out.length - 1];
    if (last && last.dt === dt && last.rows + rows <= MAX_ROWS_PER_FILE) {
      last.hi = key;
      last.rows += rows;
    } else {
      out.push({dt, lo: key, hi: key, rows});
    }
  }
  return out.map(({dt, lo, hi}) => ({dt, lo, hi}));
}

/** Row times for incremental tables: the transfer after the change, on the change's day. */
export function incremental(table: string, updatedMs: number): {dt: number; stampMs: number} {
  const stampMs = incrementalStamp(updatedMs, INCREMENTAL_OFFSET_S[table]!);
  return {dt: Math.floor(stampMs / DAY_MS), stampMs};
}
