// The alert state: two append-only JSONL logs in the --state folder.
// - observations.jsonl: per snapshot evaluated (as_of, content hash), the rule × subject conditions that held — what
//   `consecutive` needs of earlier snapshots. Facts about snapshots, so written whether or not delivery succeeded.
// - events.jsonl: per destination, each alert FIRED or RESOLVED that reached it, keyed by rule × subject × snapshot.
//   Written only for what was delivered, so a destination that failed gets what it missed on the next run.
// Neither holds a secret: destinations are named by their environment variable or address.
import {existsSync, readFileSync} from "node:fs";
import {appendFile, mkdir} from "node:fs/promises";
import {join} from "node:path";

export interface ObservationRecord {
  as_of: string;
  content_hash: string;
  observed_at: string;
  /** `rule_id|subject_id` of each condition that held, with its value. */
  holding: {rule_id: string; subject_id: string; value: number | null}[];
}

export interface AlertEvent {
  event: "fired" | "resolved";
  /** `slack:<ENV VAR NAME>` or `email:<address>`. */
  destination: string;
  rule_id: string;
  subject_id: string;
  customer_id: string | null;
  /** The customer's label and owner when delivered: a resolved alert's message needs them if the segment has gone. */
  label: string;
  owner: string | null;
  severity: string;
  as_of: string;
  content_hash: string;
  value: number | null;
  figure: string;
  delivered_at: string;
}

export interface AlertState {
  /** The latest observation of each as_of, oldest first. */
  observations: ObservationRecord[];
  /** Per destination, the alerts whose last event there is `fired`, by `rule_id|subject_id`. */
  active: Map<string, Map<string, AlertEvent>>;
}

export const alertKey = (a: {rule_id: string; subject_id: string}) => `${a.rule_id}|${a.subject_id}`;

function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${path}: line ${i + 1} is not JSON (the state is append-only; restore it or remove the line)`);
    }
  });
}

export function readState(dir: string): AlertState {
  const byAsOf = new Map<string, ObservationRecord>();
  for (const o of readJsonl<ObservationRecord>(join(dir, "observations.jsonl"))) byAsOf.set(o.as_of, o);
  const observations = [...byAsOf.values()].sort((a, b) => a.as_of.localeCompare(b.as_of));
  const active = new Map<string, Map<string, AlertEvent>>();
  for (const e of readJsonl<AlertEvent>(join(dir, "events.jsonl"))) {
    const at = active.get(e.destination) ?? new Map<string, AlertEvent>();
    active.set(e.destination, at);
    if (e.event === "fired") at.set(alertKey(e), e);
    else at.delete(alertKey(e));
  }
  return {observations, active};
}

/**
 * Whether a condition holding now has held on the `consecutive − 1` snapshots before this one (those observed with
 * an earlier as_of, latest first). Fewer earlier snapshots than that: not yet.
 */
export function heldConsecutively(state: AlertState, asOf: string, key: string, consecutive: number): boolean {
  if (consecutive <= 1) return true;
  const earlier = state.observations.filter((o) => o.as_of < asOf).slice(-(consecutive - 1));
  return earlier.length === consecutive - 1 && earlier.every((o) => o.holding.some((h) => alertKey(h) === key));
}

/** Appends the snapshot's observation unless this very snapshot (as_of and content) is the one already recorded. */
export async function recordObservation(dir: string, state: AlertState, record: ObservationRecord): Promise<void> {
  const known = state.observations.find((o) => o.as_of === record.as_of);
  if (known?.content_hash === record.content_hash) return;
  await mkdir(dir, {recursive: true});
  await appendFile(join(dir, "observations.jsonl"), JSON.stringify(record) + "\n");
}

export async function recordEvents(dir: string, events: AlertEvent[]): Promise<void> {
  if (!events.length) return;
  await mkdir(dir, {recursive: true});
  await appendFile(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
}
