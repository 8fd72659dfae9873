// Daily figures without breakdowns, from the daily draft snapshots (docs/metrics.md, "Daily figures"): day d's amount
// is the increase from the snapshot at the start of day d to the one at the start of day d + 1; a missing day's
// increase is spread evenly over the gap; a finalized invoice's total minus its last draft goes to the days after it.
import assert from "node:assert/strict";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";
import {USD, writeExport, type Row} from "./fixtures/export-builder.js";

const env = {environment_type: "PRODUCTION", updated_at: "2026-02-01T06:00:00Z"};
const ct = {credit_type_id: USD.id, credit_type_name: USD.name};
const at = (day: string) => `${day}T00:00:00Z`;

/**
 * inv_jan (finalized, Jan 1–7): drafts at the start of Jan 1 (empty), Jan 2 (100), Jan 3 (250), none on Jan 4 and 5,
 * Jan 6 (350), Jan 7 (400); finalized at 470, plus a platform fee of 1000 that no draft held.
 * inv_feb (open, from Feb 1): drafts at the start of Feb 1 (empty), Feb 2 (10), Feb 4 (40), Feb 5 (55, after as_of).
 */
function draftHistoryExport(): Record<string, Row[]> {
  const invoice = (id: string, start: string, end: string, status: string) => ({...env, id, status, ...ct, customer_id: "cus_1", contract_id: "con_1", invoice_label: "CONTRACT_USAGE", start_timestamp: at(start), end_timestamp: at(end)});
  const usage = (invoice_id: string, total: number, extra: Row = {}) => ({...env, invoice_id, ...ct, name: "GPU hours", quantity: total, total, product_id: "prod_gpu", commit_id: "bal_1", line_item_type: "ContractUsageLineItem", ...extra});
  const drafts: [string, string, string, string, number | null][] = [
    ["inv_jan", "2026-01-01", "2026-01-01", "2026-01-08", null],
    ["inv_jan", "2026-01-02", "2026-01-01", "2026-01-08", 100],
    ["inv_jan", "2026-01-03", "2026-01-01", "2026-01-08", 250],
    ["inv_jan", "2026-01-06", "2026-01-01", "2026-01-08", 350],
    ["inv_jan", "2026-01-07", "2026-01-01", "2026-01-08", 400],
    ["inv_feb", "2026-02-01", "2026-02-01", "2026-03-01", null],
    ["inv_feb", "2026-02-02", "2026-02-01", "2026-03-01", 10],
    ["inv_feb", "2026-02-04", "2026-02-01", "2026-03-01", 40],
    ["inv_feb", "2026-02-05", "2026-02-01", "2026-03-01", 55]
  ];
  return {
    customer: [{...env, id: "cus_1", name: "Draft Co"}],
    credit_type: [{...env, id: USD.id, name: USD.name, is_currency: true}],
    product: [{...env, id: "prod_gpu", name: "GPU hours"}, {...env, id: "prod_fee", name: "Platform fee"}],
    invoice: [invoice("inv_jan", "2026-01-01", "2026-01-08", "FINALIZED")],
    line_item: [
      {...usage("inv_jan", 470), id: "li_gpu"},
      {...env, id: "li_fee", invoice_id: "inv_jan", ...ct, name: "Platform fee", quantity: 1, total: 1000, product_id: "prod_fee"}
    ],
    draft_invoice: drafts.map(([id, day, start, end]) => ({...invoice(id, start, end, "DRAFT"), snapshot_time: at(day)})),
    draft_line_item: drafts.filter((d) => d[4] !== null).map(([id, day, , , total]) => ({...usage(id, total!), id: `dli_${id}`, snapshot_time: at(day)}))
  };
}

async function snap(tables: Record<string, Row[]>, asOf = "2026-02-04") {
  const exportDir = await writeExport(tables, {dt: "2026-02-04"});
  const out = mkdtempSync(join(tmpdir(), "drafts-"));
  const manifest = await snapshot({exportDir, out, asOf, config: DEFAULT_CONFIG, now: () => new Date("2026-02-05T00:00:00Z")});
  const {connection} = await openDuckDB();
  const revenue = async (where: string) =>
    (await connection.runAndReadAll(`select date::varchar as date, revenue_minor::varchar as revenue_minor from read_parquet('${join(out, "marts", "revenue_daily.parquet")}') where ${where} order by date`)).getRowObjectsJson();
  const sum = async (where: string) =>
    ((await connection.runAndReadAll(`select sum(revenue_minor)::varchar as s from read_parquet('${join(out, "marts", "revenue_daily.parquet")}') where ${where}`)).getRowObjectsJson()[0] as {s: string}).s;
  return {manifest, revenue, sum};
}

describe("int_draft_history_lines: daily figures from draft snapshots", () => {
  it("day d is the increase from snapshot d to d + 1; a missing day's increase is spread evenly; the finalization remainder follows the last draft", async () => {
    const {revenue} = await snap(draftHistoryExport());
    assert.deepEqual(await revenue("product_id = 'prod_gpu' and date < '2026-02-01'"), [
      {date: "2026-01-01", revenue_minor: "100.000000000"},
      {date: "2026-01-02", revenue_minor: "150.000000000"},
      {date: "2026-01-03", revenue_minor: "33.333333333"},
      {date: "2026-01-04", revenue_minor: "33.333333334"},
      {date: "2026-01-05", revenue_minor: "33.333333333"},
      {date: "2026-01-06", revenue_minor: "50.000000000"},
      {date: "2026-01-07", revenue_minor: "70.000000000"}
    ]);
  });

  it("a line only the finalized invoice holds goes to the days after the last draft", async () => {
    const {revenue} = await snap(draftHistoryExport());
    assert.deepEqual(await revenue("product_id = 'prod_fee'"), [{date: "2026-01-07", revenue_minor: "1000.000000000"}]);
  });

  it("a finalized period's daily amounts sum exactly to its finalized lines", async () => {
    const {sum} = await snap(draftHistoryExport());
    assert.equal(await sum("product_id = 'prod_gpu' and date < '2026-02-01'"), "470.000000000");
    assert.equal(await sum("date < '2026-02-01'"), "1470.000000000");
  });

  it("an open period's daily amounts sum to its latest draft before as_of + 1, on the days before as_of", async () => {
    const {revenue} = await snap(draftHistoryExport());
    assert.deepEqual(await revenue("date >= '2026-02-01'"), [
      {date: "2026-02-01", revenue_minor: "10.000000000"},
      {date: "2026-02-02", revenue_minor: "15.000000000"},
      {date: "2026-02-03", revenue_minor: "15.000000000"}
    ]);
  });

  it("the manifest says the daily figures came from the draft history", async () => {
    const {manifest} = await snap(draftHistoryExport());
    assert.deepEqual(manifest.daily_sources.revenue_daily, {daily_source: "draft_history", invoices: {draft_history: 2}});
    assert.equal(manifest.daily_sources.pacing?.daily_source, "draft_history");
    assert.equal(manifest.daily_sources.credit_types, undefined);
  });

  it("an invoice with no draft history is spread evenly, and the manifest says the sources are mixed", async () => {
    const tables = draftHistoryExport();
    tables.invoice!.push({...tables.invoice![0]!, id: "inv_dec", start_timestamp: at("2025-12-01"), end_timestamp: at("2025-12-03")});
    tables.line_item!.push({...tables.line_item![0]!, id: "li_dec", invoice_id: "inv_dec", total: 5});
    const {manifest, revenue} = await snap(tables);
    assert.deepEqual(await revenue("date < '2026-01-01'"), [{date: "2025-12-01", revenue_minor: "2.500000000"}, {date: "2025-12-02", revenue_minor: "2.500000000"}]);
    assert.deepEqual(manifest.daily_sources.revenue_daily, {daily_source: "mixed", invoices: {draft_history: 2, even_spread: 1}});
  });
});
