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
import {cp, mkdir, readFile, writeFile} from "node:fs/promises";
import {dirname, join, resolve} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../../config.js";
import {writeFolderAtomically} from "../../lib/atomic.js";
import {dayNumber, isoDay, isoMidnight} from "../../lib/dates.js";
import {openDuckDB, rows as queryRows, sqlString} from "../../lib/duckdb.js";
import {exportFilePath, stagedBatches, type StagedRow} from "../export/layout.js";
import {TABLES} from "../export/tables.js";
import {ApiError, createClient, explain, type Access, type ClientOptions} from "./client.js";
import {
  balanceRow,
  billableMetricRow,
  breakdownRows,
  contractRow,
  creditTypeRow,
  customerRow,
  derivedId,
  invoiceRow,
  isDraft,
  productRow,
  type ApiBalance,
  type ApiBillableMetric,
  type ApiBreakdown,
  type ApiContract,
  type ApiCustomer,
  type ApiInvoice,
  type ApiProduct,
  type ApiUsage,
  type PullContext,
  type Row
} from "./translate.js";

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

export interface PullState {
  version: 1;
  since: string;
  until: string;
  /** The last day whose invoices were all finalized when pulled: later runs start the day after. */
  last_complete_day: string;
  runs: number;
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

/** Tables carried from the previous pull (finalized history); every other table is re-pulled in full each run. */
const CARRIED = ["breakdowns_invoices", "breakdowns_line_items"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!DATE.test(value)) throw new ApiError(`invalid ${flag} date: ${value} (expected YYYY-MM-DD)`);
  try {
    dayNumber(value);
  } catch {
    throw new ApiError(`invalid ${flag} date: ${value} (not a calendar date)`);
  }
  return value;
}

/** Runs `fn` over `items` with at most `limit` in flight. After a failure no new item starts; the call settles
 * only when every started item has (no request outlives the pull), then throws the first error. */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: {error: unknown} | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= {error};
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  if (failure) throw (failure as {error: unknown}).error;
  return results;
}

export async function readPullState(out: string): Promise<PullState | null> {
  const path = join(resolve(out), "state.json");
  if (!existsSync(path)) return null;
  const state = JSON.parse(await readFile(path, "utf8")) as PullState;
  if (state.version !== 1 || !DATE.test(state.last_complete_day)) throw new ApiError(`unreadable pull state ${path}: delete the folder to pull again from scratch`);
  return state;
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
  const {client, requests, redact} = createClient(options);
  const ctx: PullContext = {environment: config.environment, pulledAt: now().toISOString(), snapshotAt: isoMidnight(dayNumber(until))};
  const run = (state?.runs ?? 0) + 1;
  const transferId = derivedId("pull", ctx.pulledAt, String(run));
  const status: PullProgress = {phase: "validate", customersDone: 0, customersTotal: 0, windows: 0, requests: 0};
  const report = (change: Partial<PullProgress>) => {
    Object.assign(status, change, {requests: requests()});
    progress({...status});
  };
  const call = async <T>(access: Access, what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw explain(error, access, what, redact);
    }
  };
  const all = async <T>(access: Access, what: string, list: () => AsyncIterable<T>): Promise<T[]> =>
    call(access, what, async () => {
      const items: T[] = [];
      for await (const item of list()) items.push(item);
      return items;
    });

  // Connect: one cheap read per kind of access, so a token missing one fails before any work, naming it.
  report({phase: "validate"});
  const lastDay = isoMidnight(dayNumber(until) - 1);
  const firstCustomers = await call("customers", "GET /v1/customers", async () => (await client.v1.customers.list({limit: 1})).data as ApiCustomer[]);
  const firstMetrics = await call("billable metrics", "GET /v1/billable-metrics", async () => (await client.v1.billableMetrics.list({limit: 1})).data as ApiBillableMetric[]);
  await call("usage", "POST /v1/usage", () => client.v1.usage.list({starting_on: lastDay, ending_before: ctx.snapshotAt, window_size: "DAY", ...(firstMetrics[0] ? {billable_metrics: [{id: firstMetrics[0].id}]} : {})}));
  if (firstCustomers[0]) {
    const customer_id = firstCustomers[0].id;
    await call("invoice breakdowns", `GET /v1/customers/{id}/invoices/breakdowns`, () =>
      client.v1.customers.invoices.listBreakdowns({customer_id, starting_on: lastDay, ending_before: ctx.snapshotAt, window_size: "DAY", limit: 1}));
  }
  log(`pull: token accepted for customers, billable metrics, usage and invoice breakdowns`);

  report({phase: "catalog"});
  const active = await all("customers", "GET /v1/customers", () => client.v1.customers.list({limit: 100}));
  const archived = await all("customers", "GET /v1/customers?only_archived=true", () => client.v1.customers.list({limit: 100, only_archived: true}));
  const customers = [...new Map([...active, ...archived].map((c) => [c.id, c as ApiCustomer])).values()];
  const metrics = (await all("billable metrics", "GET /v1/billable-metrics", () => client.v1.billableMetrics.list({include_archived: true, limit: 100}))) as ApiBillableMetric[];
  const products = (await all("products", "POST /v1/contract-pricing/products/list", () => client.v1.contracts.products.list({archive_filter: "ALL", limit: 100}))) as ApiProduct[];
  const creditTypes = await all("credit types", "GET /v1/credit-types/list", () => client.v1.pricingUnits.list({limit: 100}));
  log(`pull: ${customers.length} customers, ${metrics.length} billable metrics, ${products.length} products, ${creditTypes.length} credit types`);

  // Per customer: contracts, balances (commits and credits, with schedules), invoices.
  report({phase: "customers", customersTotal: customers.length});
  const perCustomer = await mapPool(customers, concurrency, async (customer) => {
    const customer_id = customer.id;
    const contracts = await call("contracts and balances", "POST /v2/contracts/list", async () => (await client.v2.contracts.list({customer_id, include_archived: true})).data as unknown as ApiContract[]);
    const balances = (await all("contracts and balances", "POST /v1/contracts/customerBalances/list", () =>
      client.v1.contracts.listBalances({customer_id, include_balance: true, include_ledgers: true, include_contract_balances: true, include_archived: true, limit: 25}))) as unknown as ApiBalance[];
    const invoices = (await all("invoices", "GET /v1/customers/{id}/invoices", () => client.v1.customers.invoices.list({customer_id, limit: 100}))) as unknown as ApiInvoice[];
    return {customer, contracts, balances, invoices};
  });

  // The range: a first pull starts at --since or the earliest invoice or contract; a re-run at the day after the last
  // complete one, or earlier if an open draft began before it (its month-to-date is re-pulled whole).
  const starts = perCustomer.flatMap(({contracts, invoices}) => [...contracts.map((c) => c.starting_at), ...invoices.map((i) => i.start_timestamp ?? "")]).filter(Boolean).map((t) => t.slice(0, 10));
  const since = explicitSince ?? state?.since ?? (starts.length ? starts.sort()[0]! : isoDay(dayNumber(until) - 1));
  const openStarts = perCustomer.flatMap(({invoices}) => invoices.filter((i) => isDraft(i.status) && i.start_timestamp).map((i) => i.start_timestamp!.slice(0, 10))).sort();
  let from = explicitSince ?? (state ? isoDay(dayNumber(state.last_complete_day) + 1) : since);
  if (openStarts[0] && openStarts[0] < from) from = openStarts[0] < since ? since : openStarts[0];
  if (from >= until) from = isoDay(dayNumber(until) - 1);
  const lastComplete = openStarts[0] && openStarts[0] < until ? isoDay(Math.max(dayNumber(openStarts[0]) - 1, dayNumber(from) - 1)) : isoDay(dayNumber(until) - 1);
  log(`pull: breakdowns and usage for [${from}, ${until})${state ? ` (incremental; last complete day ${state.last_complete_day})` : ""}`);

  const fromTs = isoMidnight(dayNumber(from));
  let windows = 0;
  let customersDone = 0;
  const breakdowns = await mapPool(perCustomer, concurrency, async ({customer}) => {
    const items = (await all("invoice breakdowns", "GET /v1/customers/{id}/invoices/breakdowns", () =>
      client.v1.customers.invoices.listBreakdowns({customer_id: customer.id, starting_on: fromTs, ending_before: ctx.snapshotAt, window_size: "DAY", limit: 100}))) as unknown as ApiBreakdown[];
    windows += items.length;
    customersDone += 1;
    report({customersDone, windows});
    return items;
  });

  report({phase: "usage"});
  const usage = (
    await mapPool(metrics.filter((m) => !m.archived_at), concurrency, async (metric) => {
      const items = (await all("usage", "POST /v1/usage", () =>
        client.v1.usage.list({starting_on: fromTs, ending_before: ctx.snapshotAt, window_size: "DAY", billable_metrics: [{id: metric.id}]}))) as unknown as ApiUsage[];
      windows += items.length;
      report({windows});
      return items;
    })
  ).flat();

  // Rows per export table.
  report({phase: "write"});
  const rows = new Map<string, Row[]>(TABLES.map((t) => [t.name, []]));
  const push = (table: string, row: Row | null) => row && rows.get(table)!.push(row);
  for (const c of customers) push("customer", customerRow(c, ctx));
  for (const m of metrics) push("billable_metric", billableMetricRow(m, ctx));
  for (const p of products) push("product", productRow(p, ctx));
  for (const t of creditTypes) push("credit_type", creditTypeRow(t, ctx));
  for (const {customer, contracts, balances, invoices} of perCustomer) {
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

  const {instance, connection} = await openDuckDB();
  try {
    const result = await writeFolderAtomically(target, async (staging) => {
      await mkdir(join(staging, "export"), {recursive: true});
      // Finalized history from earlier runs, unchanged.
      for (const table of CARRIED) {
        const previous = join(target, "export", table);
        if (state && existsSync(previous)) await cp(previous, join(staging, "export", table), {recursive: true});
      }
      const dt = dayNumber(until);
      const stampMs = Math.max(now().getTime(), dt * 86_400_000);
      const counts: Record<string, number> = {};
      for (const spec of TABLES) {
        const list = rows.get(spec.name)!;
        counts[spec.name] = list.length;
        // Optional tables with nothing pulled are left out, as an export without them; required ones get a typed empty file.
        if (list.length === 0 && (spec.optional || CARRIED.includes(spec.name))) continue;
        await writeTable(connection, spec.name, list, join(staging, "export", exportFilePath(spec.name, dt, run, stampMs)));
      }
      counts.usage_daily = await writeUsage(connection, usage, from, state ? join(target, "usage_daily.parquet") : null, join(staging, "usage_daily.parquet"));
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
