// `meterbook pull`: reads a Metronome account through the API (for teams without Data Export) and writes it as a
// Data Export folder (`<out>/export/<table>/dt=<until>/<run>_<stamp>.parquet`, the tables the export reader reads),
// plus `<out>/usage_daily.parquet` from the usage endpoint and `<out>/state.json`. `meterbook snapshot --export
// <out>/export` (or config `source: "api"`) then works unchanged. Mappings and gaps: docs/api-source.md.
//
// Incremental: days before `last_complete_day + 1` were pulled finalized and are kept; a run re-pulls from the first
// day an invoice may still change (the earliest open draft's start) up to `until`. Each run builds a complete new
// folder next to `<out>` (carrying the kept files over) and swaps it in, so a failed run leaves the previous pull as it
// was. The token never leaves the process: it is not logged, not written, and removed from error messages.
import {existsSync, readdirSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import type {Config} from "../../config.js";
import {writeFolderAtomically} from "../../lib/atomic.js";
import {dayNumber, isoMidnight} from "../../lib/dates.js";
import {openDuckDB} from "../../lib/duckdb.js";
import {ApiError, createClient, explain, type ClientOptions} from "./client.js";
import {reader} from "./fetch.js";
import {checkDate, pullRange, readPullState, type PullState} from "./plan.js";
import {derivedId, type PullContext} from "./translate.js";
import {exportRows, writeExport} from "./write.js";

export type {PullState} from "./plan.js";

export interface PullProgress {
  phase: "validate" | "catalog" | "customers" | "usage" | "write" | "done";
  customersDone: number;
  customersTotal: number;
  /** Daily breakdown and usage windows received. */
  windows: number;
  requests: number;
}

export interface PullOptions extends ClientOptions {
  out: string;
  /** First day (YYYY-MM-DD) of a first pull; default the earliest invoice or contract start. */
  since?: string;
  /** Exclusive end day (YYYY-MM-DD); default today (UTC). Data is complete for the days before it. */
  until?: string;
  config: Config;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  now?: () => Date;
  log?: (message: string) => void;
  progress?: (progress: PullProgress) => void;
}

export interface PullResult {
  since: string;
  until: string;
  /** First day whose breakdowns and usage this run requested. */
  from: string;
  lastCompleteDay: string;
  customers: number;
  windows: number;
  requests: number;
  rows: Record<string, number>;
  seconds: number;
}

export async function pull(options: PullOptions): Promise<PullResult> {
  const started = performance.now();
  const {config, concurrency = 4, now = () => new Date(), log = () => {}, progress = () => {}} = options;
  const target = resolve(options.out);
  const until = checkDate(options.until, "--until") ?? now().toISOString().slice(0, 10);
  const explicitSince = checkDate(options.since, "--since");
  if (explicitSince && explicitSince >= until) throw new ApiError(`--since ${explicitSince} must be before --until ${until}`);
  const state = await readPullState(target);
  // The run replaces <out> whole: never a folder that is not a previous pull's.
  if (!state && existsSync(target) && readdirSync(target).length > 0) throw new ApiError(`${target} exists and is not a pull folder (no state.json): choose an empty or new --out`);
  if (state && until < state.until) throw new ApiError(`--until ${until} is before the previous pull's ${state.until} in ${target}: pull into a new folder to go back in time`);
  const api = createClient(options);
  const {requests, redact} = api;
  const read = reader(api, concurrency);
  const ctx: PullContext = {environment: config.environment, pulledAt: now().toISOString(), snapshotAt: isoMidnight(dayNumber(until))};
  const run = (state?.runs ?? 0) + 1;
  const transferId = derivedId("pull", ctx.pulledAt, String(run));
  const status: PullProgress = {phase: "validate", customersDone: 0, customersTotal: 0, windows: 0, requests: 0};
  const report = (change: Partial<PullProgress>) => {
    Object.assign(status, change, {requests: requests()});
    progress({...status});
  };

  report({phase: "validate"});
  await read.checkAccess(isoMidnight(dayNumber(until) - 1), ctx.snapshotAt);
  log(`pull: token accepted for customers, billable metrics, usage and invoice breakdowns`);

  report({phase: "catalog"});
  const catalog = await read.catalog();
  const {customers, metrics, products, creditTypes} = catalog;
  log(`pull: ${customers.length} customers, ${metrics.length} billable metrics, ${products.length} products, ${creditTypes.length} credit types`);

  report({phase: "customers", customersTotal: customers.length});
  const account = {...catalog, perCustomer: await read.perCustomer(customers)};

  const {since, from, lastComplete} = pullRange(account.perCustomer, {explicitSince, state, until});
  log(`pull: breakdowns and usage for [${from}, ${until})${state ? ` (incremental; last complete day ${state.last_complete_day})` : ""}`);

  const fromTs = isoMidnight(dayNumber(from));
  let windows = 0;
  let customersDone = 0;
  const breakdowns = await read.breakdowns(account.perCustomer.map(({customer}) => customer), fromTs, ctx.snapshotAt, (received) => {
    windows += received;
    customersDone += 1;
    report({customersDone, windows});
  });

  report({phase: "usage"});
  const usage = await read.usage(metrics, fromTs, ctx.snapshotAt, (received) => {
    windows += received;
    report({windows});
  });

  report({phase: "write"});
  const rows = exportRows(account, breakdowns, ctx, transferId);
  const {instance, connection} = await openDuckDB();
  try {
    const result = await writeFolderAtomically(target, async (staging) => {
      const stampMs = Math.max(now().getTime(), dayNumber(until) * 86_400_000);
      const counts = await writeExport(connection, {target, staging, incremental: state !== null, rows, usage, from, until, run, stampMs});
      const newState: PullState = {version: 1, since, until, last_complete_day: lastComplete, runs: run};
      await writeFile(join(staging, "state.json"), JSON.stringify(newState, null, 2) + "\n");
      const result: PullResult = {
        since,
        until,
        from,
        lastCompleteDay: lastComplete,
        customers: customers.length,
        windows,
        requests: requests(),
        rows: counts,
        seconds: Math.round((performance.now() - started) / 100) / 10
      };
      await writeFile(join(staging, "pull.json"), JSON.stringify({...result, pulled_at: ctx.pulledAt, environment: config.environment}, null, 2) + "\n");
      return result;
    });
    report({phase: "done"});
    log(`pull: wrote ${target} (${windows} windows, ${requests()} requests, ${result.seconds} s)`);
    return result;
  } catch (error) {
    throw explain(error, "customers", "writing the pull", redact);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
