// Acceptance: on an export no other test uses (its own seed), pacing and revenue_daily agree with a computation
// written independently of the SQL models — plain loops over the staging tables, in floating point — to within
// 0.01 minor unit per row, with equal row sets.
import assert from "node:assert/strict";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";

type Row = Record<string, any>;
const AS_OF = "2026-10-15";
const DAY = 86_400_000;
const dayOf = (t: string) => t.slice(0, 10);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const diffDays = (a: string, b: string) => Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY);

describe("models against an independent computation (unseen export, seed 90210)", () => {
  let staging: (table: string) => Promise<Row[]>;
  let mart: (name: string) => Promise<Row[]>;
  /** Balances pacing leaves out: of a contract archived by as-of, or not in the newest contracts_balances partition. */
  let leftOut: Set<string>;

  before(async () => {
    const exportDir = join(mkdtempSync(join(tmpdir(), "unseen-")), "export");
    await generateSampleExport({out: exportDir, seed: 90210, customers: 40});
    const out = mkdtempSync(join(tmpdir(), "unseen-snap-"));
    // The breakdown line tables' staging files too (written when asked): the independent computation reads them.
    await snapshot({exportDir, out, asOf: AS_OF, config: DEFAULT_CONFIG, now: () => new Date(`${AS_OF}T12:00:00Z`), stagingLineItems: true});
    const {connection} = await openDuckDB();
    const read = async (path: string) => (await connection.runAndReadAll(`select * from read_parquet('${path}')`)).getRowObjectsJson() as Row[];
    staging = (table) => read(join(out, "staging", `${table}.parquet`));
    mart = (name) => read(join(out, "marts", `${name}.parquet`));
    const glob = (table: string) => `read_parquet('${join(exportDir, table)}/*/*.parquet', hive_partitioning = true)`;
    const leftOutIds = await connection.runAndReadAll(`
      select b.id from ${glob("contracts_balances")} b join ${glob("contracts_contracts")} c on c.id = b.contract_id
      where c.archived_at::date <= '${AS_OF}'
      union
      select id from ${glob("contracts_balances")} group by id having max(dt) < (select max(dt) from ${glob("contracts_balances")})`);
    leftOut = new Set(leftOutIds.getRows().map(([id]) => String(id)));
  });

  /** The daily line set: finalized breakdowns (latest snapshot, not void) + the latest draft snapshot per open invoice. */
  async function dailyLines(): Promise<Row[]> {
    const invoices = await staging("invoice");
    const voided = new Set(invoices.filter((i) => i.status === "VOID").map((i) => i.id));
    const finalizedIds = new Set(invoices.map((i) => i.id));
    const lines: Row[] = [];
    for (const [invoiceTable, lineTable, draft] of [["breakdowns_invoices", "breakdowns_line_items", false], ["breakdowns_draft_invoices", "breakdowns_draft_line_items", true]] as const) {
      const breakdowns = await staging(invoiceTable);
      const latest = new Map<string, string>();
      for (const b of breakdowns) {
        if (voided.has(b.invoice_id)) continue;
        if (draft && (finalizedIds.has(b.invoice_id) || b.snapshot_timestamp >= `${addDays(AS_OF, 1)} 00:00:00`)) continue;
        if (!latest.has(b.invoice_id) || latest.get(b.invoice_id)! < b.snapshot_timestamp) latest.set(b.invoice_id, b.snapshot_timestamp);
      }
      const chosen = new Map<string, Row>();
      for (const b of breakdowns) if (latest.get(b.invoice_id) === b.snapshot_timestamp) chosen.set(`${b.id}|${b.snapshot_timestamp}`, b);
      for (const l of await staging(lineTable)) {
        const b = chosen.get(`${l.invoice_breakdown_id}|${l.snapshot_timestamp}`);
        if (b) lines.push({...l, customer_id: b.customer_id, date: dayOf(l.breakdown_start_timestamp)});
      }
    }
    return lines;
  }

  it("pacing: same segments, same figures", async () => {
    const items = await staging("access_schedule_items");
    const balances = new Map((await staging("contracts_balances")).map((b) => [b.id, b]));
    const lines = (await dailyLines()).filter((l) => l.commit_id && l.line_item_type === "ContractUsageLineItem");
    const expected = new Map<string, Row>();
    for (const item of items) {
      const start = dayOf(item.starting_at);
      const end = item.ending_before ? dayOf(item.ending_before) : null;
      if (!(start <= AS_OF && (end === null || AS_OF < end)) || leftOut.has(item.balance_id)) continue;
      const days = end ? diffDays(end, start) : null;
      const elapsed = Math.max(0, days === null ? diffDays(AS_OF, start) : Math.min(diffDays(AS_OF, start), days));
      const amount = Number(item.amount);
      const segmentIds = new Set(items.filter((i) => i.balance_id === item.balance_id).map((i) => i.segment_id));
      const mine = lines.filter((l) => l.commit_id === item.balance_id && (segmentIds.has(l.commit_segment_id) ? l.commit_segment_id === item.segment_id : l.date >= start && (end === null || l.date < end)));
      const burned = mine.filter((l) => l.date >= start && l.date < addDays(start, elapsed)).reduce((s, l) => s + Number(l.total), 0);
      const rateDays = Math.min(30, elapsed);
      const rateBurn = mine.filter((l) => l.date >= addDays(start, elapsed - rateDays) && l.date < addDays(start, elapsed)).reduce((s, l) => s + Number(l.total), 0);
      const expectedToDate = days ? (amount * elapsed) / days : null;
      const pct = expectedToDate ? (100 * burned) / expectedToDate : null;
      const status = pct === null ? "on_track" : pct > 110 ? "over" : pct < 80 ? "under" : "on_track";
      const flags = [
        pct !== null && elapsed <= 7 && pct >= 300 && "week1_spike",
        pct !== null && elapsed < 90 && pct > 150 && "unsustainable",
        pct !== null && elapsed >= 60 && pct < 50 && "adoption_risk",
        amount - burned < 0 && "negative_balance"
      ].filter(Boolean);
      const rate = rateDays > 0 ? rateBurn / rateDays : null;
      expected.set(`${item.balance_id}|${item.segment_id}`, {
        customer_id: balances.get(item.balance_id)!.customer_id, amount, elapsed, expectedToDate, burned, remaining: amount - burned, pct, status, flags, rate,
        projected: days !== null && rate !== null ? burned + rate * (days - elapsed) : null
      });
    }
    const actual = await mart("pacing");
    assert.deepEqual(actual.map((p) => `${p.balance_id}|${p.segment_id}`).sort(), [...expected.keys()].sort(), "same active segments");
    assert.ok(actual.length >= 20, `a meaningful number of segments (${actual.length})`);
    const close = (a: unknown, b: number | null, what: string) => {
      if (b === null) return assert.equal(a, null, what);
      assert.ok(Math.abs(Number(a) - b) <= 0.01, `${what}: ${a} vs ${b}`);
    };
    for (const p of actual) {
      const e = expected.get(`${p.balance_id}|${p.segment_id}`)!;
      const what = `${p.balance_id}/${p.segment_id}`;
      assert.equal(p.customer_id, e.customer_id);
      assert.equal(p.elapsed_days, e.elapsed, `${what} elapsed`);
      close(p.amount_minor, e.amount, `${what} amount`);
      close(p.expected_to_date_minor, e.expectedToDate, `${what} expected`);
      close(p.burned_to_date_minor, e.burned, `${what} burned`);
      close(p.remaining_minor, e.remaining, `${what} remaining`);
      close(p.run_rate_minor, e.rate, `${what} run rate`);
      close(p.projected_end_burn_minor, e.projected, `${what} projected`);
      if (e.pct === null) assert.equal(p.burn_rate_pct, null);
      else assert.ok(Math.abs(p.burn_rate_pct - e.pct) < 1e-6, `${what} pct`);
      assert.equal(p.status, e.status, `${what} status`);
      assert.deepEqual(p.flags, e.flags, `${what} flags`);
    }
  });

  it("revenue_daily: same rows, same money, usage drawn from credits as contra-revenue", async () => {
    const balanceTypes = new Map((await staging("contracts_balances")).map((b) => [b.id, String(b.type).toLowerCase()]));
    const category = (l: Row) => (!l.commit_id ? "usage_on_demand" : balanceTypes.get(l.commit_id) === "credit" ? "usage_credit" : "usage_commit");
    const expected = new Map<string, {revenue: number; contra: number; quantity: number}>();
    for (const l of await dailyLines()) {
      if (!l.product_id || l.date >= AS_OF || l.line_item_type !== "ContractUsageLineItem") continue;
      const key = `${l.date}|${l.customer_id}|${l.product_id}|${l.credit_type_id}|${category(l)}`;
      const e = expected.get(key) ?? {revenue: 0, contra: 0, quantity: 0};
      if (category(l) === "usage_credit") e.contra += Number(l.total);
      else e.revenue += Number(l.total);
      e.quantity += Number(l.quantity ?? 0);
      expected.set(key, e);
    }
    const actual = await mart("revenue_daily");
    const keyOf = (r: Row) => `${r.date}|${r.customer_id}|${r.product_id}|${r.credit_type_id}|${r.category}`;
    assert.deepEqual(actual.map(keyOf).sort(), [...expected.keys()].sort());
    assert.ok(actual.length > 1000);
    assert.ok(actual.some((r) => r.category === "usage_credit"), "the export has usage drawn from credits");
    for (const r of actual) {
      const e = expected.get(keyOf(r))!;
      assert.ok(Math.abs(Number(r.revenue_minor) - e.revenue) <= 0.01, `${keyOf(r)}: ${r.revenue_minor} vs ${e.revenue}`);
      assert.ok(Math.abs(Number(r.contra_revenue_minor) - e.contra) <= 0.01, `${keyOf(r)}: contra ${r.contra_revenue_minor} vs ${e.contra}`);
      assert.ok(Math.abs(Number(r.quantity) - e.quantity) <= 0.01);
    }
  });
});
