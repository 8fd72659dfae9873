// The sample's hand-placed scenarios (data-loaders/sample/scenarios.ts): each customer carries what its scenario claims
// (burn status and flags, backdated usage, a price change, a voided invoice, names and currencies), checked with DuckDB
// SQL over the files as a reader would see them; and the default configuration's realistic mix of burn statuses.
import assert from "node:assert/strict";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {SAMPLE_AS_OF, SAMPLE_SCENARIOS, generateSampleExport} from "../data-loaders/sample/generate.js";
import {openDuckDB, rows} from "../data-loaders/lib/duckdb.js";
import {UUID, burnSql, closeSmallSample, exportViews, openSmallSample, sampleExport, scenario} from "./sample-export.js";

describe("generateSampleExport (small configuration): scenarios", () => {
  const root = mkdtempSync(join(tmpdir(), "meterbook-sample-test-"));
  const dir = join(root, "a");
  let instance: DuckDBInstance;
  let db: DuckDBConnection;

  before(async () => ({instance, db} = await openSmallSample(dir)));
  after(() => closeSmallSample({instance, db}, root));

  it("are sixteen, named uniquely, with fixed UUIDs, each carried by a PRODUCTION customer of that name", async () => {
    assert.equal(SAMPLE_SCENARIOS.length, 16);
    assert.equal(new Set(SAMPLE_SCENARIOS.map((s) => s.name)).size, 16);
    for (const s of SAMPLE_SCENARIOS) {
      for (const id of [s.customerId, s.balanceId, s.segmentId]) if (id !== undefined) assert.match(id, UUID, s.name);
      const found = await rows<{name: string}>(db, `select name from customers where id = '${s.customerId}'`);
      assert.deepEqual(found.map((r) => r.name), [s.customerName], s.name);
    }
  });

  it("show the expected burn status and flags, and theirs is the customer's only active commit on as-of", async () => {
    const burns = await rows<{balance_id: string; customer_id: string; pct: number; status: string; flags: string[]; elapsed: number}>(db, burnSql(SAMPLE_AS_OF));
    for (const s of SAMPLE_SCENARIOS.filter((x) => x.expectedStatus)) {
      const mine = burns.filter((b) => b.customer_id === s.customerId);
      assert.equal(mine.length, 1, `${s.name}: exactly one active commit segment`);
      const burn = mine[0]!;
      assert.equal(burn.balance_id, s.balanceId, s.name);
      assert.equal(burn.status, s.expectedStatus, `${s.name}: ${burn.pct.toFixed(1)}% of pace`);
      assert.deepEqual([...burn.flags].sort(), [...(s.expectedFlags ?? [])].sort(), `${s.name}: ${burn.pct.toFixed(1)}% after ${burn.elapsed} days`);
    }
    const segments = await rows(db, `select segment_id from segments where balance_id = '${scenario("on_track").balanceId}'`);
    assert.deepEqual(segments.map((r) => r.segment_id), [scenario("on_track").segmentId]);
    const negative = await rows<{balance: string}>(db, `select balance::varchar as balance from balances where id = '${scenario("negative_balance").balanceId}'`);
    assert.ok(Number(negative[0]!.balance) < 0, "contracts_balances.balance is negative");
  });

  it("backdated_usage: a day's usage grows in snapshots taken after late events arrived", async () => {
    const byDay = await rows<{s: string; q: string}>(db, `
      select l.snapshot_timestamp::date::varchar as s, sum(l.quantity)::varchar as q
      from (select distinct on (id, snapshot_timestamp) * from read_parquet('${dir}/breakdowns_draft_line_items/*/*.parquet')) l
      join (select distinct id, customer_id from read_parquet('${dir}/breakdowns_draft_invoices/*/*.parquet')) b on b.id = l.invoice_breakdown_id
      where b.customer_id = '${scenario("backdated_usage").customerId}' and l.breakdown_start_timestamp = '2026-10-03'
      group by 1 order by 1`);
    const q = new Map(byDay.map((r) => [r.s, Number(r.q)]));
    assert.ok(q.get("2026-10-11")! > q.get("2026-10-10")! * 2, JSON.stringify(byDay));
    assert.equal(q.get(SAMPLE_AS_OF), q.get("2026-10-11"));
    assert.equal(q.get("2026-10-04"), q.get("2026-10-10"));
  });

  it("price_change: snapshots from the change day re-rate the whole month at the new price", async () => {
    const prices = await rows<{s: string; p: string[]}>(db, `
      select l.snapshot_timestamp::date::varchar as s, list(distinct l.unit_price::varchar order by l.unit_price::varchar) as p
      from read_parquet('${dir}/breakdowns_draft_line_items/*/*.parquet') l
      join (select distinct id, customer_id from read_parquet('${dir}/breakdowns_draft_invoices/*/*.parquet')) b on b.id = l.invoice_breakdown_id
      where b.customer_id = '${scenario("price_change").customerId}' and l.name = 'Output Tokens' group by 1 order by 1`);
    const at = new Map(prices.map((r) => [r.s, r.p]));
    assert.deepEqual(at.get("2026-10-07"), ["0.001500000"]);
    assert.deepEqual(at.get("2026-10-08"), ["0.001200000"]);
    assert.deepEqual(at.get(SAMPLE_AS_OF), ["0.001200000"]);
  });

  it("duplicate_names, ingest_aliases, apostrophe and eur_customer carry what they claim", async () => {
    const atlas = await rows(db, `select id from customers where name = 'Atlas AI' and archived_at is null`);
    assert.equal(atlas.length, 2);
    const aliases = await rows<{n: number}>(db, `select json_array_length(ingest_aliases)::integer as n from customers where id = '${scenario("ingest_aliases").customerId}'`);
    assert.ok(aliases[0]!.n >= 2);
    const quoted = await rows<{name: string; owner: string}>(db, `select c.name, c.custom_fields::json ->> 'owner' as owner from customers c where id = '${scenario("apostrophe").customerId}'`);
    assert.deepEqual(quoted, [{name: "O'Brien Robotics", owner: "Liam O'Connor"}]);
    const contracts = await rows(db, `select name from read_parquet('${dir}/contracts_contracts/*/*.parquet') where name like 'O''Brien%'`);
    assert.ok(contracts.length >= 1);
    const currencies = await rows<{c: string}>(db, `
      select distinct credit_type_name as c from invoices where customer_id = '${scenario("eur_customer").customerId}'
      union select distinct credit_type_name from final_lines where invoice_breakdown_id in (
        select id from read_parquet('${dir}/breakdowns_invoices/*/*.parquet') where customer_id = '${scenario("eur_customer").customerId}')`);
    assert.deepEqual(currencies.map((r) => r.c), ["EUR"]);
  });

  it("voided_invoice: a VOID row supersedes the finalized one, and a reissue with new ids has the same content", async () => {
    const customer = scenario("voided_invoice").customerId;
    const may = await rows<{id: string; status: string; total: string}>(db, `select id, status, total::varchar as total from invoices where customer_id = '${customer}' and start_timestamp = '2026-05-01' order by status`);
    assert.deepEqual(may.map((r) => r.status), ["FINALIZED", "VOID"]);
    assert.equal(may[0]!.total, may[1]!.total);
    assert.notEqual(may[0]!.id, may[1]!.id);
    const breakdowns = await rows(db, `select invoice_id, count(*) as days from read_parquet('${dir}/breakdowns_invoices/*/*.parquet') where invoice_id in ('${may[0]!.id}', '${may[1]!.id}') group by 1`);
    assert.equal(breakdowns.length, 2);
  });
});

describe("generateSampleExport (default configuration)", () => {
  it("has a realistic mix of commit burn statuses on as-of", async () => {
    const root = mkdtempSync(join(tmpdir(), "meterbook-sample-test-"));
    const {instance, connection: db} = await openDuckDB();
    try {
      const stats = await sampleExport({out: root});
      assert.ok(stats.rows.breakdowns_line_items! > 100_000);
      await exportViews(db, root);
      const mix = await rows<{status: string; n: string}>(db, `select status, count(*) as n from (${burnSql(SAMPLE_AS_OF)}) group by 1 order by 1`);
      const counts = Object.fromEntries(mix.map((r) => [r.status, Number(r.n)]));
      const total = Object.values(counts).reduce((s, n) => s + n, 0);
      assert.ok(total >= 50, `${total} active commits`);
      for (const status of ["on_track", "over", "under"]) assert.ok((counts[status] ?? 0) >= total * 0.15, `${status}: ${JSON.stringify(counts)}`);
    } finally {
      db.closeSync();
      instance.closeSync();
      rmSync(root, {recursive: true, force: true});
    }
  });
});
