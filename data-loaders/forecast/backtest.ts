// `meterbook backtest`: stages the export once, builds only the models the daily burn needs, replays both forecasts
// at the chosen origins (build.ts) and writes the accuracy mart's rows, returned for the command to print.
// Pseudo-out-of-sample: each origin sees only the burn of the days before it, but of the export's final series
// (restatements after the origin are not undone) and with the segments as the export now defines them (docs/forecast.md).
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../config.js";
import {dayNumber} from "../lib/dates.js";
import {openDuckDB, rows} from "../lib/duckdb.js";
import {MODELS, modelsFor, writeParams} from "../models/build.js";
import {runModels} from "../models/run.js";
import {planExport} from "../snapshot/snapshot.js";
import {stageExport} from "../sources/export/stage.js";
import {buildBacktest, type BacktestOptions} from "./build.js";

export interface AccuracyRow {
  method: string;
  horizon: string;
  slice_kind: string;
  slice: string;
  origins: number;
  pairs: number;
  wape_pct: number | null;
  bias_pct: number | null;
  coverage_p10_p90_pct: number | null;
  exhaustion_judged: number;
  exhaustion_mae_days: number | null;
  exhaustion_precision_pct: number | null;
  exhaustion_recall_pct: number | null;
}

/** "7d", "14d" or "7" → 7. */
export function parseEvery(text: string): number {
  const match = /^(\d+)d?$/.exec(text);
  if (!match || Number(match[1]) < 1) throw new Error(`--every must be a number of days like 7d, got ${text}`);
  return Number(match[1]);
}

export interface BacktestRun {
  asOf: string;
  rows: AccuracyRow[];
  seconds: number;
  /** Of which: the replay and scoring, after staging and the burn models. */
  replaySeconds: number;
}

export async function runBacktest({exportDir, asOf, config, from, to, every, log = () => {}}: {exportDir: string; asOf?: string; config: Config; from?: string; to?: string; every?: number; log?: (m: string) => void}): Promise<BacktestRun> {
  const started = performance.now();
  const plan = planExport(exportDir, asOf);
  const {instance, connection} = await openDuckDB();
  try {
    await stageExport(connection, plan.files, {environment: config.environment, log});
    await writeParams(connection, plan.asOf, config);
    await runModels(connection, modelsFor(["int_segments", "int_segment_burn_days"]));
    const replay = performance.now();
    const options: BacktestOptions = {from: from ? dayNumber(from) : undefined, to: to ? dayNumber(to) : undefined, every};
    await buildBacktest(connection, options);
    await runModels(connection, MODELS.filter((m) => m.name === "mart_forecast_accuracy"));
    const rows = await accuracyRows(connection);
    return {asOf: plan.asOf, rows, seconds: (performance.now() - started) / 1000, replaySeconds: (performance.now() - replay) / 1000};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function accuracyRows(connection: DuckDBConnection): Promise<AccuracyRow[]> {
  return rows<AccuracyRow>(connection, `
    select method, horizon, slice_kind, slice, origins, pairs, wape_pct, bias_pct, coverage_p10_p90_pct, exhaustion_judged, exhaustion_mae_days,
      exhaustion_precision_pct, exhaustion_recall_pct
    from mart_forecast_accuracy order by slice_kind, slice, horizon_rank, method`);
}

const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)} %`);
const signedPct = (v: number | null) => (v === null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(1)} %`);

/** The accuracy table as text: one line per slice × horizon × method. */
export function formatAccuracy(run: BacktestRun): string {
  const header = ["slice", "horizon", "method", "pairs", "WAPE", "bias", "P10–P90", "exh. MAE d", "precision", "recall"];
  const lines = run.rows.map((r) => [
    r.slice_kind === "all" ? "all" : `${r.slice_kind}=${r.slice}`, r.horizon, r.method, String(r.pairs), pct(r.wape_pct), signedPct(r.bias_pct),
    pct(r.coverage_p10_p90_pct), r.exhaustion_mae_days === null ? "—" : r.exhaustion_mae_days.toFixed(1), pct(r.exhaustion_precision_pct), pct(r.exhaustion_recall_pct)
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const origins = Math.max(0, ...run.rows.map((r) => r.origins));
  return [`backtest as of ${run.asOf}: ${origins} origins in ${run.seconds.toFixed(1)} s (staging once and the burn models ${(run.seconds - run.replaySeconds).toFixed(1)} s, replay and scoring ${run.replaySeconds.toFixed(1)} s)`, format(header), ...lines.map(format)].join("\n");
}
