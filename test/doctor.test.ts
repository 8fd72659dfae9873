// `meterbook doctor` on a small export with planted facts (a stale daily table, usage backdated into a reported day,
// a folder that is no export table): the text and the JSON name the tables, the daily path, the line categories and
// the findings; nothing is written anywhere; an export that cannot be read exits 1 with one clear line.
import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {main} from "../data-loaders/cli.js";
import {PROJECT_ROOT} from "../data-loaders/config.js";
import type {DoctorReport} from "../data-loaders/doctor/doctor.js";
import {TABLE_NAMES} from "../data-loaders/sources/export/tables.js";
import {writeExport, writeTableFile} from "./fixtures/export-builder.js";
import {paceTables} from "./fixtures/pace-export.js";

/** Every file and folder under `dir` with its size and modification time. */
function listing(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .map((e) => join(e.parentPath, e.name))
    .map((p) => `${p}\0${statSync(p).size}\0${statSync(p).mtimeMs}`)
    .sort();
}

/** Runs `meterbook doctor` in this process; its exit code, stdout and stderr. */
async function run(args: string[]): Promise<{code: number; out: string; err: string}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["doctor", ...args], {out: (m) => out.push(m), log: (m) => err.push(m)});
  return {code, out: out.join("\n"), err: err.join("\n")};
}

/**
 * One balance burned on Jan 1 and 2 (a finalized January invoice), a draft invoice whose 2026-01-31 breakdown snapshot
 * raised Jan 29 from 100 to 250 (backdated), contracts_balances last delivered 2026-01-28 while the rest reaches
 * 2026-01-31 (stale), and an `events` folder Meterbook does not read.
 */
async function plantedExport(): Promise<string> {
  const tables = paceTables({
    segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}],
    burns: [
      {date: "2026-01-01", total: 250},
      {date: "2026-01-02", total: 250},
      {date: "2026-01-28", total: 100, segment: "seg_1", draftSnapshot: "2026-01-30"},
      {date: "2026-01-29", total: 100, segment: "seg_1", draftSnapshot: "2026-01-30"},
      {date: "2026-01-28", total: 100, segment: "seg_1", draftSnapshot: "2026-01-31"},
      {date: "2026-01-29", total: 250, segment: "seg_1", draftSnapshot: "2026-01-31"}
    ]
  });
  const {contracts_balances: balances, ...rest} = tables;
  const root = await writeExport(rest, {dt: "2026-01-31"});
  await writeTableFile(root, "contracts_balances", balances!, {dt: "2026-01-28"});
  mkdirSync(join(root, "events", "dt=2026-01-31"), {recursive: true});
  writeFileSync(join(root, "events", "dt=2026-01-31", "0_20260131000000.parquet"), "");
  return root;
}

describe("meterbook doctor [--export DIR] [--as-of D] [--json]", () => {
  let root: string;
  let text: {code: number; out: string; err: string};
  let json: {code: number; out: string; err: string};
  let before_: {export: string[]; cwd: string[]; cache: boolean};
  const cwd = mkdtempSync(join(tmpdir(), "doctor-cwd-"));
  const started = process.cwd();

  before(async () => {
    root = await plantedExport();
    process.chdir(cwd);
    before_ = {export: listing(root), cwd: listing(cwd), cache: existsSync(join(PROJECT_ROOT, ".meterbook"))};
    text = await run(["--export", root, "--as-of", "2026-02-01"]);
    json = await run(["--export", root, "--as-of", "2026-02-01", "--json"]);
  });
  after(() => process.chdir(started));

  it("exits 0 and prints the report on stdout, progress (staging per table) on stderr", () => {
    assert.equal(text.code, 0);
    assert.match(text.out, /^meterbook doctor: /);
    assert.match(text.err, /doctor: staged contracts_balances: 1 rows/);
    assert.doesNotMatch(text.out, /doctor: staged/);
  });

  it("names the tables with rows, transfer dates and freshness, the absent and the ignored", () => {
    assert.match(text.out, /object-storage export, environment PRODUCTION, as of 2026-02-01; newest transfer 2026-01-31/);
    assert.match(text.out, /\n {2}contracts_balances +1 +1 +1 +2026-01-28 +daily \(24 h\) +STALE, 3 days behind\n/);
    assert.match(text.out, /\n {2}draft_invoice +1 +0 +0 +2026-01-31 +daily \(24 h\) +current\n/);
    assert.match(text.out, /absent \(staged empty\): product\n/);
    assert.match(text.out, /\n {2}customer +1 +1 +1 +2026-01-31 +incremental +—\n/);
    assert.match(text.out, /ignored \(not a table Meterbook reads\): events\n/);
  });

  it("says which path made the daily figures, with invoice counts", () => {
    assert.match(text.out, /Daily figures \(revenue_daily, usage_daily, burn_daily and \d+ marts made from them\): one path\n/);
    assert.match(text.out, /\n {2}breakdowns \(daily lines\): 1 draft invoice\n {2}breakdowns \(daily lines\): 1 finalized invoice\n/);
  });

  it("prints the line-category table: rule, category, line type, lines, total", () => {
    // January 250 + 250 finalized; the draft's latest snapshot 100 + 250: two lines (one per invoice), $8.50 of usage from the commit.
    assert.match(text.out, /\n {2}rule +category +line type +lines +total\n {2}usage_from_commit +usage_commit +ContractUsageLineItem +2 +\$8\.50\n/);
  });

  it("lists the findings by severity, warnings before info, with their first examples", () => {
    assert.match(text.out, /Findings: 0 error, 1 warning, 1 info/);
    const stale = text.out.indexOf("WARNING stale_table [contracts_balances]");
    const backdated = text.out.indexOf("INFO backdated_usage [breakdowns_draft_line_items.total]");
    assert.ok(stale > 0 && backdated > stale, text.out);
    assert.match(text.out, /\n {6}table=contracts_balances: newest transfer 2026-01-28, the export's newest 2026-01-31, documented every 24 h\n/);
    assert.match(text.out, /\n {6}invoice_id=inv_draft, product_id=prod_1, commit_id=bal_1, commit_segment_id=seg_1, date=2026-01-29: snapshot 2026-01-30 00:00 100, snapshot 2026-01-31 00:00 250, change 150 USD \(cents\)$/);
  });

  it("--json prints one object holding the same: tables, absent and ignored, daily path, categories, findings", () => {
    assert.equal(json.code, 0);
    const report = JSON.parse(json.out) as DoctorReport;
    assert.equal(report.as_of, "2026-02-01");
    assert.equal(report.export_newest_transfer_date, "2026-01-31");
    const balances = report.tables.find((t) => t.table_name === "contracts_balances")!;
    assert.deepEqual([balances.row_count, balances.newest_transfer_date, balances.days_behind_export, balances.freshness_status], [1, "2026-01-28", 3, "stale"]);
    assert.deepEqual([...report.tables.filter((t) => t.is_present).map((t) => t.table_name), ...report.absent].sort(), [...TABLE_NAMES].sort());
    assert.deepEqual(report.ignored, ["events"]);
    assert.equal(report.daily_figures.daily_source, "breakdowns");
    assert.deepEqual(report.daily_figures.invoices, [
      {daily_source: "breakdowns", invoice_state: "draft", invoices: 1},
      {daily_source: "breakdowns", invoice_state: "finalized", invoices: 1}
    ]);
    assert.deepEqual(report.line_categories.map((c) => [c.rule, c.category, c.line_item_type, c.line_count, c.total_minor, c.total]), [["usage_from_commit", "usage_commit", "ContractUsageLineItem", 2, 850, "$8.50"]]);
    assert.deepEqual(report.findings.map((f) => [f.severity, f.check, f.rows]), [["warning", "stale_table", 1], ["info", "backdated_usage", 1]]);
    assert.deepEqual(report.finding_counts, {error: 0, warning: 1, info: 1});
  });

  it("writes nothing: the export folder and the working directory are unchanged, and no .meterbook cache appears", () => {
    assert.deepEqual(listing(root), before_.export);
    assert.deepEqual(listing(cwd), before_.cwd);
    assert.equal(existsSync(join(PROJECT_ROOT, ".meterbook")), before_.cache);
    assert.equal(existsSync(join(cwd, ".meterbook")), false);
  });
});

describe("meterbook doctor on an export it cannot read", () => {
  it("a folder that is no export exits 1 with one line naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "doctor-not-export-"));
    writeFileSync(join(dir, "notes.txt"), "hello");
    const {code, out, err} = await run(["--export", dir]);
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.equal(err, `meterbook: not a Metronome Data Export: ${dir} has none of the export tables (${TABLE_NAMES.join(", ")}) as <table>/…/*.parquet, <table>.parquet or <table>.csv`);
  });

  it("a required column missing exits 1 with the message naming table, column and file", async () => {
    const tables = paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-01", total: 250}]});
    const {customer, ...rest} = tables;
    const root = await writeExport(rest, {dt: "2026-01-31"});
    await writeTableFile(root, "customer", customer!, {dt: "2026-01-31", omit: ["name"]});
    const {code, err} = await run(["--export", root, "--as-of", "2026-02-01"]);
    assert.equal(code, 1);
    const last = err.split("\n").at(-1)!;
    assert.match(last, /^meterbook: .*name/);
    assert.match(last, /table customer/);
    assert.match(last, /column name/);
    assert.match(last, /file customer\/dt=2026-01-31\/0_20260131000000\.parquet/);
  });
});
