// Alert history, replayed: for each as-of date of a series (weekly by default) the export as it stood on that date
// (time travel: only the partitions dt ≤ D, docs/time-travel.md) is staged, the models that pacing,
// customers and credit types need are built as of that date and the rules evaluated, with each date's observation
// feeding the next as `meterbook alerts` state would ("consecutive" rules included). What fired when, and how long
// before the segment ran out (as known at the latest date), for the /alerts page. It equals what `meterbook alerts`
// fires on `meterbook snapshot --as-of D` of each date (test/alerts-history.test.ts). Staging once per date is the
// cost of honesty: staging keeps only the latest version of each key, so one staging cannot answer an earlier date.
import {existsSync, readFileSync} from "node:fs";
import {mkdir, mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import type {Config} from "../config.js";
import {siblingPath} from "../lib/atomic.js";
import {openDuckDB} from "../lib/duckdb.js";
import {modelsFor, writeParams} from "../models/build.js";
import {runModels} from "../models/run.js";
import {discoverExport, discoverExportAsOf, firstTransferDate} from "../sources/export/discover.js";
import {newCache} from "../sources/export/cache.js";
import {stageExport} from "../sources/export/stage.js";
import {addDays, daysBetween} from "../../src/core/periods.js";
import {CACHE_FOLDER, type Manifest} from "../snapshot/snapshot.js";
import type {ExportFile} from "../sources/export/discover.js";
import {evaluate, evaluateOn, type Evaluation, type Holding} from "./evaluate.js";
import {HISTORY_CACHE_FOLDER, HISTORY_MODELS, historyKey, readHistoryEntry, writeHistoryEntry, type DateEvaluation} from "./history-cache.js";
import {alertKey, heldConsecutively, type AlertState} from "./state.js";

export interface HistoryRow {
  as_of: string;
  rule_id: string;
  kind: string;
  severity: string;
  subject_id: string;
  customer_id: string | null;
  label: string;
  owner: string | null;
  /** `fired`: firing on this date and not on the previous one of the series; `firing`: still firing. */
  event: "fired" | "firing";
  figure: string;
  value: number | null;
  /** The segment's projected exhaustion date as of this date. */
  projected_exhaustion_date: string | null;
  /** The day the segment runs (or ran) out as known at the latest date of the series; null: not before its end. */
  exhaustion_date: string | null;
  /** exhaustion_date − as_of: how long before running out this alert was firing. */
  lead_days: number | null;
}

/** `weeks` dates, a week apart, ending at `latest` (oldest first). */
export function historyDates(latest: string, weeks: number): string[] {
  return Array.from({length: weeks}, (_, i) => addDays(latest, -7 * (weeks - 1 - i)));
}


export interface ReplayOptions {
  exportDir: string;
  asOfs: string[];
  config: Config;
  log?: (message: string) => void;
  /**
   * A snapshot of the same export: its own date is not replayed but evaluated on its marts, as `meterbook alerts`
   * evaluates it (the site's alerts_now); every other date is replayed. Its folder keeps each date's evaluation
   * (history-cache.ts) for the next build.
   */
  snapshotDir?: string;
}

const sameFiles = (listed: Manifest["source_files"], files: ExportFile[]) => {
  const key = (f: {path: string; bytes: number}) => `${f.path}\0${f.bytes}`;
  const now = new Set(files.map((f) => key({path: f.relativePath, bytes: f.bytes})));
  return listed.length === now.size && listed.every((f) => now.has(key(f)));
};

const keep = (evaluation: Pick<Evaluation, "holding" | "segments">): DateEvaluation => ({
  holding: evaluation.holding,
  segments: [...evaluation.segments.values()].map((s) => [s.subject_id, s.projected_exhaustion_date, s.label, s.owner])
});

/** The snapshot's own date, on its marts: what `meterbook alerts` fires on it. */
async function evaluateSnapshot(snapshotDir: string, config: Config): Promise<DateEvaluation> {
  const evaluated = await evaluate(snapshotDir, config.alerts.rules);
  try {
    return keep(evaluated);
  } finally {
    evaluated.close();
  }
}

/**
 * Where a date is replayed: a scratch folder beside the snapshot (on its disk, so the snapshot's staging cache is
 * hard-linked, not copied), else under the system's temporary folder.
 */
async function scratchFolder(asOf: string, snapshotDir: string | undefined): Promise<string> {
  if (snapshotDir) {
    const beside = siblingPath(resolve(snapshotDir), `history-${asOf}`);
    try {
      await mkdir(beside);
      return beside;
    } catch {
      // A snapshot folder whose parent cannot be written: the temporary folder.
    }
  }
  return mkdtemp(join(tmpdir(), `meterbook-history-${asOf}-`));
}

/**
 * An earlier date: the export as it stood then, staged and modelled as far as the rules read, through a scratch
 * folder as the snapshot is (the line-level tables as Parquet there): at 1,000 customers a date took 24 s and 1.2 GB
 * of RSS against 26 s and 1.9 GB held in memory. The files the snapshot's staging cache holds are read from it
 * (a time-travel read: the later files' rows are left out), as `meterbook snapshot --as-of D` reads them: 17 s a date
 * against 21 s from the export (docs/scaling.md).
 */
async function replayDate(asOf: string, files: Map<string, ExportFile[]>, exportFiles: ExportFile[], config: Config, models: ReturnType<typeof modelsFor>, snapshotDir: string | undefined): Promise<DateEvaluation> {
  const sourceFiles = exportFiles.map((f) => ({table: f.table, path: f.relativePath, bytes: f.bytes, dt: f.dt}));
  const scratch = await scratchFolder(asOf, snapshotDir);
  const kept = snapshotDir ? join(snapshotDir, CACHE_FOLDER) : null;
  const cache = kept && existsSync(kept) ? newCache(kept, join(scratch, "cache")) : null;
  const {instance, connection} = await openDuckDB({tempDirectory: join(scratch, "spill")});
  try {
    await stageExport(connection, files, {environment: config.environment, log: () => {}, scratch: join(scratch, "tables"), cache});
    await writeParams(connection, asOf, config);
    await runModels(connection, models, {scratch: join(scratch, "tables")});
    return keep(await evaluateOn(connection, {as_of: asOf, content_hash: "", source_files: sourceFiles}, config.alerts.rules));
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, {recursive: true, force: true});
  }
}

/**
 * The alerts firing on each date of `asOfs`, in date order: each date from the snapshot folder's history cache when
 * an earlier build evaluated it on the same files and config (history-cache.ts), else evaluated and kept there.
 */
export async function replayAlerts({exportDir, asOfs, config, log = () => {}, snapshotDir}: ReplayOptions): Promise<HistoryRow[]> {
  const dates = [...new Set(asOfs)].sort();
  const rules = new Map(config.alerts.rules.map((r) => [r.id, r]));
  const root = resolve(exportDir);
  // The models the rules read (pacing, customers, credit types) and everything they are built from.
  const models = modelsFor(HISTORY_MODELS);
  const started = performance.now();
  const state: AlertState = {observations: [], active: new Map()};
  const out: {as_of: string; firing: Holding[]; exhaustion: Map<string, string | null>; labels: Map<string, {label: string; owner: string | null}>}[] = [];
  const manifest = snapshotDir ? (JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8")) as Pick<Manifest, "as_of" | "source_files">) : null;
  const counts = {cached: 0, evaluated: 0, replayed: 0};
  const unwritable = new Set<string>();
  // A date before the export's first transfer had nothing delivered: it is left out, not an error (an export younger
  // than the history's weeks).
  const first = firstTransferDate(discoverExport(root));
  const early = first === null ? [] : dates.filter((d) => d < first);
  if (early.length) log(`alerts history: ${early.length} date${early.length === 1 ? "" : "s"} before the export's first transfer (dt=${first}) left out: nothing was delivered by then`);
  for (const asOf of dates.filter((d) => !early.includes(d))) {
    const {files} = discoverExportAsOf(root, asOf);
    const exportFiles = [...files.values()].flat();
    const key = historyKey(asOf, exportFiles, config);
    // The snapshot's own date is evaluated on its marts when they are of these very files (as they are right after
    // the snapshot); otherwise that date is replayed like the others.
    const own = manifest?.as_of === asOf && sameFiles(manifest.source_files, exportFiles);
    let evaluation = snapshotDir ? await readHistoryEntry(snapshotDir, asOf, key) : null;
    if (evaluation) counts.cached++;
    else {
      evaluation = own ? await evaluateSnapshot(snapshotDir!, config) : await replayDate(asOf, files, exportFiles, config, models, snapshotDir);
      counts[own ? "evaluated" : "replayed"]++;
      if (snapshotDir) {
        const failed = await writeHistoryEntry(snapshotDir, asOf, key, evaluation);
        if (failed) unwritable.add(failed);
      }
    }
    const firing = evaluation.holding.filter((h) => heldConsecutively(state, asOf, alertKey(h), rules.get(h.rule_id)!.consecutive));
    state.observations.push({as_of: asOf, content_hash: "", observed_at: "", holding: evaluation.holding.map((h) => ({rule_id: h.rule_id, subject_id: h.subject_id, value: h.value}))});
    const exhaustion = new Map(evaluation.segments.map(([subject, exhaustionDate]) => [subject, exhaustionDate]));
    const labels = new Map(evaluation.segments.map(([subject, , label, owner]) => [subject, {label, owner}]));
    out.push({as_of: asOf, firing, exhaustion, labels});
  }
  log(
    `alerts history: ${dates.length - early.length} dates in ${((performance.now() - started) / 1000).toFixed(1)} s: ${counts.cached} from the cache, ${counts.evaluated} on the snapshot's marts, ${counts.replayed} replayed` +
      (unwritable.size ? ` (not kept: ${snapshotDir}/${HISTORY_CACHE_FOLDER} could not be written: ${[...unwritable].join(", ")})` : "")
  );
  const latest = out.at(-1);
  const rows: HistoryRow[] = [];
  out.forEach((step, i) => {
    const before = new Set((out[i - 1]?.firing ?? []).map(alertKey));
    for (const h of step.firing) {
      const rule = rules.get(h.rule_id)!;
      const who = step.labels.get(h.subject_id);
      const exhaustionDate = latest!.exhaustion.get(h.subject_id) ?? null;
      rows.push({
        as_of: step.as_of,
        rule_id: h.rule_id,
        kind: rule.kind,
        severity: rule.severity,
        subject_id: h.subject_id,
        customer_id: h.customer_id,
        label: who?.label ?? h.subject_id.replace(/^table:/, "export table "),
        owner: who?.owner ?? null,
        event: before.has(alertKey(h)) ? "firing" : "fired",
        figure: h.figure,
        value: h.value,
        projected_exhaustion_date: step.exhaustion.get(h.subject_id) ?? null,
        exhaustion_date: exhaustionDate,
        lead_days: exhaustionDate === null ? null : daysBetween(step.as_of, exhaustionDate)
      });
    }
  });
  return rows;
}
