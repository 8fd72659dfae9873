// What the site's loaders serve: the snapshot (made once per change of export, config or model code, and cached in
// .meterbook/), the portfolio extracts pages read, and one folder of files per customer — all from one process.
import {createHash} from "node:crypto";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import {mkdir, mkdtemp, readFile, rename, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {zipSync, type Zippable} from "fflate";
import {loadConfig, PROJECT_ROOT, type Config} from "../config.js";
import {copyOrLink, linkTree, writeFolderAtomically} from "../lib/atomic.js";
import {JSDOM} from "jsdom";
import {alertsPreview, customerPreviewFiles} from "./previews.js";
import {duckdbMemory, loadTable, memoryLimit, openDuckDB, rows, sqlString, type AppendType, type Cell} from "../lib/duckdb.js";
import {snapshot, type Manifest} from "./snapshot.js";
import {SCRATCH_COMPRESSION} from "../models/run.js";
import {resolveExportDir} from "../sources/resolve.js";

export const SITE_CACHE = join(PROJECT_ROOT, ".meterbook");

function listFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Changes with the export's files, the config, and the code that models them. */
function fingerprint(exportDir: string, asOf: string | undefined, config: Config): string {
  const hash = createHash("sha256").update(JSON.stringify({exportDir, asOf, config}));
  for (const root of [exportDir, ...(config.cost?.files ?? [])]) {
    if (!existsSync(root)) continue;
    for (const file of (statSync(root).isDirectory() ? listFiles(root) : [root]).sort()) {
      const s = statSync(file);
      hash.update(`${relative(exportDir, file)}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
  for (const file of listFiles(join(PROJECT_ROOT, "data-loaders")).filter((f) => /\.(ts|sql)$/.test(f)).sort()) {
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

/** The snapshot the site is built from, made if missing or stale. */
export async function siteSnapshot(log: (message: string) => void = (m) => console.error(m)): Promise<{dir: string; manifest: Manifest}> {
  // A snapshot made elsewhere (`meterbook snapshot --out DIR`, the benchmark) is served as it is.
  const given = process.env.METERBOOK_SNAPSHOT_DIR;
  if (given) return {dir: given, manifest: JSON.parse(await readFile(join(given, "manifest.json"), "utf8"))};
  const config = loadConfig();
  const {exportDir, asOf, cost} = await resolveExportDir(null, config, log);
  const dir = join(SITE_CACHE, "snapshot");
  const stamp = join(SITE_CACHE, "snapshot.fingerprint");
  const print = fingerprint(exportDir, asOf, {...config, cost});
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== print || !existsSync(join(dir, "manifest.json"))) {
    await snapshot({exportDir, out: dir, asOf, config: {...config, cost}, log});
    await writeFile(stamp, print);
  }
  return {dir, manifest: JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"))};
}

/**
 * A small integer per customer, in customer_id order, within one snapshot: pages that group many rows by customer use
 * it instead of the 36-character id (/revenue's by-customer breakdown groups and joins about 90,000 customer-days a
 * change; docs/performance.md, "Pages"). It means nothing across snapshots; `customer_id` stays beside it.
 */
const CUSTOMER_KEYS = `select customer_id, row_number() over (order by customer_id)::integer as customer_key from mart_customers`;

/** Page extracts: small, portfolio-wide tables shaped for the pages that read them (see docs/site-data.md). */
export const PORTFOLIO_EXTRACTS: Record<string, string> = {
  customers: `select c.customer_id, k.customer_key, c.label, c.owner, c.is_archived from mart_customers as c join (${CUSTOMER_KEYS}) as k using (customer_id)`,
  credit_types: `select * from mart_credit_types`,
  products: `select * from mart_products`,
  billable_metrics: `select * from mart_billable_metrics`,
  pacing: `select p.*, c.label, c.owner from mart_pacing as p join mart_customers as c using (customer_id)`,
  revenue_product_daily: `select date, product_id, product_name, credit_type_id, sum(revenue_minor) as revenue_minor, sum(quantity) as quantity from mart_revenue_daily group by all`,
  revenue_customer_daily: `select r.date, r.customer_id, k.customer_key, r.credit_type_id, sum(r.revenue_minor) as revenue_minor from mart_revenue_daily as r left join (${CUSTOMER_KEYS}) as k using (customer_id) group by all`,
  revenue_category_daily: `select date, category, credit_type_id, sum(revenue_minor) as revenue_minor, sum(contra_revenue_minor) as contra_revenue_minor from mart_revenue_daily group by all`,
  // The same three by UTC month (the month's first day): /revenue's breakdowns per month read these, not the days.
  revenue_product_monthly: `select date_trunc('month', date)::date as month, product_id, product_name, credit_type_id, sum(revenue_minor) as revenue_minor, sum(quantity) as quantity from mart_revenue_daily group by all`,
  revenue_customer_monthly: `select date_trunc('month', r.date)::date as month, r.customer_id, k.customer_key, r.credit_type_id, sum(r.revenue_minor) as revenue_minor from mart_revenue_daily as r left join (${CUSTOMER_KEYS}) as k using (customer_id) group by all`,
  revenue_category_monthly: `select date_trunc('month', date)::date as month, category, credit_type_id, sum(revenue_minor) as revenue_minor, sum(contra_revenue_minor) as contra_revenue_minor from mart_revenue_daily group by all`,
  line_categories: `select * from mart_line_categories`,
  usage_customer_monthly: `select date_trunc('month', date)::date as month, customer_id, product_id, billable_metric_id, sum(quantity) as quantity, count(*)::integer as active_days from mart_usage_daily group by all`,
  unit_cost_daily: `select * from mart_unit_cost_daily`,
  margin_by_customer: `select * from mart_margin_by_customer`,
  pricing_targets: `select * from mart_pricing_targets`,
  unallocated_cost: `select * from mart_unallocated_cost`,
  portfolio_commit: `select * from mart_portfolio_commit`,
  customer_status: `select * from mart_customer_status`,
  revenue_month_to_date: `select * from mart_revenue_month_to_date`,
  revenue_movers: `select * from mart_revenue_movers`,
  usage_growth: `select * from mart_usage_growth`,
  // The data-health page (docs/data-health.md): findings, freshness, the daily path, balance reconciliation.
  findings: `select * from mart_findings`,
  table_freshness: `select * from mart_table_freshness`,
  daily_sources: `select * from mart_daily_sources`,
  balance_reconciliation: `select r.*, c.label from mart_balance_reconciliation as r join mart_customers as c using (customer_id)`,
  // The /forecast page (docs/forecast.md): the backtest's accuracy of both forecasts.
  forecast_accuracy: `select * from mart_forecast_accuracy`,
  usage_top_customers: `select t.*, c.label, coalesce(p.product_name, t.product_id) as product_name from mart_usage_top_customers as t join mart_customers as c using (customer_id) left join mart_products as p using (product_id)`
};

/** Per-customer files: every row is that customer's, selected by customer_id. */
export const CUSTOMER_EXTRACTS: Record<string, string> = {
  customer: `select customer_id, name, label, owner, ingest_aliases, credit_type_ids, is_archived from mart_customers`,
  pacing: `select * from mart_pacing`,
  segments: `select * from mart_balance_segments`,
  burn_daily: `select * from mart_burn_daily`,
  burn_by_product_daily: `select b.*, p.product_name from mart_burn_by_product_daily as b left join mart_products as p using (product_id)`,
  revenue_daily: `select * from mart_revenue_daily`,
  usage_daily: `select * from mart_usage_daily`,
  invoices: `select * from mart_invoices`,
  balance_reconciliation: `select * from mart_balance_reconciliation`,
  ledger_daily: `select * from mart_ledger_daily`
};

/** A snapshot's marts as views `mart_<name>` in a fresh DuckDB: read where a query needs them, never copied. */
export async function openMarts(dir: string) {
  const db = await openDuckDB();
  for (const file of readdirSync(join(dir, "marts"))) {
    await db.connection.run(`create view mart_${file.replace(/\.parquet$/, "")} as select * from read_parquet(${sqlString(join(dir, "marts", file))})`);
  }
  return db;
}

/** What every page's footer says about the data (docs/data-health.md): the freshness watermark and the errors. */
export interface FooterFacts {
  /** The daily table whose newest transfer is oldest (table_freshness, judged tables), or null when none is judged. */
  watermark: {table: string; date: string} | null;
  /** Error-level findings (findings mart). */
  errors: number;
}

export async function footerFacts(dir: string): Promise<FooterFacts> {
  const {instance, connection} = await openMarts(dir);
  try {
    const [oldest] = await rows<{table_name: string; date: string}>(connection, `
      select table_name, strftime(newest_transfer_date, '%Y-%m-%d') as date from mart_table_freshness
      where freshness_status <> 'not_judged' and newest_transfer_date is not null
      order by newest_transfer_date, table_name limit 1`);
    const [errors] = await rows<{n: number}>(connection, `select count(*)::integer as n from mart_findings where severity = 'error'`);
    return {watermark: oldest ? {table: oldest.table_name, date: oldest.date} : null, errors: errors?.n ?? 0};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A zip (stored, not recompressed: Parquet is compressed already) of `files` (archive path → bytes). */
export function zip(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const [path, bytes] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) entries[path] = [bytes, {level: 0, mtime: new Date("2000-01-01T00:00:00Z")}];
  return zipSync(entries);
}

const SAFE_ID = /^[A-Za-z0-9_.-]+$/;
/**
 * Customers per partitioned COPY, and the files DuckDB keeps open while writing one (partitioned_write_max_open_files,
 * 100 by default): past that many partitions it closes files and opens new ones, so a customer's rows were split over
 * several files and merged again (804 of 1,000 customers for the two daily extracts with 500 a COPY).
 */
export const CUSTOMERS_PER_COPY = 100;

/**
 * The per-customer COPYs' settings under a budget of `duckdbBytes` for DuckDB: one thread, so a build writes the same
 * bytes every time (with two, the threads' rows interleaved differently from run to run); and the rows buffered
 * before a flush to the open files capped at 2 KiB each within the budget (DuckDB's default is 524,288: at 256 MB,
 * 1,000 customers' `revenue_daily` ran out of memory with it and completes with 125,000). A file's rows are the
 * customer's in the mart's order as the write buffers them, chunk by chunk: sorting them first did not keep its order
 * in the files (the partitioned write does not) and cost 10 s. At 1,000 customers the ten extracts took 35 s against
 * 52–65 s before, peak RSS 1.06 GB against 1.6–1.7 GB. (Another budget flushes elsewhere: the same rows, in another
 * order.)
 */
export function perCustomerCopySettings(duckdbBytes: number): string {
  const flush = Math.min(524_288, Math.floor(duckdbBytes / 2048));
  return `set threads = 1; set partitioned_write_max_open_files = ${CUSTOMERS_PER_COPY}; set partitioned_write_flush_threshold = ${flush};`;
}

/** Writes every extract of `queries` as Parquet into a map of archive paths (`<name>.parquet`). */
export async function extracts(dir: string, queries: Record<string, string>): Promise<Record<string, Uint8Array>> {
  const {connection} = await openMarts(dir);
  const scratch = await mkdtemp(join(tmpdir(), "meterbook-extract-"));
  const files: Record<string, Uint8Array> = {};
  try {
    for (const [name, query] of Object.entries(queries)) {
      const path = join(scratch, `${name}.parquet`);
      await connection.run(`copy (${query} order by all) to ${sqlString(path)} (format parquet, compression zstd)`);
      files[`${name}.parquet`] = await readFile(path);
    }
    return files;
  } finally {
    await rm(scratch, {recursive: true, force: true});
    connection.closeSync();
  }
}

/**
 * Writes every extract of `queries` per customer, as `<into>/<customer_id>/<name>.parquet`, and returns those paths
 * (relative to `into`). The files are moved where DuckDB wrote them, never held in memory: 215 MB at 1,000 customers,
 * ten times that at 10,000. `into` is a folder the caller stages (a scratch folder is made inside it, so every move
 * is a rename on one disk).
 */
export async function customerExtracts(dir: string, queries: Record<string, string>, into: string, {emptyFor = [] as string[]} = {}): Promise<string[]> {
  const {connection} = await openMarts(dir);
  const scratch = join(into, `.copy-${process.pid}`);
  const written = new Set<string>();
  /** Moves (or, for an empty file, links) `from` to `<into>/<id>/<name>.parquet`; its path. */
  const place = async (id: string, name: string, from: string, {shared = false} = {}) => {
    const to = join(into, id, `${name}.parquet`);
    await mkdir(join(into, id), {recursive: true});
    if (shared) copyOrLink(from, to);
    else await rename(from, to);
    written.add(`${id}/${name}.parquet`);
    return to;
  };
  try {
    await connection.run(perCustomerCopySettings(duckdbMemory(memoryLimit())));
    // Consecutive ranges of the customers' ids, CUSTOMERS_PER_COPY each, by their first id.
    await connection.run(`
      create temp table customer_ranges as
      select batch, min(customer_id) as first
      from (select customer_id, ((row_number() over (order by customer_id) - 1) // ${CUSTOMERS_PER_COPY})::integer as batch from mart_customers)
      group by batch`);
    for (const [name, query] of Object.entries(queries)) {
      const kept: string[] = [];
      // A few COPYs per extract, partitioned by customer: no process per customer. DuckDB buffers each open
      // partition in its own blocks (256 KiB and up), so one COPY over 10,000 customers runs out of memory: each
      // covers a range of at most CUSTOMERS_PER_COPY customers, as many as it keeps files open.
      // The extract is first split by range in one pass (a partitioned write by the range's number), so each range's
      // COPY reads its own rows, not the whole extract again: at 5,000 customers the COPYs read the 36.5 M rows of
      // revenue_daily 50 times, and the customers' files took 434 s. Every customer id of the extract has a range:
      // the last whose first id is not after it (the first range for an id before every customer's).
      const split = join(scratch, name, "ranges");
      await mkdir(join(split, ".."), {recursive: true});
      // Each customer's rows counted in the same pass, for the invariant below.
      await connection.run(`
        create or replace temp table customer_range as
        select i.customer_id, i.n, coalesce((select max(r.batch) from customer_ranges as r where r.first <= i.customer_id), 0) as range_number
        from (select customer_id, count(*) as n from (${query}) where customer_id is not null group by customer_id) as i`);
      await connection.run(`copy (select q.*, r.range_number from (${query}) as q join (select customer_id, range_number from customer_range) as r using (customer_id)) to ${sqlString(split)} (format parquet, compression ${SCRATCH_COMPRESSION}, partition_by (range_number), filename_pattern 'part')`);
      const splitRanges = existsSync(split) ? readdirSync(split).map((folder) => Number(folder.replace(/^range_number=/, ""))).sort((a, b) => a - b) : [];
      for (const batch of splitRanges) {
        const out = join(scratch, name, String(batch));
        const from = join(split, `range_number=${batch}`);
        const files = readdirSync(from).sort((a, b) => a.localeCompare(b, "en", {numeric: true})).map((f) => sqlString(join(from, f)));
        await connection.run(`copy (select * from read_parquet([${files.join(", ")}], hive_partitioning = false)) to ${sqlString(out)} (format parquet, compression zstd, partition_by (customer_id), write_partition_columns true, filename_pattern 'part')`);
        await rm(from, {recursive: true, force: true});
        for (const folder of existsSync(out) ? readdirSync(out) : []) {
          const id = decodeURIComponent(folder.replace(/^customer_id=/, ""));
          if (!SAFE_ID.test(id)) throw new Error(`customer id not usable in a path: ${JSON.stringify(id)}`);
          const parts = readdirSync(join(out, folder)).sort();
          let single = join(out, folder, parts[0]!);
          if (parts.length > 1) {
            // A writer can split one partition into several files: combine them, so no row is left behind.
            single = join(out, `${folder}.parquet`);
            const list = parts.map((part) => sqlString(join(out, folder, part))).join(", ");
            await connection.run(`copy (select * from read_parquet([${list}]) order by all) to ${sqlString(single)} (format parquet, compression zstd)`);
          }
          kept.push(await place(id, name, single));
        }
      }
      // Invariant: the customers' files of an extract hold exactly the extract's rows, none lost or repeated.
      const count = async (sql: string) => Number((await rows<{n: unknown}>(connection, sql))[0]!.n);
      const expected = await count(`select coalesce(sum(n), 0) as n from customer_range`);
      const actual = kept.length ? await count(`select count(*) as n from read_parquet([${kept.map(sqlString).join(", ")}])`) : 0;
      if (expected !== actual) throw new Error(`per-customer ${name} files hold ${actual} rows, the extract ${expected}`);
    }
    // Customers with no rows in some extract still get every file (empty), so pages need no special case.
    const ids = (await rows<{customer_id: string}>(connection, `select customer_id from mart_customers order by all`)).map((r) => String(r.customer_id));
    for (const [name, query] of Object.entries(queries)) {
      const empty = join(scratch, `empty-${name}.parquet`);
      await connection.run(`copy (${query} limit 0) to ${sqlString(empty)} (format parquet, compression zstd)`);
      for (const id of [...ids, ...emptyFor]) if (SAFE_ID.test(id) && !written.has(`${id}/${name}.parquet`)) await place(id, name, empty, {shared: true});
    }
    return [...written].sort();
  } finally {
    await rm(scratch, {recursive: true, force: true});
    connection.closeSync();
  }
}

/** The per-customer files kept in the snapshot's folder for the next checkout that builds it (writeCustomerFiles). */
export const CUSTOMER_FILES_KEPT = join(".cache", "customer-files");

/** Where the per-customer files live: static files under the site root, written by writeCustomerFiles. */
export const CUSTOMER_FILES_DIR = join(PROJECT_ROOT, "src", "data", "customers");

/**
 * The customer id Framework renders every `[customer].md` page with, once: scripts/customer-pages.ts then writes
 * each customer's page from that one rendering (docs/site-data.md). Its files are the extracts' empty ones.
 */
export const CUSTOMER_VIEW_ID = "meterbook-customer-view";

/**
 * Writes src/data/customers/<customer_id>/<extract>.parquet for every customer — one partitioned COPY per extract,
 * whatever the number of customers — and empty ones for CUSTOMER_VIEW_ID, unless they already belong to this
 * snapshot. Static files cost a copy each; an archive loader costs Framework an extraction per member, which does
 * not scale to thousands of customers.
 */
export async function writeCustomerFiles(dir: string, manifest: Manifest, target = CUSTOMER_FILES_DIR): Promise<{files: number; linked: boolean}> {
  const stamp = join(target, ".snapshot");
  // The snapshot's content and what files a customer gets (raised when that changes: a file added to every customer).
  const version = `${manifest.content_hash} customer-files-2`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === version && existsSync(join(target, CUSTOMER_VIEW_ID))) return {files: 0, linked: false};
  // Written already for this snapshot by an earlier build in another checkout (the next build, CI): linked.
  const kept = join(dir, CUSTOMER_FILES_KEPT);
  if (existsSync(join(kept, ".snapshot")) && readFileSync(join(kept, ".snapshot"), "utf8") === version) {
    // Counted as when written: the stamp (.snapshot) is not one of the files.
    return {files: await writeFolderAtomically(target, async (staging) => linkTree(kept, staging) - 1), linked: true};
  }
  const files = await writeFolderAtomically(target, async (staging) => {
    const paths = await customerExtracts(dir, CUSTOMER_EXTRACTS, staging, {emptyFor: [CUSTOMER_VIEW_ID]});
    // Each customer page's first chart, drawn now (previews.ts); empty where the customer has no burn to draw.
    const drawn = await customerPreviewFiles(dir, manifest.as_of);
    const ids = new Set(paths.map((path) => path.slice(0, path.indexOf("/"))));
    for (const id of ids) await writeFile(join(staging, id, "burn_preview.html"), drawn[`${id}/burn_preview.html`] ?? new Uint8Array());
    await writeFile(join(staging, ".snapshot"), version);
    return paths.length + ids.size;
  });
  // Kept beside the snapshot (links to the files just written): a snapshot folder that cannot be written only costs
  // the next checkout writing them again.
  await writeFolderAtomically(kept, async (staging) => linkTree(target, staging)).catch(() => {});
  return {files, linked: false};
}

export async function writeStdout(bytes: Uint8Array): Promise<void> {
  await new Promise<void>((ok, fail) => process.stdout.write(bytes, (e) => (e ? fail(e) : ok())));
}

const HISTORY_COLUMNS: [string, AppendType][] = [
  ["as_of", "VARCHAR"], ["rule_id", "VARCHAR"], ["kind", "VARCHAR"], ["severity", "VARCHAR"], ["subject_id", "VARCHAR"], ["customer_id", "VARCHAR"],
  ["label", "VARCHAR"], ["owner", "VARCHAR"], ["event", "VARCHAR"], ["figure", "VARCHAR"], ["value", "DOUBLE"],
  ["projected_exhaustion_date", "VARCHAR"], ["exhaustion_date", "VARCHAR"], ["lead_days", "INTEGER"]
];

/**
 * The /alerts and /owners pages' extracts (docs/alerts.md): `alerts_history`, the alerts replayed weekly over the
 * export's past (config alerts.history.weeks dates ending at the snapshot's as_of), and `alerts_now`, its rows of the
 * snapshot's own date — what a weekly `meterbook alerts` fires on this snapshot. Dates as ISO text.
 */
export async function alertExtracts(manifest: Manifest, config: Config, log: (message: string) => void = () => {}, snapshotDir?: string): Promise<Record<string, Uint8Array>> {
  const {historyDates, replayAlerts} = await import("../alerts/history.js");
  // The snapshot's own date is evaluated on its marts (what `meterbook alerts` fires on it), the earlier ones replayed.
  const history = await replayAlerts({exportDir: manifest.source.root, asOfs: historyDates(manifest.as_of, config.alerts.history.weeks), config, log, snapshotDir});
  const {instance, connection} = await openDuckDB();
  const scratch = await mkdtemp(join(tmpdir(), "meterbook-alerts-"));
  try {
    await loadTable(connection, "alerts_history", HISTORY_COLUMNS, history.map((r) => HISTORY_COLUMNS.map(([c]) => (r as unknown as Record<string, Cell>)[c] ?? null)));
    const files: Record<string, Uint8Array> = {};
    const now = `select * from alerts_history where as_of = ${sqlString(manifest.as_of)}`;
    for (const [name, query] of Object.entries({alerts_history: `select * from alerts_history`, alerts_now: now})) {
      const path = join(scratch, `${name}.parquet`);
      await connection.run(`copy (${query} order by all) to ${sqlString(path)} (format parquet, compression zstd)`);
      files[`${name}.parquet`] = await readFile(path);
    }
    // /alerts' first rows, shown before DuckDB-WASM is ready; its owner links need every customer's owner (the page's).
    if (snapshotDir) await connection.run(`create view mart_customers as select * from read_parquet(${sqlString(join(snapshotDir, "marts", "customers.parquet"))})`);
    const owners = snapshotDir ? (await rows<{owner: string | null}>(connection, `select distinct owner from (${PORTFOLIO_EXTRACTS.customers})`)).map((r) => r.owner) : null;
    files["preview.html"] = new TextEncoder().encode(owners ? await alertsPreview(connection, now, owners, manifest.as_of, new JSDOM("").window.document) : "");
    return files;
  } finally {
    await rm(scratch, {recursive: true, force: true});
    connection.closeSync();
    instance.closeSync();
  }
}
