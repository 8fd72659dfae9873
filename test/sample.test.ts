// The sample Metronome Data Export (data-loaders/sample): deterministic bytes, Metronome's object-storage layout, the
// export contract's columns and internal consistency — checked with DuckDB SQL over the files exactly as a reader
// would see them (dedup by key, latest versions, latest draft snapshot). The scenarios: sample-scenarios.test.ts.
import assert from "node:assert/strict";
import {mkdtempSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {after, before, describe, it} from "node:test";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {TABLES, TABLE_NAMES} from "../data-loaders/sources/export/tables.js";
import {EUR, SAMPLE_AS_OF, SAMPLE_HISTORY_START, USD_CENTS, generateSampleExport} from "../data-loaders/sample/generate.js";
import type {SampleStats} from "../data-loaders/sample/generate.js";
import {generateSampleCost, sampleCostConfig} from "../data-loaders/sample/cost.js";
import {stageCost} from "../data-loaders/sources/cost/read.js";
import {openDuckDB, rows} from "../data-loaders/lib/duckdb.js";
import {SMALL, UUID, closeSmallSample, digests, listFiles, openSmallSample, scenario} from "./sample-export.js";

describe("generateSampleExport (small configuration)", () => {
  const root = mkdtempSync(join(tmpdir(), "meterbook-sample-test-"));
  const dir = join(root, "a");
  let stats: SampleStats;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;

  before(async () => ({stats, instance, db} = await openSmallSample(dir)));
  after(() => closeSmallSample({instance, db}, root));

  it("is deterministic: the same options give byte-identical files; another seed does not", async () => {
    const again = join(root, "b");
    await generateSampleExport({...SMALL, out: again});
    assert.deepEqual(digests(again), digests(dir));
    const other = join(root, "c");
    await generateSampleExport({...SMALL, seed: 8, out: other});
    const a = digests(dir);
    const changed = [...digests(other)].filter(([path, hash]) => a.get(path) !== hash);
    assert.ok(changed.length > 0);
  });

  it("writes a cost export beside the export, deterministic, readable, leaving the export's files unchanged", async () => {
    const before = digests(dir);
    const costA = join(root, "cost-a");
    const costB = join(root, "cost-b");
    const written = await generateSampleCost({exportDir: dir, out: costA, asOf: SAMPLE_AS_OF, seed: 7});
    await generateSampleCost({exportDir: dir, out: costB, asOf: SAMPLE_AS_OF, seed: 7});
    assert.deepEqual(digests(costB), digests(costA));
    assert.deepEqual(digests(dir), before);
    const {connection} = await openDuckDB();
    const staged = await stageCost(connection, sampleCostConfig(costA));
    assert.equal(staged.filter((f) => f.kind === "focus").reduce((n, f) => n + f.rows, 0), written.focusRows);
    assert.deepEqual(staged.filter((f) => f.kind === "minimal").map((f) => [f.file, f.rows]), [["cost-a/cost-centers.csv", written.minimalRows]]);
    const [{credits, negative}] = await rows<{credits: number; negative: number}>(connection, `select count(*) filter (where charge_category = 'Credit')::integer as credits, count(*) filter (where amount < 0)::integer as negative from stg_cost`) as [{credits: number; negative: number}];
    assert.ok(credits > 0 && credits === negative, "credits are the only negative rows");
  });

  it("replaces the output folder atomically and leaves no temporary folders", () => {
    assert.deepEqual(readdirSync(root).filter((n) => n.includes(".tmp-") || n.includes(".old-")), []);
  });

  it("uses Metronome's layout: <table>/dt=<day>/<part>_<transfer stamp>.parquet, parts increasing with the stamp", () => {
    const files = listFiles(dir).map((f) => relative(dir, f));
    assert.equal(files.length, stats.files);
    const byTable = new Map<string, Array<{dt: string; part: number; stamp: string}>>();
    for (const file of files) {
      const match = /^([a-z_]+)\/dt=(\d{4}-\d{2}-\d{2})\/(\d+)_(\d{14})\.parquet$/.exec(file);
      assert.ok(match, file);
      const [, table, dt, part, stamp] = match as unknown as [string, string, string, string, string];
      assert.ok(TABLE_NAMES.includes(table), table);
      assert.equal(stamp.slice(0, 8), dt.replaceAll("-", ""), `${file}: the transfer starts on its partition's day`);
      byTable.set(table, [...(byTable.get(table) ?? []), {dt, part: Number(part), stamp}]);
    }
    assert.deepEqual([...byTable.keys()].sort(), [...TABLE_NAMES].sort(), "every table is delivered");
    for (const [table, list] of byTable) {
      list.sort((a, b) => a.part - b.part);
      assert.deepEqual(list.map((f) => f.part), list.map((_, i) => i), `${table}: parts 0..n-1`);
      for (let i = 1; i < list.length; i++) assert.ok(list[i]!.stamp >= list[i - 1]!.stamp, `${table}: part ${i} is not earlier than part ${i - 1}`);
    }
  });

  it("writes exactly the contract's columns, in order, with castable Parquet types", async () => {
    const expected: Record<string, string[]> = {
      varchar: ["VARCHAR"], json: ["VARCHAR"], timestamp: ["TIMESTAMP WITH TIME ZONE"], money: ["DECIMAL(38,9)"], quantity: ["DECIMAL(38,9)"],
      double: ["DOUBLE"], integer: ["INTEGER"], boolean: ["BOOLEAN"]
    };
    for (const spec of TABLES) {
      for (const file of listFiles(join(dir, spec.name))) {
        const columns = await rows<{column_name: string; column_type: string}>(db, `describe select * from read_parquet('${file}', hive_partitioning = false)`);
        assert.deepEqual(columns.map((c) => c.column_name), spec.columns.map((c) => c.name), file);
        spec.columns.forEach((c, i) => assert.ok(expected[c.type]!.includes(columns[i]!.column_type), `${file}: ${c.name} is ${columns[i]!.column_type}`));
      }
    }
  });

  it("reports the rows it wrote per table, duplicates included", async () => {
    for (const table of TABLE_NAMES) {
      const [{n}] = await rows<{n: string}>(db, `select count(*) as n from read_parquet('${dir}/${table}/*/*.parquet', hive_partitioning = false)`) as [{n: string}];
      assert.equal(Number(n), stats.rows[table], table);
    }
  });

  it("delivers at least once: some files arrive again, byte for byte, in the next day's partition", () => {
    const files = [...digests(dir)];
    const dups = files.filter(([path, hash]) => files.some(([other, h]) => other !== path && h === hash && other < path));
    assert.ok(dups.length >= 1 && dups.length <= Math.ceil(files.length * 0.08), `${dups.length} re-delivered of ${files.length}`);
    for (const [path, hash] of dups) {
      const [original] = files.find(([other, h]) => other !== path && h === hash)!;
      const day = (p: string) => Date.parse(/dt=(\d{4}-\d{2}-\d{2})/.exec(p)![1]!);
      assert.equal(path.split("/")[0], original.split("/")[0]);
      assert.equal(day(path) - day(original), 86_400_000, `${path} re-delivers ${original}`);
    }
  });

  it("puts rows where Metronome does: incremental rows by updated_at day, snapshots every day of the last 120 and monthly before, drafts in the open month", async () => {
    const t = (name: string) => `read_parquet('${dir}/${name}/*/*.parquet', filename = true, hive_partitioning = false)`;
    const dt = "regexp_extract(filename, 'dt=(\\d{4}-\\d{2}-\\d{2})', 1)::date";
    for (const table of ["customer", "product", "billable_metric", "credit_type", "invoice", "line_item"]) {
      const bad = await rows(db, `select count(*) as n from ${t(table)} where ${dt} not in (updated_at::date, updated_at::date + 1)`);
      assert.equal(Number(bad[0]!.n), 0, `${table}: a row outside its updated_at day (or the re-delivery day after)`);
    }
    const snapshotDays = await rows<{d: string}>(db, `select distinct ${dt}::varchar as d from ${t("contracts_balances")} order by 1`);
    // The last 120 days, 2026-06-17 … 2026-10-14, one full snapshot each (the as-of day's is not delivered yet); before
    // them the first of each month, 2025-07-01 … 2026-06-01 (12): 132.
    assert.equal(snapshotDays.length, 132);
    assert.deepEqual([snapshotDays[0]!.d, snapshotDays[11]!.d, snapshotDays[12]!.d, snapshotDays[snapshotDays.length - 1]!.d], ["2025-07-01", "2026-06-01", "2026-06-17", "2026-10-14"]);
    const snapshotIds = await rows(db, `select count(distinct snapshot_id) as n, count(distinct updated_at) as u from ${t("contracts_contracts")}`);
    assert.deepEqual([Number(snapshotIds[0]!.n), Number(snapshotIds[0]!.u)], [132, 132]);
    const drafts = await rows<{d: string; s: string}>(db, `select distinct ${dt}::varchar as d, snapshot_time::date::varchar as s from ${t("draft_invoice")} order by 1, 2`);
    assert.equal(drafts[0]!.s, "2026-10-02");
    assert.equal(drafts[drafts.length - 1]!.s, SAMPLE_AS_OF);
    for (const r of drafts) assert.ok(r.d === r.s || Date.parse(r.d) - Date.parse(r.s) === 86_400_000, `${r.s} snapshot in dt=${r.d}`);
    // Each snapshot holds month-to-date days [month start, snapshot day).
    const windows = await rows(db, `select snapshot_timestamp::date as s, min(breakdown_start_timestamp)::date as lo, max(breakdown_start_timestamp)::date as hi
      from ${t("breakdowns_draft_invoices")} group by 1 having lo <> date '2026-10-01' or hi <> s - 1`);
    assert.deepEqual(windows, []);
    // Finalized breakdowns are delivered on the day their invoice period ends (or the day it was reissued).
    const late = await rows(db, `select count(*) as n from ${t("breakdowns_invoices")} where ${dt} not in (invoice_end_timestamp::date, invoice_end_timestamp::date + 1)
      and invoice_id not in (select id from invoices where start_timestamp = '2026-05-01' and customer_id = '${scenario("voided_invoice").customerId}')`);
    assert.equal(Number(late[0]!.n), 0);
  });

  it("snapshots a commit only once its contract exists, with each day's balance = amount − usage drawn before that day", async () => {
    const t = (name: string) => `read_parquet('${dir}/${name}/*/*.parquet', filename = true, hive_partitioning = false)`;
    const dt = "regexp_extract(filename, 'dt=(\\d{4}-\\d{2}-\\d{2})', 1)";
    const {balanceId} = scenario("gradual_growth");
    // Its contract (2026-01-01 → 2027-01-01) is signed on 2025-12-27 (9:00–18:00 UTC): the first snapshot after it,
    // monthly that far back, is 2026-01-01's.
    const first = await rows<{d: string}>(db, `select min(${dt}) as d from ${t("contracts_balances")} where id = '${balanceId}'`);
    assert.equal(first[0]!.d, "2026-01-01");
    // On 2026-06-01 (a past, finalized day) Metronome's balance is the $150,000 commit less the draws of Jan–May.
    const [row] = await rows<{balance: string; drawn: string}>(db, `
      select (select balance::varchar from ${t("contracts_balances")} where id = '${balanceId}' and ${dt} = '2026-06-01') as balance,
        (select (15000000 - sum(total))::varchar from final_lines where commit_id = '${balanceId}' and line_item_type = 'ContractUsageLineItem'
          and breakdown_start_timestamp < timestamptz '2026-06-01 00:00:00+00') as drawn`);
    assert.equal(Number(row!.balance), Number(row!.drawn));
    assert.ok(Number(row!.balance) > 0 && Number(row!.balance) < 15_000_000);
  });

  it("cuts CPU Compute's list price on 2026-04-01: the same usage is billed at 3.6 instead of 4.2 cents", async () => {
    const prices = await rows<{after: boolean; p: string}>(db, `
      select breakdown_start_timestamp >= timestamptz '2026-04-01 00:00:00+00' as after, list(distinct unit_price::varchar)::varchar as p
      from final_lines where name = 'CPU Compute (vCPU hours)' and invoice_breakdown_id in (
        select id from read_parquet('${dir}/breakdowns_invoices/*/*.parquet') where customer_id = '${scenario("negative_balance").customerId}')
      group by 1 order by 1`);
    assert.deepEqual(prices.map((r) => [r.after, r.p]), [[false, "[4.200000000]"], [true, "[3.600000000]"]]);
  });

  it("keeps newer customer rows in later partitions, and mixes SANDBOX rows into the same files", async () => {
    const versions = await rows(db, `select count(*) as n from (select id from read_parquet('${dir}/customer/*/*.parquet', hive_partitioning = false) group by id having count(distinct updated_at) > 1)`);
    assert.ok(Number(versions[0]!.n) >= 1);
    const owner = await rows<{owner: string}>(db, `select custom_fields::json ->> 'owner' as owner from customers where id = '${scenario("over").customerId}'`);
    assert.equal(owner[0]!.owner, "Hannah Cho", "the latest row wins");
    for (const table of ["customer", "contracts_balances", "invoice", "breakdowns_line_items", "breakdowns_draft_line_items"]) {
      const envs = await rows<{e: string}>(db, `select distinct environment_type as e from read_parquet('${dir}/${table}/*/*.parquet', hive_partitioning = false) order by 1`);
      assert.deepEqual(envs.map((r) => r.e), ["PRODUCTION", "SANDBOX"], table);
    }
  });

  it("is internally consistent: line items sum their breakdowns, invoices sum their billable lines", async () => {
    const t = (name: string) => `(select distinct on (id${name.startsWith("breakdowns") ? ", snapshot_timestamp" : ""}) * from read_parquet('${dir}/${name}/*/*.parquet', hive_partitioning = false))`;
    const lineItems = await rows(db, `
      with b as (select line_item_id, sum(total) as total, sum(quantity) as quantity from ${t("breakdowns_line_items")} group by 1)
      select count(*) as n, count(*) filter (where b.total = l.total and b.quantity = l.quantity and l.total = l.quantity * l.unit_price) as ok
      from ${t("line_item")} l left join b on b.line_item_id = l.id`);
    // All but one: the line whose breakdowns grew with usage backdated after finalization (docs/sample-data.md, planted facts).
    assert.equal(Number(lineItems[0]!.n) - Number(lineItems[0]!.ok), 1);
    const invoicesOk = await rows(db, `
      with l as (select invoice_id, sum(total) filter (where commit_id is null or commit_id in (select id from balances where type = 'postpaid')) as billed from ${t("line_item")} group by 1)
      select count(*) as n, count(*) filter (where i.total = coalesce(l.billed, 0)) as ok from invoices i left join l on l.invoice_id = i.id`);
    assert.equal(invoicesOk[0]!.ok, invoicesOk[0]!.n);
    const breakdowns = await rows(db, `
      with l as (select invoice_breakdown_id, sum(total) filter (where commit_type is null or commit_type = 'PostpaidCommit') as billed from ${t("breakdowns_line_items")} group by 1)
      select count(*) as n, count(*) filter (where b.total = coalesce(l.billed, 0)) as ok from ${t("breakdowns_invoices")} b left join l on l.invoice_breakdown_id = b.id`);
    assert.equal(breakdowns[0]!.ok, breakdowns[0]!.n);
    // Totals are exact products of whole quantities and unit prices with at most 6 decimals.
    const exact = await rows(db, `select count(*) filter (where total <> quantity * unit_price or quantity <> round(quantity) or unit_price <> round(unit_price, 6)) as bad from ${t("breakdowns_line_items")}`);
    assert.equal(Number(exact[0]!.bad), 0);
    // Commit draws stop at the amount except where the scenario says otherwise; at most one line per day and product is split.
    const split = await rows(db, `select count(*) as n from ${t("breakdowns_line_items")} group by invoice_breakdown_id, product_id having count(*) > 2`);
    assert.deepEqual(split, []);
  });

  it("has draft snapshots that are DRAFT (and a couple DRAFT_INCOMPLETE with no total and no lines)", async () => {
    const incomplete = await rows(db, `
      select d.id, d.snapshot_time, d.total, (select count(*) from read_parquet('${dir}/draft_line_item/*/*.parquet') l where l.invoice_id = d.id and l.snapshot_time = d.snapshot_time) as lines
      from read_parquet('${dir}/draft_invoice/*/*.parquet', hive_partitioning = false) d where d.status = 'DRAFT_INCOMPLETE'`);
    assert.ok(incomplete.length >= 1);
    for (const r of incomplete) {
      assert.equal(r.total, null);
      assert.equal(Number(r.lines), 0);
    }
    const statuses = await rows<{s: string}>(db, `select distinct status as s, billable_status as b from read_parquet('${dir}/draft_invoice/*/*.parquet') order by 1`);
    assert.deepEqual(statuses.map((r) => r.s), ["DRAFT", "DRAFT_INCOMPLETE"]);
  });

  it("exports the documented constants", () => {
    assert.equal(SAMPLE_AS_OF, "2026-10-15");
    assert.equal(SAMPLE_HISTORY_START, "2025-07-01");
    assert.deepEqual(USD_CENTS, {id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2", name: "USD (cents)"});
    assert.equal(EUR.name, "EUR");
    assert.match(EUR.id, UUID);
  });
});
