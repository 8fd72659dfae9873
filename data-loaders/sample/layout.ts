// Object-storage layout: <table>/dt=<YYYY-MM-DD>/<part>_<YYYYMMDDhhmmss>.parquet, append-only and at-least-once.
// A "batch" is one transfer of one table (one file). Batches are planned first (so part numbers can increase with the
// transfer time and re-deliveries can be placed), then written in a fixed order.
import {DAY_MS} from "../lib/dates.js";
import {exportFilePath, type Batch} from "../sources/export/layout.js";
import {hashSeed, uuidFor} from "./random.js";

export interface PlannedFile {
  table: string;
  dt: number;
  stampMs: number;
  part: number;
  /** Relative path under the export root. */
  path: string;
  transferId: string;
  /** The batch to write, or the planned file this one re-delivers byte for byte. */
  source: {batch: Batch} | {duplicateOf: PlannedFile};
}

/** The daily full-snapshot tables (one transfer a day, every day of the history). */
export const SNAPSHOT_TABLES = ["contracts_contracts", "contracts_balances"];

/** Share of transfers delivered twice (the second time into the next day's partition). */
export const DUPLICATE_RATE = 0.03;
const TWO_HOURS = 2 * 3_600_000;

/** Incremental tables transfer every 2 h: a change lands in the next transfer after it, `offsetS` into the window. */
export function incrementalStamp(updatedMs: number, offsetS: number): number {
  return (Math.floor(updatedMs / TWO_HOURS) + 1) * TWO_HOURS + offsetS * 1000;
}

/** Daily tables transfer once a day at a fixed time. */
export function dailyStamp(day: number, hh: number, mm: number, ss: number): number {
  return day * DAY_MS + ((hh * 60 + mm) * 60 + ss) * 1000;
}

/**
 * Number the files of each table by transfer time and add re-deliveries: about DUPLICATE_RATE of the transfers
 * (chosen by a hash of the seed and the transfer) arrive again the next day, as an exact copy under a new part number.
 * Re-deliveries past the as-of day are not made (that transfer has not happened yet), nor snapshot-table copies
 * into the as-of day.
 */
export function planFiles(batches: Batch[], seed: number, asOfDay: number): PlannedFile[] {
  const byTable = new Map<string, Batch[]>();
  for (const b of batches) byTable.set(b.table, [...(byTable.get(b.table) ?? []), b]);
  const files: PlannedFile[] = [];
  for (const [table, list] of byTable) {
    // One transfer may span several files (same timestamp, consecutive parts); each file may be re-delivered.
    const entries: Array<{dt: number; stampMs: number; batch?: Batch; original?: Batch}> = [];
    list.forEach((batch, i) => {
      entries.push({dt: batch.dt, stampMs: batch.stampMs, batch});
      const dupDay = batch.dt + 1;
      // The daily contract snapshots are not re-delivered into the as-of day's partition, which has no snapshot of
      // its own: the copy would be the latest version while its transfer date is a day later than its content.
      const lastSnapshotCopy = SNAPSHOT_TABLES.includes(table) && dupDay === asOfDay;
      if (dupDay <= asOfDay && !lastSnapshotCopy && hashSeed(seed, "redelivery", table, batch.dt, batch.stampMs, i) / 4294967296 < DUPLICATE_RATE) {
        entries.push({dt: dupDay, stampMs: batch.stampMs + DAY_MS + 7 * 60_000, original: batch});
      }
    });
    // Stable sort: files of one transfer keep their order.
    entries.sort((a, b) => a.stampMs - b.stampMs);
    const fileOf = new Map<Batch, PlannedFile>();
    const tableFiles: PlannedFile[] = [];
    entries.forEach((e, part) => {
      const file: PlannedFile = {
        table,
        dt: e.dt,
        stampMs: e.stampMs,
        part,
        path: exportFilePath(table, e.dt, part, e.stampMs),
        // Breakdown rows carry the id of the transfer that delivered them (a copy's bytes are the original's).
        transferId: uuidFor(seed, "transfer", table, e.batch ? e.stampMs : e.original!.stampMs),
        source: e.batch ? {batch: e.batch} : {duplicateOf: fileOf.get(e.original!)!}
      };
      if (e.batch) fileOf.set(e.batch, file);
      tableFiles.push(file);
    });
    // Originals always sort before their copies (a day later), so every duplicateOf is resolved above.
    for (const f of tableFiles) if ("duplicateOf" in f.source && !f.source.duplicateOf) throw new Error(`unresolved re-delivery in ${table}`);
    files.push(...tableFiles);
  }
  return files;
}
