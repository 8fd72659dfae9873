// Builds customer-facing documents from a snapshot: monthly usage reports and QBR decks, one folder per customer
// (index.html, a data file for reports, the PDF). Every query is bound to one customer_id; every folder is written
// into a staging folder and swapped into place whole (data-loaders/lib/atomic.ts), so a reader never sees half of one.
import {readFileSync} from "node:fs";
import {mkdir, rm, writeFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import {JSDOM} from "jsdom";
import {deckData} from "../../src/core/deck/data.js";
import {deckDocument} from "../../src/core/deck/document.js";
import type {RunQuery} from "../../src/core/documents/rows.js";
import {monthPeriod, previousQuarter, quarterPeriod} from "../../src/core/periods.js";
import {swapInto} from "../lib/atomic.js";
import {runAhead} from "../lib/ahead.js";
import {rows, sqlString} from "../lib/duckdb.js";
import type {Branding} from "../config.js";
import {InputError} from "../errors.js";
import {openMarts} from "../snapshot/site.js";
import {docBranding} from "./branding.js";
import {pdfRenderer} from "./pdf.js";
import {progress} from "../lib/progress.js";
import {reportData, reportDocument, usageCsv} from "./report.js";

// The names the shared queries read (those of the per-customer site files). `customer` keeps only what a document
// may show: no owner, no aliases, no archive state. The two daily tables by product keep only the days the documents'
// figures can read, [from, to) (`documentWindow`): at 1,000 customers × 20 products they hold 7.3 M rows a year each,
// and a month of them is a twelfth, to load, sort and filter 1,000 times.
const views = (from: string, to: string): Record<string, string> => ({
  customer: `select customer_id, name from mart_customers`,
  credit_types: `select * from mart_credit_types`,
  products: `select product_id, product_name from mart_products`,
  pacing: `select * from mart_pacing`,
  segments: `select * from mart_balance_segments`,
  burn_daily: `select * from mart_burn_daily`,
  revenue_daily: `select * from mart_revenue_daily where date >= ${sqlString(from)}::date and date < ${sqlString(to)}::date`,
  usage_daily: `select * from mart_usage_daily where date >= ${sqlString(from)}::date and date < ${sqlString(to)}::date`,
  invoices: `select * from mart_invoices`
});

/**
 * The days of `usage_daily` and `revenue_daily` a document's queries read: a report's month to its figures' end; a
 * deck's quarter and the quarter before it (the spend it compares with). Every query of either table is bounded by
 * these (REPORT_QUERIES, DECK_QUERIES).
 */
export function documentWindow(kind: "report" | "qbr", periodArg: string, asOf: string): {from: string; to: string} {
  if (kind === "report") {
    const p = monthPeriod(periodArg, asOf);
    return {from: p.start, to: p.to};
  }
  const p = quarterPeriod(periodArg, asOf);
  return {from: quarterPeriod(previousQuarter(periodArg), "9999-12-31").start, to: p.to};
}

export interface BuildOptions {
  snapshotDir: string;
  out: string;
  /** Customer ids, or "all". */
  customers: string[] | "all";
  branding: Branding;
  pdf?: boolean;
  concurrency?: number;
  log?: (message: string) => void;
}

export interface Built {
  customer_id: string;
  dir: string;
  pdf: string | null;
  pages: number;
}

/**
 * The snapshot's marts, checked against the request before anything is loaded or written: the tables a document
 * reads, loaded into memory and sorted by customer; `run` binds its parameters.
 */
export async function openSource(snapshotDir: string, kind: "report" | "qbr", periodArg: string, customers: string[] | "all") {
  const asOf = JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8")).as_of as string;
  let window: {from: string; to: string};
  try {
    window = documentWindow(kind, periodArg, asOf);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const {connection} = await openMarts(snapshotDir);
  try {
    const run: RunQuery = (sql, params) => rows(connection, sql, params);
    const all = (await run(`select customer_id from mart_customers order by customer_id`, [])).map((r) => String(r.customer_id));
    const ids = customers === "all" ? all : customers;
    for (const id of ids) {
      if (!all.includes(id)) throw new InputError(`customer ${id}: not in the snapshot (customers.parquet)`);
      if (!SAFE_ID.test(id)) throw new InputError(`customer ${id}: id not usable as a folder name`);
    }
    // Read once into memory, sorted by customer: each document's queries then filter a table, not a Parquet scan.
    for (const [name, sql] of Object.entries(views(window.from, window.to))) {
      const columns = (await run(`select column_name from (describe ${sql})`, [])).map((r) => String(r.column_name));
      // customer_id first, so `order by all` keeps each customer's rows together and its row groups' bounds skip the rest.
      const select = columns.includes("customer_id") ? `select customer_id, * exclude (customer_id) from (${sql})` : sql;
      await connection.run(`create table ${name} as ${select} order by all`);
    }
    return {connection, run, asOf, ids};
  } catch (error) {
    connection.closeSync();
    throw error;
  }
}

const SAFE_ID = /^[A-Za-z0-9_.-]+$/;

async function buildAll(kind: "report" | "qbr", periodArg: string, o: BuildOptions): Promise<Built[]> {
  const log = o.log ?? ((m: string) => console.error(m));
  const branding = docBranding(o.branding);
  const {connection, run, asOf, ids} = await openSource(o.snapshotDir, kind, periodArg, o.customers);
  const out = resolve(o.out);
  const staging = join(out, `.staging-${process.pid}-${Date.now()}`);
  const document = new JSDOM("").window.document;
  const pdfName = kind === "report" ? `report-${periodArg}.pdf` : `qbr-${periodArg}.pdf`;
  const renderer = o.pdf === false ? null : await pdfRenderer({concurrency: o.concurrency ?? 2});
  const built: Built[] = [];
  const done = progress(`${kind} ${periodArg}${renderer ? " with PDFs" : ""}`, ids.length, log);
  try {
    // Each document is drawn while earlier ones print, at most two per page of the renderer ahead of it (runAhead): a
    // failed print (a page that does not fit) stops the run within a few documents, not after drawing every one.
    await runAhead(ids, 2 * (o.concurrency ?? 2), async (id) => {
      const dir = join(staging, id);
      await mkdir(dir, {recursive: true});
      let html: string;
      try {
        if (kind === "report") {
          const data = await reportData(run, id, periodArg, asOf);
          html = reportDocument(data, branding, document, {pdfName: renderer ? pdfName : undefined});
          await writeFile(join(dir, "usage.csv"), usageCsv(data));
        } else {
          html = deckDocument(await deckData(run, id, periodArg, asOf), branding, document);
        }
      } catch (error) {
        if (error instanceof RangeError) throw new InputError(error.message);
        throw error;
      }
      await writeFile(join(dir, "index.html"), html);
      const entry: Built = {customer_id: id, dir: join(out, id), pdf: renderer ? join(out, id, pdfName) : null, pages: 0};
      built.push(entry);
      if (!renderer) {
        done.tick();
        return null;
      }
      return async () => {
        const r = await renderer.render({
          html: join(dir, "index.html"),
          pdf: join(dir, pdfName),
          boxes: kind === "report" ? ".page" : ".slide",
          viewport: kind === "report" ? {width: 900, height: 1200} : {width: 1280, height: 720}
        });
        entry.pages = r.pages;
        done.tick();
      };
    });
    for (const entry of built) await swapInto(join(staging, entry.customer_id), entry.dir);
    log(`${kind}: ${built.length} customer${built.length === 1 ? "" : "s"} written to ${out}`);
    return built;
  } finally {
    await renderer?.close();
    connection.closeSync();
    await rm(staging, {recursive: true, force: true});
  }
}

/** `meterbook report --month YYYY-MM`: per customer, <out>/<customer_id>/{index.html, usage.csv, report-YYYY-MM.pdf}. */
export function buildReports(month: string, o: BuildOptions): Promise<Built[]> {
  return buildAll("report", month, o);
}

/** `meterbook qbr --quarter YYYY-Qn`: per customer, <out>/<customer_id>/{index.html, qbr-YYYY-Qn.pdf}. */
export function buildDecks(quarter: string, o: BuildOptions): Promise<Built[]> {
  return buildAll("qbr", quarter, o);
}

