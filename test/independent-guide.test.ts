// Acceptance (Real exports I, 2): on an export no other test uses — the guide's table set (no breakdowns, daily draft
// history), the API's line-type names with applied-commit offset lines, its own seed — pacing rows and monthly
// revenue per customer × product agree EXACTLY with the export's finalized and latest-draft lines, summed here in
// plain loops over the staged tables with exact decimals (BigInt nano-units), independently of the SQL models.
import assert from "node:assert/strict";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";

type Row = Record<string, any>;
const AS_OF = "2026-10-15";
const OPEN_MONTH = "2026-10";

/** A decimal string as an exact count of 10⁻⁹ units. */
function nano(value: string | number | null): bigint {
  if (value === null) return 0n;
  const [whole, fraction = ""] = String(value).replace(/^-/, "").split(".");
  const n = BigInt(whole!) * 1_000_000_000n + BigInt((fraction + "000000000").slice(0, 9));
  return String(value).startsWith("-") ? -n : n;
}

describe("models against an independent computation (unseen guide-set export with API line types, seed 31337)", () => {
  let staging: (table: string) => Promise<Row[]>;
  let mart: (name: string) => Promise<Row[]>;
  let manifest: Manifest;

  before(async () => {
    const exportDir = join(mkdtempSync(join(tmpdir(), "unseen-guide-")), "export");
    await generateSampleExport({out: exportDir, seed: 31337, customers: 24, variant: "guide"});
    const out = mkdtempSync(join(tmpdir(), "unseen-guide-snap-"));
    manifest = await snapshot({exportDir, out, asOf: AS_OF, config: DEFAULT_CONFIG, now: () => new Date(`${AS_OF}T12:00:00Z`)});
    const {connection} = await openDuckDB();
    const read = async (path: string) => (await connection.runAndReadAll(`select * from read_parquet('${path}')`)).getRowObjectsJson() as Row[];
    staging = (table) => read(join(out, "staging", `${table}.parquet`));
    mart = (name) => read(join(out, "marts", `${name}.parquet`));
  });

  /** The export's line set: each finalized invoice's lines; for an invoice not finalized, its latest draft's lines. */
  async function lineSet(): Promise<Row[]> {
    const invoices = await staging("invoice");
    const finalized = new Map(invoices.filter((i) => i.status !== "VOID").map((i) => [i.id, i]));
    const voided = new Set(invoices.filter((i) => i.status === "VOID").map((i) => i.id));
    const lines: Row[] = [];
    for (const l of await staging("line_item")) {
      const invoice = finalized.get(l.invoice_id);
      if (invoice) lines.push({...l, customer_id: invoice.customer_id, month: String(invoice.start_timestamp).slice(0, 7), draft: false});
    }
    const latest = new Map<string, Row>();
    for (const d of await staging("draft_invoice")) {
      // Snapshots taken before the day after as_of, as the site's snapshot reads them.
      if (finalized.has(d.id) || voided.has(d.id) || String(d.snapshot_time).slice(0, 10) > AS_OF) continue;
      if (!latest.has(d.id) || latest.get(d.id)!.snapshot_time < d.snapshot_time) latest.set(d.id, d);
    }
    for (const l of await staging("draft_line_item")) {
      const draft = latest.get(l.invoice_id);
      if (draft && draft.snapshot_time === l.snapshot_time) lines.push({...l, customer_id: draft.customer_id, month: String(draft.start_timestamp).slice(0, 7), draft: true});
    }
    return lines;
  }

  it("the export is the guide's shape: no breakdowns, API line types, applied offsets", async () => {
    assert.equal(manifest.tables.breakdowns_line_items!.rows_in, 0);
    const types = new Set((await lineSet()).map((l) => l.line_item_type));
    assert.deepEqual([...types].sort(), ["applied_commit_or_credit", "commit_purchase", "scheduled", "usage"]);
  });

  it("pacing: the same active segments, burned to date and remaining to the minor unit", async () => {
    const items = await staging("access_schedule_items");
    const lines = (await lineSet()).filter((l) => l.line_item_type === "usage" && l.commit_id);
    const expected = new Map<string, {burned: bigint; remaining: bigint}>();
    for (const item of items) {
      const start = String(item.starting_at).slice(0, 10);
      const end = item.ending_before ? String(item.ending_before).slice(0, 10) : null;
      if (!(start <= AS_OF && (end === null || AS_OF < end))) continue;
      const burned = lines.filter((l) => l.commit_id === item.balance_id && l.commit_segment_id === item.segment_id).reduce((s, l) => s + nano(l.total), 0n);
      expected.set(`${item.balance_id}|${item.segment_id}`, {burned, remaining: nano(item.amount) - burned});
    }
    const actual = await mart("pacing");
    assert.deepEqual(actual.map((p) => `${p.balance_id}|${p.segment_id}`).sort(), [...expected.keys()].sort());
    assert.ok(actual.length >= 8, `a meaningful number of segments (${actual.length})`);
    assert.ok([...expected.values()].filter((e) => e.burned > 0n).length >= 5, "most segments have burn");
    for (const p of actual) {
      const e = expected.get(`${p.balance_id}|${p.segment_id}`)!;
      assert.equal(nano(p.burned_to_date_minor), e.burned, `${p.segment_id} burned`);
      assert.equal(nano(p.remaining_minor), e.remaining, `${p.segment_id} remaining`);
    }
  });

  it("monthly revenue and contra-revenue per customer × product: closed months whole, the open month's usage", async () => {
    const credits = new Set((await staging("contracts_balances")).filter((b) => String(b.type).toLowerCase() === "credit").map((b) => b.id));
    const expected = new Map<string, {revenue: bigint; contra: bigint}>();
    for (const l of await lineSet()) {
      if (l.line_item_type !== "usage" && l.line_item_type !== "scheduled") continue;
      if (l.month === OPEN_MONTH && l.line_item_type !== "usage") continue;
      const key = `${l.customer_id}|${l.product_id}|${l.month}`;
      const e = expected.get(key) ?? {revenue: 0n, contra: 0n};
      if (l.line_item_type === "usage" && l.commit_id && credits.has(l.commit_id)) e.contra += nano(l.total);
      else e.revenue += nano(l.total);
      expected.set(key, e);
    }
    const actual = new Map<string, {revenue: bigint; contra: bigint}>();
    for (const r of await mart("revenue_daily")) {
      const month = String(r.date).slice(0, 7);
      if (month === OPEN_MONTH && !r.category.startsWith("usage_")) continue;
      const key = `${r.customer_id}|${r.product_id}|${month}`;
      const a = actual.get(key) ?? {revenue: 0n, contra: 0n};
      a.revenue += nano(r.revenue_minor);
      a.contra += nano(r.contra_revenue_minor);
      actual.set(key, a);
    }
    const nonZero = (m: Map<string, {revenue: bigint; contra: bigint}>) => [...m].filter(([, v]) => v.revenue !== 0n || v.contra !== 0n).map(([k]) => k).sort();
    assert.deepEqual(nonZero(actual), nonZero(expected));
    assert.ok(expected.size > 50, `a meaningful number of customer × product × months (${expected.size})`);
    assert.ok([...expected.values()].some((e) => e.contra > 0n), "usage drawn from credits is present");
    for (const [key, e] of expected) {
      const a = actual.get(key) ?? {revenue: 0n, contra: 0n};
      assert.equal(a.revenue, e.revenue, `${key} revenue`);
      assert.equal(a.contra, e.contra, `${key} contra-revenue`);
    }
  });
});
