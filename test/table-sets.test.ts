// Every documented table set snapshots: the commit-analytics guide's set without breakdowns, the full set, and a
// superset whose unknown tables are ignored and listed. Absent optional tables are staged empty with their columns.
import assert from "node:assert/strict";
import {cpSync, mkdirSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {SAMPLE_AS_OF} from "../data-loaders/sample/generate.js";
import {SMALL, sampleExport} from "./sample-export.js";
import {snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";
import {minimalExport, writeExport, writeTableFile, type Row} from "./fixtures/export-builder.js";

const now = () => new Date("2026-10-15T12:00:00Z");

async function snap(tables: Record<string, Row[]>, prepare: (root: string) => void = () => {}) {
  const exportDir = await writeExport(tables, {dt: "2026-02-01"});
  prepare(exportDir);
  const out = mkdtempSync(join(tmpdir(), "sets-"));
  const log: string[] = [];
  const manifest = await snapshot({exportDir, out, asOf: "2026-02-01", config: DEFAULT_CONFIG, now, log: (m) => log.push(m), cache: false});
  const {connection} = await openDuckDB();
  const read = async (file: string) => (await connection.runAndReadAll(`select * from read_parquet('${join(out, file)}')`)).getRowObjectsJson();
  return {manifest, log, read};
}

function without(...names: string[]): Record<string, Row[]> {
  const tables = minimalExport();
  for (const name of names) delete tables[name];
  return tables;
}

describe("snapshot({exportDir}) on each table set", () => {
  it("runs on the guide's set without breakdowns and records the tables present and absent", async () => {
    const {manifest} = await snap(without("breakdowns_invoices", "breakdowns_line_items"));
    assert.deepEqual(manifest.table_set.present, ["customer", "billable_metric", "credit_type", "contracts_contracts", "contracts_balances", "invoice", "line_item"]);
    assert.ok(manifest.table_set.absent.includes("breakdowns_invoices"));
    assert.deepEqual(manifest.table_set.ignored, []);
  });

  it("stages an absent table empty, with its documented columns", async () => {
    const {read, manifest} = await snap(without("breakdowns_invoices", "breakdowns_line_items"));
    assert.equal(manifest.tables.breakdowns_line_items!.rows_out, 0);
    assert.equal(manifest.tables.breakdowns_invoices!.rows_out, 0);
    // (The breakdown line tables' staging files are written only when asked: snapshot's stagingLineItems.)
    assert.deepEqual(await read("staging/breakdowns_invoices.parquet"), []);
    assert.ok(manifest.outputs["staging/breakdowns_invoices.parquet"]);
  });

  it("ignores unknown tables of a superset, and lists them in the manifest and the log", async () => {
    const {manifest, log} = await snap(minimalExport(), (root) => {
      mkdirSync(join(root, "usage_events", "dt=2026-02-01"), {recursive: true});
      writeFileSync(join(root, "usage_events", "dt=2026-02-01", "0_20260201000000.parquet"), "not read");
      writeFileSync(join(root, "contracts_rate_cards.csv"), "id\nrc_1\n");
    });
    assert.deepEqual(manifest.table_set.ignored, ["contracts_rate_cards", "usage_events"]);
    assert.ok(log.some((m) => m.includes("ignored") && m.includes("contracts_rate_cards, usage_events")), log.join("\n"));
  });

  it("without contracts_balances there are no segments, and the pacing marts are empty", async () => {
    const {read, manifest} = await snap(without("contracts_balances", "breakdowns_invoices", "breakdowns_line_items"));
    assert.deepEqual(await read("marts/pacing.parquet"), []);
    assert.deepEqual(await read("marts/balance_segments.parquet"), []);
    assert.equal(manifest.outputs["marts/revenue_daily.parquet"]!.rows, 31);
  });
});

describe("snapshot({exportDir}) on the small sample without its breakdowns", () => {
  const work = mkdtempSync(join(tmpdir(), "sets-sample-"));
  const full = join(work, "full");
  const guide = join(work, "guide");
  let manifests: Record<string, Manifest>;

  before(async () => {
    // The small configuration: every scenario and the full history, few ordinary customers.
    await sampleExport({...SMALL, out: full});
    cpSync(full, guide, {recursive: true, filter: (path) => !path.slice(full.length + 1).startsWith("breakdowns_")});
    manifests = {};
    for (const [name, dir] of [["full", full], ["guide", guide]] as const) {
      manifests[name] = await snapshot({exportDir: dir, out: join(work, `snap-${name}`), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now, cache: false});
    }
  });

  it("snapshots, and says which path made the daily figures", () => {
    assert.deepEqual(manifests.guide!.table_set.present.filter((t) => t.startsWith("breakdowns_")), []);
    // Every invoice by its breakdowns, but the planted draft held past its end, which has none (docs/sample-data.md).
    assert.deepEqual(manifests.full!.daily_sources.revenue_daily!.invoices.draft_history, 1);
    assert.ok(manifests.full!.daily_sources.revenue_daily!.invoices.breakdowns! > 100, JSON.stringify(manifests.full!.daily_sources.revenue_daily));
    assert.deepEqual(Object.keys(manifests.guide!.daily_sources.revenue_daily!.invoices).sort(), ["draft_history", "even_spread"]);
  });

  it("its monthly revenue per customer × product equals the one with breakdowns, exactly, for finalized periods", async () => {
    const {connection} = await openDuckDB();
    const monthly = async (name: string) =>
      (await connection.runAndReadAll(`
        select date_trunc('month', date)::varchar as month, customer_id, product_id, credit_type_id, sum(revenue_minor)::varchar as revenue_minor
        from read_parquet('${join(work, `snap-${name}`, "marts", "revenue_daily.parquet")}')
        where date < date_trunc('month', '${SAMPLE_AS_OF}'::date)
        group by all order by all`)).getRowObjectsJson();
    const withBreakdowns = await monthly("full");
    assert.ok(withBreakdowns.length > 0);
    // The sample plants one finalized invoice line whose breakdowns disagree with it (docs/sample-data.md): read from
    // breakdowns it differs by the planted amount, and the finding names it; every other row is equal.
    const [finding] = (await connection.runAndReadAll(`select example_keys, example_customer_ids from read_parquet('${join(work, "snap-full", "marts", "findings.parquet")}')
      where check_id = 'breakdowns_disagree_with_invoice'`)).getRowObjectsJson() as [{example_keys: string[]; example_customer_ids: string[]}];
    const disagreeing = new Set(finding.example_keys.map((k, i) => `${finding.example_customer_ids[i]}|${/product_id=([^,]+)/.exec(k)![1]}`));
    assert.equal(disagreeing.size, 1);
    const agreeing = (rows: Record<string, unknown>[]) => rows.filter((r) => !disagreeing.has(`${r.customer_id}|${r.product_id}`));
    assert.deepEqual(agreeing(await monthly("guide")), agreeing(withBreakdowns));
    assert.equal((await monthly("guide")).length, withBreakdowns.length);
  });
});

describe("stageTable(spec) for a line table without environment_type", () => {
  // Metronome's published 2024 sample export has environment_type on invoice but not on line_item: each line takes
  // its invoice's environment. One PRODUCTION and one SANDBOX invoice, a line each, the line file without the column.
  async function lines(environment: string) {
    // Every row in the chosen environment but one invoice (inv_1 in SANDBOX, inv_sbx's own in PRODUCTION).
    const tables: Record<string, Row[]> = Object.fromEntries(Object.entries(without("breakdowns_invoices", "breakdowns_line_items")).map(([t, rows]) => [t, rows.map((r) => ({...r, environment_type: environment}))]));
    if (environment === "SANDBOX") tables.invoice![0] = {...tables.invoice![0], environment_type: "PRODUCTION"};
    const [invoice] = tables.invoice!;
    const [line] = tables.line_item!;
    tables.invoice!.push({...invoice, id: "inv_sbx", environment_type: "SANDBOX"});
    const lineRows = [line!, {...line, id: "li_sbx", invoice_id: "inv_sbx", total: 7}];
    delete tables.line_item;
    const exportDir = await writeExport(tables, {dt: "2026-02-01"});
    await writeTableFile(exportDir, "line_item", lineRows, {dt: "2026-02-01", omit: ["environment_type"]});
    const out = mkdtempSync(join(tmpdir(), "sets-env-"));
    const manifest = await snapshot({exportDir, out, asOf: "2026-02-01", config: {...DEFAULT_CONFIG, environment}, now});
    const {connection} = await openDuckDB();
    const ids = (await connection.runAndReadAll(`select id from read_parquet('${join(out, "staging", "line_item.parquet")}') order by id`)).getRowObjectsJson().map((r) => r.id);
    return {ids, counts: manifest.tables.line_item!};
  }

  it("keeps the lines of this environment's invoices only", async () => {
    const {ids, counts} = await lines("PRODUCTION");
    assert.deepEqual(ids, ["li_1"]);
    assert.equal(counts.rows_other_environment, 1);
  });

  it("keeps the SANDBOX invoice's line when the environment is SANDBOX", async () => {
    assert.deepEqual((await lines("SANDBOX")).ids, ["li_sbx"]);
  });
});
