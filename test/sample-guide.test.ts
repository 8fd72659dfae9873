// The sample's guide variant (`npm run sample -- --variant guide`): the table set Metronome's commit-analytics guide
// enables, the API's line-item types with applied-commit offset lines, daily draft history for every period and a few
// CONTRACT_SCHEDULED invoices — checked with DuckDB SQL over the files as a reader sees them (re-delivered rows
// deduplicated by key). The default variant staying byte-identical: the pinned digest below and test/golden.test.ts.
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {after, before, describe, it} from "node:test";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {GUIDE_DEFAULTS, GUIDE_TABLES, generateSampleExport, resolveOptions} from "../data-loaders/sample/generate.js";
import type {SampleStats} from "../data-loaders/sample/generate.js";
import {openDuckDB, rows} from "../data-loaders/lib/duckdb.js";
import {sampleDirs, sampleVariant} from "../data-loaders/sources/resolve.js";
import {closeSmallSample, digests, listFiles} from "./sample-export.js";

const API_TYPES = ["applied_commit_or_credit", "commit_purchase", "scheduled", "usage"];

/** Reader views over the guide export: latest row per key, re-deliveries dropped. */
async function guideViews(db: DuckDBConnection, dir: string): Promise<void> {
  const t = (name: string) => `read_parquet('${dir}/${name}/*/*.parquet', hive_partitioning = false)`;
  await db.run(`
    set TimeZone = 'UTC';
    create view invoices as select * from ${t("invoice")} qualify row_number() over (partition by id order by updated_at desc) = 1;
    create view lines as select distinct on (id) * from ${t("line_item")};
    create view drafts as select distinct on (id, snapshot_time) * from ${t("draft_invoice")};
    create view draft_lines as select distinct on (id, snapshot_time) * from ${t("draft_line_item")};
    create view balances as select * from ${t("contracts_balances")} qualify row_number() over (partition by id order by updated_at desc) = 1;
    create view contracts as select * from ${t("contracts_contracts")} qualify row_number() over (partition by id order by updated_at desc) = 1;
  `);
}

describe("generateSampleExport({variant: 'guide'})", () => {
  const root = mkdtempSync(join(tmpdir(), "meterbook-sample-guide-"));
  const dir = join(root, "guide");
  let stats: SampleStats;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const q = <T = Record<string, unknown>>(sql: string) => rows<T>(db, sql);

  before(async () => {
    stats = await generateSampleExport({out: dir, variant: "guide"});
    ({instance, connection: db} = await openDuckDB());
    await guideViews(db, dir);
  });
  after(() => closeSmallSample({instance, db}, root));

  it("writes exactly the guide's tables: no breakdowns_*, no catalog tables", () => {
    assert.deepEqual(readdirSync(dir).sort(), [...GUIDE_TABLES].sort());
    assert.deepEqual(Object.keys(stats.rows).sort(), [...GUIDE_TABLES].sort());
    assert.ok(Object.values(stats.rows).every((n) => n > 0));
  });

  it("is small by default: 16 production customers, 6 products, history from 2026-05-01", async () => {
    const [c] = await q<{n: number}>(`select count(distinct id)::integer as n from read_parquet('${dir}/customer/*/*.parquet') where environment_type = 'PRODUCTION'`);
    assert.equal(c!.n, GUIDE_DEFAULTS.customers);
    const [p] = await q<{n: number}>(`select count(distinct product_id)::integer as n from lines where line_item_type = 'usage' and environment_type = 'PRODUCTION'`);
    assert.ok(p!.n <= GUIDE_DEFAULTS.products);
    const [first] = await q<{d: string}>(`select min(start_timestamp)::date::varchar as d from invoices where invoice_label = 'CONTRACT_USAGE'`);
    assert.equal(first!.d, "2026-05-01");
  });

  it("has every commercial model: prepaid, postpaid, credit, free commit and on-demand-only customers", async () => {
    const kinds = await q<{kind: string}>(`
      select distinct case when type <> 'prepaid' then type when json_array_length(json_extract(invoice_schedule, '$.schedule_items')) = 0 then 'free' else 'prepaid' end as kind
      from balances where environment_type = 'PRODUCTION' order by 1`);
    assert.deepEqual(kinds.map((k) => k.kind), ["credit", "free", "postpaid", "prepaid"]);
    const [onDemand] = await q<{n: number}>(`
      select count(*)::integer as n from (select distinct customer_id from invoices where environment_type = 'PRODUCTION' and invoice_label = 'CONTRACT_USAGE')
      where customer_id not in (select customer_id from balances)`);
    assert.ok(onDemand!.n >= 1);
  });

  it("uses exactly the API's line-item type names, on finalized and draft lines", async () => {
    const finalized = await q<{t: string}>(`select distinct line_item_type as t from lines order by 1`);
    assert.deepEqual(finalized.map((r) => r.t), API_TYPES);
    const drafts = await q<{t: string}>(`select distinct line_item_type as t from draft_lines order by 1`);
    assert.deepEqual(drafts.map((r) => r.t), ["applied_commit_or_credit", "usage"]);
  });

  it("follows every usage line drawn from a commit or credit with an applied line: same invoice, product, commit, segment, −total, no quantity", async () => {
    for (const [view, key] of [["lines", "invoice_id"], ["draft_lines", "invoice_id, snapshot_time"]] as const) {
      const unmatched = await q(`
        select u.id, a.id as applied from (select * from ${view} where line_item_type = 'usage' and commit_id is not null) u
        full join (select * from ${view} where line_item_type = 'applied_commit_or_credit') a
          using (${key}, product_id, commit_id, commit_segment_id)
        where u.id is null or a.id is null or a.total <> -u.total or a.quantity is not null or a.name not like '% applied)'`);
      assert.deepEqual(unmatched, [], view);
      const [n] = await q<{n: number}>(`select count(*)::integer as n from ${view} where line_item_type = 'applied_commit_or_credit'`);
      assert.ok(n!.n > 0, view);
    }
  });

  it("names an applied credit line '(credit applied)' and an applied commit line '(commit applied)'", async () => {
    const named = await q<{type: string; suffix: string}>(`
      select distinct b.type, regexp_extract(l.name, '\\((\\w+) applied\\)$', 1) as suffix
      from lines l join balances b on b.id = l.commit_id where l.line_item_type = 'applied_commit_or_credit' order by all`);
    assert.deepEqual(named, [{type: "credit", suffix: "credit"}, {type: "postpaid", suffix: "commit"}, {type: "prepaid", suffix: "commit"}]);
  });

  it("totals each finalized invoice as its lines less its postpaid applied lines (= on-demand plus postpaid-drawn usage)", async () => {
    const wrong = await q(`
      with t as (
        select l.invoice_id, sum(l.total) as lines,
          sum(case when l.line_item_type = 'applied_commit_or_credit' and b.type = 'postpaid' then l.total else 0 end) as postpaid_applied,
          sum(case when l.line_item_type = 'usage' and (l.commit_id is null or b.type = 'postpaid') then l.total else 0 end) as billed_usage,
          bool_or(l.line_item_type in ('commit_purchase', 'scheduled')) as scheduled
        from lines l left join balances b on b.id = l.commit_id group by l.invoice_id
      )
      select i.id, i.total, t.* from invoices i join t on t.invoice_id = i.id
      where i.total <> t.lines - t.postpaid_applied or (not t.scheduled and i.total <> t.billed_usage)`);
    assert.deepEqual(wrong, []);
    // The same rule holds for every draft snapshot.
    const drafts = await q(`
      select d.id, d.snapshot_time from drafts d
      join (select l.invoice_id, l.snapshot_time, sum(l.total) - sum(case when l.line_item_type = 'applied_commit_or_credit' and b.type = 'postpaid' then l.total else 0 end) as t
            from draft_lines l left join balances b on b.id = l.commit_id group by all) x on x.invoice_id = d.id and x.snapshot_time = d.snapshot_time
      where d.total <> x.t`);
    assert.deepEqual(drafts, []);
  });

  it("keeps a daily draft of every finalized usage period, one per day from its first day until it was finalized", async () => {
    const periods = await q<{id: string; first_ok: boolean; consecutive: boolean; before_final: boolean; last_gap: number}>(`
      with p as (
        select i.id, i.issued_at, i.end_timestamp::date as period_end, greatest(i.start_timestamp, c.starting_at::timestamptz)::date as usage_start
        from invoices i join contracts c on c.id = i.contract_id where i.invoice_label = 'CONTRACT_USAGE'
      ),
      s as (select id, snapshot_time::date as day, updated_at from drafts)
      select p.id,
        min(s.day) = p.usage_start + 1 as first_ok,
        count(*) = date_diff('day', min(s.day), max(s.day)) + 1 as consecutive,
        max(s.updated_at) < p.issued_at as before_final,
        date_diff('day', max(s.day), p.period_end)::integer as last_gap
      from p join s using (id) group by p.id, p.usage_start, p.issued_at, p.period_end`);
    const [usage] = await q<{n: number}>(`select count(*)::integer as n from invoices where invoice_label = 'CONTRACT_USAGE'`);
    assert.equal(periods.length, usage!.n, "every finalized usage invoice has drafts");
    assert.deepEqual(periods.filter((p) => !p.first_ok || !p.consecutive || !p.before_final || p.last_gap > 1), []);
    // Most periods' last draft is the whole period (snapshot on the day after it); some were finalized before that
    // day's draft was computed, so their last draft lacks the period's last day.
    const gaps = new Set(periods.map((p) => p.last_gap));
    assert.deepEqual([...gaps].sort(), [0, 1]);
  });

  it("makes the last draft of a period equal its finalized lines, or less by the last day's usage when finalized earlier", async () => {
    const compared = await q<{id: string; complete: boolean; diff: number; line_diffs: number}>(`
      with last as (select id, max(snapshot_time) as snapshot_time from drafts group by id),
      d as (select l.invoice_id, sum(l.total) filter (where l.line_item_type = 'usage') as usage from draft_lines l join last on last.id = l.invoice_id and last.snapshot_time = l.snapshot_time group by 1),
      f as (select invoice_id, sum(total) filter (where line_item_type = 'usage') as usage from lines group by 1)
      select i.id, last.snapshot_time::date = i.end_timestamp::date as complete, (f.usage - coalesce(d.usage, 0))::double as diff
      from invoices i join last on last.id = i.id join f on f.invoice_id = i.id left join d on d.invoice_id = i.id
      where i.invoice_label = 'CONTRACT_USAGE'`);
    assert.deepEqual(compared.filter((c) => c.complete && c.diff !== 0), []);
    const late = compared.filter((c) => !c.complete);
    assert.ok(late.length > 0 && late.every((c) => c.diff >= 0) && late.some((c) => c.diff > 0));
  });

  it("bills each prepaid commit purchase dated in the history on a CONTRACT_SCHEDULED invoice of one commit_purchase line, named in the invoice schedule", async () => {
    const scheduled = await q<{balance_id: string; item_amount: string; invoice_id: string | null; total: string | null; label: string | null; n: number | null; commit_id: string | null}>(`
      with items as (
        select b.id as balance_id, b.product_id, u.item.amount::decimal(38, 9) as item_amount, u.item.invoice_id as invoice_id
        from balances b, unnest(from_json(json_extract(b.invoice_schedule, '$.schedule_items'), '[{"date":"VARCHAR","amount":"DOUBLE","invoice_id":"VARCHAR"}]')) as u(item)
        where b.type = 'prepaid' and u.item.date::timestamptz >= timestamptz '2026-05-01 00:00:00+00' and u.item.date::timestamptz < timestamptz '2026-10-15 00:00:00+00'
      )
      select items.balance_id, items.item_amount::varchar as item_amount, items.invoice_id, i.total::varchar as total, i.invoice_label as label,
        (select count(*)::integer from lines l where l.invoice_id = i.id) as n,
        (select any_value(commit_id) from lines l where l.invoice_id = i.id and l.line_item_type = 'commit_purchase' and l.product_id = items.product_id and l.total = items.item_amount) as commit_id
      from items left join invoices i on i.id = items.invoice_id order by 1`);
    assert.ok(scheduled.length >= 3);
    for (const s of scheduled) {
      assert.equal(s.label, "CONTRACT_SCHEDULED", s.balance_id);
      assert.equal(s.total, s.item_amount, s.balance_id);
      assert.equal(s.n, 1, s.balance_id);
      assert.equal(s.commit_id, s.balance_id);
    }
    const [purchases] = await q<{n: number}>(`select count(*)::integer as n from lines where line_item_type = 'commit_purchase'`);
    assert.equal(purchases!.n, scheduled.length);
  });

  it("bills a monthly platform fee to two customers: one `scheduled` line, no commit, $2,500, on CONTRACT_SCHEDULED invoices", async () => {
    const fees = await q<{customer_id: string; n: number; names: string[]; totals: string[]; commits: number; labels: string[]}>(`
      select i.customer_id, count(*)::integer as n, list(distinct l.name) as names, list(distinct l.total::varchar) as totals,
        count(l.commit_id)::integer as commits, list(distinct i.invoice_label) as labels
      from lines l join invoices i on i.id = l.invoice_id where l.line_item_type = 'scheduled' group by 1 order by 1`);
    assert.equal(fees.length, 2);
    for (const f of fees) {
      assert.ok(f.n >= 1);
      assert.deepEqual([f.names, f.totals, f.commits, f.labels], [["Platform Fee"], ["250000.000000000"], 0, ["CONTRACT_SCHEDULED"]]);
    }
  });

  it("is deterministic: the same options give byte-identical files", async () => {
    const again = join(root, "again");
    await generateSampleExport({out: again, variant: "guide"});
    assert.deepEqual(digests(again), digests(dir));
  });
});

describe("generateSampleExport (default variant)", () => {
  it("defaults to the full variant with its original sizes", () => {
    const o = resolveOptions({out: "x"});
    assert.deepEqual([o.variant, o.customers, o.products, o.scenarioNames], ["full", 160, 10, null]);
  });

  it("writes byte-for-byte what it wrote before the guide variant existed (a tiny configuration's pinned digest)", async () => {
    const root = mkdtempSync(join(tmpdir(), "meterbook-sample-full-"));
    try {
      const out = join(root, "full");
      await generateSampleExport({out, customers: 3, products: 2, startDate: "2026-08-01", scenarios: false, seed: 5});
      const hash = createHash("sha256");
      for (const f of listFiles(out).sort()) hash.update(`${relative(out, f)}\0${createHash("sha256").update(readFileSync(f)).digest("hex")}\n`);
      // Computed with main's generator before the variant was added (81 files), then again when the planted facts
      // (plants.ts) were added, then for daily contract snapshots and the history model. A deliberate change to the
      // full sample updates it here as `npm run golden` updates test/golden.
      assert.equal(hash.digest("hex"), "bbd54df1ba75e8eb18572acfbd6a5ff2a9bb26102b94475ddaf3a6f7309c4066");
    } finally {
      closeSmallSample({}, root);
    }
  });
});

describe("sampleVariant(env) / sampleDirs(variant)", () => {
  it("reads METERBOOK_SAMPLE: unset is the full sample, \"guide\" the guide variant, anything else an input error", () => {
    assert.equal(sampleVariant({}), "full");
    assert.equal(sampleVariant({METERBOOK_SAMPLE: "guide"}), "guide");
    assert.throws(() => sampleVariant({METERBOOK_SAMPLE: "breakdowns"}), /METERBOOK_SAMPLE must be "full" or "guide", got "breakdowns"/);
  });

  it("gives each variant its own export and cost folders, so a switch never reads the other's files", () => {
    const full = sampleDirs("full");
    const guide = sampleDirs("guide");
    assert.deepEqual([full.exportDir.endsWith("data/sample-export"), full.costDir.endsWith("data/sample-cost")], [true, true]);
    assert.deepEqual([guide.exportDir.endsWith("data/sample-export-guide"), guide.costDir.endsWith("data/sample-cost-guide")], [true, true]);
  });
});
