// The alert history's cache: each as-of date's evaluation (the conditions holding, and every segment's label, owner and
// projected exhaustion), kept under the snapshot's folder (`<snapshot>/.cache/alerts/<date>.json`) so a site build
// replays only the dates no earlier build evaluated (docs/alerts.md, "The history's cache"). An entry is keyed by
// what the evaluation is a function of: the export's files as of that date (path, size, transfer timestamp or
// modification time — the staging cache's file key), the config the models and rules read, the models' SQL and
// HISTORY_CACHE_VERSION. A date whose files changed since (a late delivery into an earlier partition) gets a new
// key and is replayed. The next snapshot into the same folder carries the entries of its own history window forward
// (`carryHistoryCache`), so a daily snapshot and build finds every earlier week's date already evaluated.
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readdir, readFile, rename, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {Config} from "../config.js";
import {copyOrLink} from "../lib/atomic.js";
import {modelsFor} from "../models/build.js";
import {modelSql} from "../models/run.js";
import {fileKey} from "../sources/export/cache.js";
import type {ExportFile} from "../sources/export/discover.js";
import {addDays} from "../../src/core/periods.js";
import type {Holding} from "./evaluate.js";

/** Raised when what an entry holds, or how a date is evaluated outside the models' SQL, changes. */
export const HISTORY_CACHE_VERSION = 1;
export const HISTORY_CACHE_FOLDER = join(".cache", "alerts");
/** The models the rules read, and everything they are built from. */
export const HISTORY_MODELS = ["mart_pacing", "mart_customers", "mart_credit_types"];

/** One date's evaluation as the history needs it. */
export interface DateEvaluation {
  holding: Holding[];
  /** Every segment active on the date: [subject_id, projected_exhaustion_date, label, owner]. */
  segments: [string, string | null, string, string | null][];
}

interface Entry extends DateEvaluation {
  key: string;
  as_of: string;
}

/** The key of one date's evaluation over `files` (the export as of that date) under `config`. */
export function historyKey(asOf: string, files: ExportFile[], config: Config): string {
  const {environment, ownerField, labelSource, patterns, lineCategories, burnLineItemTypes, alerts} = config;
  const hash = createHash("sha256");
  hash.update(JSON.stringify({version: HISTORY_CACHE_VERSION, asOf, environment, ownerField, labelSource, patterns, lineCategories, burnLineItemTypes, rules: alerts.rules}));
  for (const model of modelsFor(HISTORY_MODELS)) hash.update(`\n${model.name}\n${model.build ? "typescript" : modelSql(model)}`);
  for (const key of files.map(fileKey).sort()) hash.update(`\n${key}`);
  return hash.digest("hex");
}

const entryPath = (snapshotDir: string, asOf: string) => join(snapshotDir, HISTORY_CACHE_FOLDER, `${asOf}.json`);

/** The date's cached evaluation, if one with this key is there. */
export async function readHistoryEntry(snapshotDir: string, asOf: string, key: string): Promise<DateEvaluation | null> {
  const path = entryPath(snapshotDir, asOf);
  if (!existsSync(path)) return null;
  try {
    const entry = JSON.parse(await readFile(path, "utf8")) as Entry;
    return entry.key === key && entry.as_of === asOf ? {holding: entry.holding, segments: entry.segments} : null;
  } catch {
    return null; // a torn or foreign file: evaluated again and replaced
  }
}

/**
 * Keeps the date's evaluation (written whole, then renamed into place). A snapshot folder that cannot be written
 * (read-only, given with METERBOOK_SNAPSHOT_DIR) only costs the next build the replay: the reason is returned, not
 * thrown.
 */
export async function writeHistoryEntry(snapshotDir: string, asOf: string, key: string, evaluation: DateEvaluation): Promise<string | null> {
  const path = entryPath(snapshotDir, asOf);
  try {
    await mkdir(join(snapshotDir, HISTORY_CACHE_FOLDER), {recursive: true});
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify({key, as_of: asOf, ...evaluation} satisfies Entry));
    await rename(partial, path);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * Links (or, across file systems, copies) the previous snapshot's entries for this snapshot's history window (`weeks`
 * weeks back from `asOf`, `asOf` included) into the new snapshot's folder; entries outside it are dropped. Returns how
 * many were carried.
 */
export async function carryHistoryCache(previousDir: string, newDir: string, asOf: string, weeks: number): Promise<number> {
  const from = join(previousDir, HISTORY_CACHE_FOLDER);
  if (!existsSync(from)) return 0;
  const earliest = addDays(asOf, -7 * weeks);
  const names = (await readdir(from)).filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n) && n.slice(0, 10) >= earliest && n.slice(0, 10) <= asOf);
  if (!names.length) return 0;
  await mkdir(join(newDir, HISTORY_CACHE_FOLDER), {recursive: true});
  for (const name of names) copyOrLink(join(from, name), join(newDir, HISTORY_CACHE_FOLDER, name));
  return names.length;
}
