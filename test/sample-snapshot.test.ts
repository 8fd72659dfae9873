// The sample through `meterbook snapshot`: manifest counts against an independent count of distinct keys in the source
// files, byte-identical staging tables when read twice or with every file re-delivered into another dt= partition,
// and each named scenario landing in the status and flags it was built for. On the small sample (every scenario and
// redelivery kind, 24 customers): the embedded one's 160 customers are golden.test's, and the built site's.
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, relative} from "node:path";
import {before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {TABLES} from "../data-loaders/sources/export/tables.js";
import {SAMPLE_AS_OF, SAMPLE_SCENARIOS} from "../data-loaders/sample/generate.js";
import {openDuckDB, rows as queryRows, sqlString} from "../data-loaders/lib/duckdb.js";
import {footerFacts} from "../data-loaders/snapshot/site.js";
import {analyzeExport, LINE_ITEM_STAGING, planExport, snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";
import {loadConfig} from "../data-loaders/config.js";
import {writeParquet} from "../data-loaders/lib/parquet.js";
import {MARTS, MODELS} from "../data-loaders/models/build.js";
import {writesOwnFile} from "../data-loaders/models/run.js";
import {SMALL, sampleExport} from "./sample-export.js";

const work = mkdtempSync(join(tmpdir(), "sample-snapshot-"));
const exportDir = join(work, "export");
const now = () => new Date("2026-10-15T12:00:00Z");

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe("meterbook snapshot on the small sample export", () => {
  let manifest: Manifest;
  let out: string;

  before(async () => {
    await sampleExport({...SMALL, out: exportDir});
    out = join(work, "snap-1");
    // Through the package's bin, as a user would run it.
    execFileSync("npx", ["meterbook", "snapshot", "--export", exportDir, "--out", out, "--as-of", SAMPLE_AS_OF, "--staging-line-items"], {stdio: ["ignore", "pipe", "pipe"]});
    manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  });

  it("writes every staging table (the breakdown line tables as asked) and mart, with a manifest", () => {
    for (const t of TABLES) assert.ok(manifest.outputs[`staging/${t.name}.parquet`], t.name);
    for (const m of ["customers", "balance_segments", "burn_daily", "pacing", "revenue_daily", "usage_daily"]) assert.ok(manifest.outputs[`marts/${m}.parquet`], m);
    assert.equal(manifest.as_of, SAMPLE_AS_OF);
    assert.ok(manifest.tables.customer!.rows_other_environment > 0, "the sample has SANDBOX rows");
    assert.ok(Object.values(manifest.tables).some((t) => t.duplicates_dropped > 0), "the sample has re-deliveries");
  });

  it("writes each SQL mart as it is built, byte for byte as that mart held as a table and written afterwards", async () => {
    // The snapshot writes most marts straight to their files (models/run.ts, writeMart); the same models built as
    // tables, the way `meterbook doctor` builds them, then written ordered by key, must give the very same bytes.
    const {instance, connection} = await openDuckDB();
    const dir = mkdtempSync(join(work, "marts-as-tables-"));
    try {
      await analyzeExport(connection, planExport(exportDir, SAMPLE_AS_OF), {config: loadConfig(), scratch: join(dir, "scratch")});
      const own = new Set(MODELS.filter(writesOwnFile).map((m) => m.name));
      const compared = MARTS.filter((m) => own.has(m.table));
      assert.ok(compared.length >= 20, `${compared.length} marts written as built`);
      for (const mart of compared) {
        const path = join(dir, `${mart.name}.parquet`);
        await writeParquet(connection, `select * from ${mart.table} order by ${mart.order}`, path);
        assert.ok(readFileSync(path).equals(readFileSync(join(out, "marts", `${mart.name}.parquet`))), mart.name);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("gives every page's footer the daily table transferred longest ago, and no data error", async () => {
    // contracts_* are delivered through 2026-10-14, the drafts through 2026-10-15 (test/golden/marts/table_freshness.csv).
    assert.deepEqual(await footerFacts(out), {watermark: {table: "contracts_balances", date: "2026-10-14"}, errors: 0});
  });

  it("counts rows out as an independent count of distinct keys in the source files", async () => {
    const {connection} = await openDuckDB();
    for (const t of TABLES) {
      const sources = files(join(exportDir, t.name)).filter((f) => f.endsWith(".parquet"));
      if (!sources.length) continue;
      const list = sources.map(sqlString).join(", ");
      const [counted] = await queryRows<{n: number}>(
        connection,
        `select count(*)::integer as n from (select distinct ${t.key.join(", ")} from read_parquet([${list}], union_by_name = true) where environment_type = 'PRODUCTION')`
      );
      assert.equal(manifest.tables[t.name]!.rows_out, counted!.n, t.name);
      assert.equal(manifest.outputs[`staging/${t.name}.parquet`]!.rows, manifest.tables[t.name]!.rows_out);
    }
  });

  // Reading twice and reading a redelivery: properties of staging; the first read is the command's above.
  it("gives byte-identical staging tables and content when read twice", async () => {
    const second = await snapshot({exportDir, out: join(work, "small-2"), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now, stagingLineItems: true});
    for (const t of TABLES) assert.equal(second.outputs[`staging/${t.name}.parquet`]!.sha256, manifest.outputs[`staging/${t.name}.parquet`]!.sha256, t.name);
    assert.equal(second.content_hash, manifest.content_hash);
  });

  it("gives byte-identical staging tables when every file is delivered again into another dt= partition", async () => {
    const doubled = join(work, "doubled");
    cpSync(exportDir, doubled, {recursive: true});
    for (const file of files(exportDir)) {
      const rel = relative(exportDir, file);
      // Into the as-of day's partition (a later one would be after the as-of, which time travel leaves out).
      const copy = join(doubled, rel.replace(/dt=\d{4}-\d{2}-\d{2}/, `dt=${SAMPLE_AS_OF}`).replace(/(\d+)_(\d{14})\.parquet$/, `9$1_${SAMPLE_AS_OF.replaceAll("-", "")}235959.parquet`));
      mkdirSync(dirname(copy), {recursive: true});
      cpSync(file, copy);
    }
    const third = await snapshot({exportDir: doubled, out: join(work, "small-3"), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now, stagingLineItems: true});
    for (const t of TABLES) {
      assert.equal(third.outputs[`staging/${t.name}.parquet`]!.sha256, manifest.outputs[`staging/${t.name}.parquet`]!.sha256, t.name);
      assert.equal(third.tables[t.name]!.rows_in, 2 * manifest.tables[t.name]!.rows_in);
    }
    assert.ok(Object.values(manifest.tables).some((t) => t.duplicates_dropped > 0), "the small sample has re-deliveries of its own");
  });

  it("by default leaves out the breakdown line tables' staging files, saying so, and writes every other file the same", async () => {
    const log: string[] = [];
    const lean = await snapshot({exportDir, out: join(work, "small-lean"), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now, log: (m) => log.push(m)});
    assert.deepEqual(LINE_ITEM_STAGING, ["breakdowns_line_items", "breakdowns_draft_line_items"]);
    assert.ok(LINE_ITEM_STAGING.every((t) => manifest.tables[t]!.rows_out > 0), "the small sample has breakdown lines");
    const written = (m: Manifest) => Object.keys(m.outputs).sort();
    assert.deepEqual(written(lean), written(manifest).filter((name) => !LINE_ITEM_STAGING.some((t) => name === `staging/${t}.parquet`)));
    for (const name of written(lean)) assert.equal(lean.outputs[name]!.sha256, manifest.outputs[name]!.sha256, name);
    assert.deepEqual(lean.tables, manifest.tables, "the row counts are in the manifest either way");
    assert.ok(!existsSync(join(work, "small-lean", "staging", "breakdowns_line_items.parquet")));
    assert.ok(log.includes("snapshot: staging files of breakdowns_line_items and breakdowns_draft_line_items not written (nothing reads them; --staging-line-items writes them)"), log.join("\n"));
  });

  describe("named scenarios land in the status and flags they were built for", () => {
    for (const scenario of SAMPLE_SCENARIOS.filter((s) => s.expectedStatus)) {
      it(`${scenario.name}: ${scenario.customerName} is ${scenario.expectedStatus}${scenario.expectedFlags?.length ? ` with ${scenario.expectedFlags.join(", ")}` : ""}`, async () => {
        const {connection} = await openDuckDB();
        const rows = await queryRows(connection, `select status, flags, segment_id from read_parquet(${sqlString(join(out, "marts", "pacing.parquet"))}) where customer_id = $1`, [scenario.customerId]);
        assert.equal(rows.length, 1, "one active segment");
        assert.equal(rows[0]!.status, scenario.expectedStatus);
        assert.deepEqual([...(rows[0]!.flags as string[])].sort(), [...(scenario.expectedFlags ?? [])].sort());
      });
    }

    it("backdated usage: the latest draft snapshot's figure is used", async () => {
      const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "backdated_usage")!;
      const {connection} = await openDuckDB();
      const staging = (t: string) => `read_parquet(${sqlString(join(out, "staging", `${t}.parquet`))})`;
      // Independently: the customer's 2026-10-03 total in each draft snapshot.
      const bySnapshot = await queryRows<{snapshot: string; total: number}>(connection, `
        select li.snapshot_timestamp::date::varchar as snapshot, sum(li.total)::double as total
        from ${staging("breakdowns_draft_line_items")} as li
        join ${staging("breakdowns_draft_invoices")} as bi on bi.id = li.invoice_breakdown_id and bi.snapshot_timestamp = li.snapshot_timestamp
        where bi.customer_id = $1 and li.breakdown_start_timestamp::date = date '2026-10-03'
        group by all order by snapshot`, [scenario.customerId]);
      const totals = new Set(bySnapshot.map((r) => r.total));
      assert.ok(totals.size > 1, "the day's figure changes between snapshots");
      const revenue = await queryRows(connection, `select sum(revenue_minor)::double as total from read_parquet(${sqlString(join(out, "marts", "revenue_daily.parquet"))}) where customer_id = $1 and date = date '2026-10-03'`, [scenario.customerId]);
      assert.ok(Math.abs((revenue[0]!.total as number) - bySnapshot[bySnapshot.length - 1]!.total) < 0.01, "revenue uses the latest snapshot");
    });
  });
});
