// What every translation shares: the row shape, the pull's context, and how values are written into export cells.
import {createHash} from "node:crypto";

type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** What every row of one pull shares: the environment it is labelled with and the export time. */
export interface PullContext {
  environment: string;
  /** ISO time the pull ran: `updated_at` of snapshot-type rows. */
  pulledAt: string;
  /** ISO midnight of the pull's `until` day: the draft snapshot time (data is complete for the days before). */
  snapshotAt: string;
}

export const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

/** The named fields of `object` as JSON text columns of the same names (null where absent). */
export function jsonColumns<T extends object, const K extends keyof T & string>(object: T, keys: readonly K[]): Record<K, string | null> {
  return Object.fromEntries(keys.map((key) => [key, json(object[key])])) as Record<K, string | null>;
}

/** Money as exact decimal text: the staging cast to DECIMAL(38, 9) then reads the number JSON carried. */
export const money = (value: number | null | undefined): string | null => (value === undefined || value === null ? null : String(value));

/** A stable UUID-shaped id for rows the API has no id for (breakdowns, breakdown lines). */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
