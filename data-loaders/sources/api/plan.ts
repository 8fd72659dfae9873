// Which days a pull requests, and what it remembers between runs (`<out>/state.json`). Days before
// `last_complete_day + 1` were pulled finalized and are kept; a run re-pulls from the first day an invoice may still
// change (the earliest open draft's start) up to `until`.
import {existsSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import {dayNumber, isoDay} from "../../lib/dates.js";
import {ApiError} from "./client.js";
import {isDraft, type ApiContract, type ApiInvoice} from "./translate.js";

export interface PullState {
  version: 1;
  since: string;
  until: string;
  /** The last day whose invoices were all finalized when pulled: later runs start the day after. */
  last_complete_day: string;
  runs: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DATE.test(value)) throw new ApiError(`invalid ${flag} date: ${value} (expected YYYY-MM-DD)`);
  try {
    dayNumber(value);
  } catch {
    throw new ApiError(`invalid ${flag} date: ${value} (not a calendar date)`);
  }
  return value;
}

export async function readPullState(out: string): Promise<PullState | null> {
  const path = join(resolve(out), "state.json");
  if (!existsSync(path)) return null;
  const state = JSON.parse(await readFile(path, "utf8")) as PullState;
  if (state.version !== 1 || !DATE.test(state.last_complete_day)) throw new ApiError(`unreadable pull state ${path}: delete the folder to pull again from scratch`);
  return state;
}

/**
 * The range: a first pull starts at --since or the earliest invoice or contract; a re-run at the day after the last
 * complete one, or earlier if an open draft began before it (its month-to-date is re-pulled whole).
 * `from` is the first day whose breakdowns and usage this run requests; `lastComplete` goes into the next state.
 */
export function pullRange(
  perCustomer: Array<{contracts: ApiContract[]; invoices: ApiInvoice[]}>,
  {explicitSince, state, until}: {explicitSince: string | undefined; state: PullState | null; until: string}
): {since: string; from: string; lastComplete: string} {
  const starts = perCustomer.flatMap(({contracts, invoices}) => [...contracts.map((c) => c.starting_at), ...invoices.map((i) => i.start_timestamp ?? "")]).filter(Boolean).map((t) => t.slice(0, 10));
  const since = explicitSince ?? state?.since ?? (starts.length ? starts.sort()[0]! : isoDay(dayNumber(until) - 1));
  const openStarts = perCustomer.flatMap(({invoices}) => invoices.filter((i) => isDraft(i.status) && i.start_timestamp).map((i) => i.start_timestamp!.slice(0, 10))).sort();
  let from = explicitSince ?? (state ? isoDay(dayNumber(state.last_complete_day) + 1) : since);
  if (openStarts[0] && openStarts[0] < from) from = openStarts[0] < since ? since : openStarts[0];
  if (from >= until) from = isoDay(dayNumber(until) - 1);
  const lastComplete = openStarts[0] && openStarts[0] < until ? isoDay(Math.max(dayNumber(openStarts[0]) - 1, dayNumber(from) - 1)) : isoDay(dayNumber(until) - 1);
  return {since, from, lastComplete};
}
