// Acceptance (issue 16): each finding check on its case planted into a copy of the sample. One small sample is
// generated once and analysed in memory as the baseline (its own planted findings included); each test copies the
// export, plants one case by editing its Parquet files, analyses the copy and asserts that the findings differ from
// the baseline's by exactly that check, with the planted key among its examples. Then the default sample's planted
// findings, read from the golden findings mart.
import assert from "node:assert/strict";
import {cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import type {Finding} from "../data-loaders/errors.js";
import {openDuckDB, rows, sqlString} from "../data-loaders/lib/duckdb.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {analyzeExport, planExport} from "../data-loaders/snapshot/snapshot.js";

const AS_OF = "2026-10-15";
const now = () => new Date(`${AS_OF}T12:00:00Z`);

/** The export's files of `table`, oldest partition first. */
function tableFiles(dir: string, table: string): string[] {
  return readdirSync(join(dir, table)).sort().flatMap((p) => readdirSync(join(dir, table, p)).sort().map((f) => join(dir, table, p, f)));
}

/** Findings of an analysis as check → a comparable signature of its rows (table, count, examples, details). */
function signature(findings: Finding[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of [...findings].sort((a, b) => a.check.localeCompare(b.check) || a.table.localeCompare(b.table))) {
    out.set(f.check, (out.get(f.check) ?? "") + JSON.stringify([f.table, f.rows, f.examples, f.example_details ?? null]));
  }
  return out;
}

/** The checks whose findings differ between two analyses. */
function changedChecks(before: Finding[], after: Finding[]): string[] {
  const a = signature(before);
  const b = signature(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

const examplesOf = (findings: Finding[], check: string) => findings.filter((f) => f.check === check).flatMap((f) => f.examples);
const rowsOf = (findings: Finding[], check: string, table?: string) =>
  findings.filter((f) => f.check === check && (!table || f.table === table)).reduce((n, f) => n + f.rows, 0);

describe("each finding check on its case planted into a copy of the sample (customers: 24, seed 1616)", () => {
  let root: string;
  let baseDir: string;
  let baseline: Finding[];
  /** The baseline's analysis stays open: its model tables pick what to plant. */
  let base: {instance: DuckDBInstance; connection: DuckDBConnection};
  /** An in-memory connection for editing files. */
  let editor: {instance: DuckDBInstance; connection: DuckDBConnection};
  let n = 0;

  /** The baseline builds every model (its tables pick what to plant); a copy only what the finding checks read. */
  async function analyze(dir: string, connection?: DuckDBConnection): Promise<Finding[]> {
    const own = connection ? null : await openDuckDB();
    try {
      const analysis = await analyzeExport(connection ?? own!.connection, planExport(dir, AS_OF, now), {config: DEFAULT_CONFIG, only: connection ? undefined : []});
      return analysis.models.findings;
    } finally {
      own?.connection.closeSync();
      own?.instance.closeSync();
    }
  }

  function copy(): string {
    const dir = join(root, `copy-${++n}`);
    cpSync(baseDir, dir, {recursive: true});
    return dir;
  }

  /** Rewrites every file of `table` in `dir` through `select` (over `f`, the file's rows). */
  async function edit(dir: string, table: string, select: string, only: (path: string) => boolean = () => true): Promise<void> {
    for (const path of tableFiles(dir, table).filter(only)) {
      const tmp = `${path}.tmp`;
      await editor.connection.run(`copy (with f as (select * from read_parquet(${sqlString(path)})) ${select}) to ${sqlString(tmp)} (format parquet, compression zstd)`);
      renameSync(tmp, path);
    }
  }

  /** Plants, analyses, and checks that exactly `check` changed, with `key` among its examples (when given). */
  async function plantedFinds(dir: string, check: string, key?: string): Promise<Finding[]> {
    const found = await analyze(dir);
    assert.deepEqual(changedChecks(baseline, found), [check]);
    if (key !== undefined) {
      assert.ok(examplesOf(found, check).includes(key), `${key} in ${JSON.stringify(examplesOf(found, check))}`);
      assert.ok(!examplesOf(baseline, check).includes(key), "a new example, not one the baseline had");
    }
    return found;
  }

  /** The first row of `sql` (over the baseline's models, and raw_<table> views of its export files) that `keep` keeps. */
  const pick = async <T extends Record<string, unknown>>(sql: string, keep: (row: T) => boolean = () => true): Promise<T> => {
    const row = (await rows<T>(base.connection, sql)).find(keep);
    assert.ok(row, `a target for: ${sql}`);
    return row!;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "findings-sample-"));
    baseDir = join(root, "export");
    await generateSampleExport({out: baseDir, seed: 1616, customers: 28}); // 17 scenario customers + 11 seeded: one for each planted fact
    base = await openDuckDB();
    editor = await openDuckDB();
    baseline = await analyze(baseDir, base.connection);
    for (const table of readdirSync(baseDir)) {
      await base.connection.run(`create view raw_${table} as select * from read_parquet(${sqlString(join(baseDir, table, "*", "*.parquet"))}, union_by_name = true, filename = true)`);
    }
  });

  after(() => {
    base.connection.closeSync();
    base.instance.closeSync();
    editor.connection.closeSync();
    editor.instance.closeSync();
    rmSync(root, {recursive: true, force: true});
  });

  it("the small sample itself lists its planted findings, each once, and no error", () => {
    for (const check of ["breakdowns_disagree_with_invoice", "contract_archived", "balance_absent_from_latest_snapshot", "draft_invoice_past_end", "segment_boundary_not_midnight"]) {
      assert.equal(rowsOf(baseline, check), 1, check);
    }
    assert.deepEqual(baseline.filter((f) => f.severity === "error"), []);
  });

  it("breakdowns_disagree_with_invoice: one finalized breakdown line raised by 1000 (usage backdated after finalization)", async () => {
    const known = examplesOf(baseline, "breakdowns_disagree_with_invoice");
    const target = await pick<{id: string; invoice_id: string; product_id: string}>(`
      select l.id, b.invoice_id, l.product_id from raw_breakdowns_line_items l join raw_breakdowns_invoices b on b.id = l.invoice_breakdown_id
      where l.commit_id is null and b.invoice_id in (select id from stg_invoice where upper(status) <> 'VOID')
      order by l.id limit 50`, (t) => !known.includes(`invoice_id=${t.invoice_id}, product_id=${t.product_id}`));
    const dir = copy();
    await edit(dir, "breakdowns_line_items", `select * replace (case when id = ${sqlString(target.id)} then (total + 1000)::decimal(38, 9) else total end as total) from f`);
    const found = await plantedFinds(dir, "breakdowns_disagree_with_invoice", `invoice_id=${target.invoice_id}, product_id=${target.product_id}`);
    const f = found.find((x) => x.check === "breakdowns_disagree_with_invoice")!;
    const detail = f.example_details![f.examples.indexOf(`invoice_id=${target.invoice_id}, product_id=${target.product_id}`)]!;
    assert.match(detail, /difference 1000(\.0+)? /);
  });

  it("unattributed_burn: one burn line of an expired commit names a balance that is not in contracts_balances", async () => {
    const target = await pick<{id: string; day: string}>(`
      select l.id, strftime(l.breakdown_start_timestamp, '%Y-%m-%d') as day from raw_breakdowns_line_items l
      where l.commit_id in (select balance_id from int_segments group by balance_id having max(end_date) < date '${AS_OF}')
      order by l.id limit 1`);
    const dir = copy();
    await edit(dir, "breakdowns_line_items", `select * replace (case when id = ${sqlString(target.id)} then 'planted-no-such-balance' else commit_id end as commit_id) from f`);
    await plantedFinds(dir, "unattributed_burn", `id=${target.id}, date=${target.day}`);
  });

  it("unclassified_lines: one finalized invoice line of a type no line rule knows", async () => {
    const target = await pick<{id: string; invoice_id: string; name: string}>(`
      select l.id, l.invoice_id, l.name from raw_line_item l
      where l.commit_id is null and l.invoice_id in (select id from stg_invoice where upper(status) <> 'VOID') order by l.id limit 1`);
    const dir = copy();
    // The line and its daily breakdowns, which make its daily figures.
    await edit(dir, "line_item", `select * replace (case when id = ${sqlString(target.id)} then 'PlantedLineItem' else line_item_type end as line_item_type) from f`);
    await edit(dir, "breakdowns_line_items", `select * replace (case when line_item_id = ${sqlString(target.id)} then 'PlantedLineItem' else line_item_type end as line_item_type) from f`);
    await plantedFinds(dir, "unclassified_lines", `invoice_id=${target.invoice_id}, name=${target.name}`);
  });

  /** An active commit pacing counts, other than the planted ones. */
  const activeCommit = () => pick<{balance_id: string; segment_id: string; contract_id: string}>(`
    select balance_id, segment_id, contract_id from int_segments
    where inactive_reason is null and start_date <= date '${AS_OF}' and (end_date is null or date '${AS_OF}' < end_date)
      and balance_type = 'prepaid'
      and balance_id not in (select balance_id from int_segments where inactive_reason is not null)
      and contract_id in (select contract_id from int_segments group by contract_id having count(distinct balance_id) = 1)
    order by balance_id limit 20`, (t) => !examplesOf(baseline, "segment_boundary_not_midnight").some((k) => k.includes(t.balance_id)));

  it("segment_boundary_not_midnight: one commit segment set to start at 06:00 UTC", async () => {
    const target = await activeCommit();
    const dir = copy();
    await edit(dir, "contracts_balances", `select * replace (
      regexp_replace(access_schedule, '("id":"${target.segment_id}","date":"\\d{4}-\\d{2}-\\d{2}T)00', '\\106') as access_schedule) from f`);
    const found = await plantedFinds(dir, "segment_boundary_not_midnight", `balance_id=${target.balance_id}, segment_id=${target.segment_id}`);
    assert.equal(rowsOf(found, "segment_boundary_not_midnight"), rowsOf(baseline, "segment_boundary_not_midnight") + 1);
  });

  it("contract_archived: a contract with an active commit archived on 2026-10-01", async () => {
    const target = await activeCommit();
    const dir = copy();
    await edit(dir, "contracts_contracts", `select * replace (
      case when id = ${sqlString(target.contract_id)} then timestamptz '2026-10-01 09:00:00+00' else archived_at end as archived_at) from f`);
    await plantedFinds(dir, "contract_archived", `balance_id=${target.balance_id}`);
  });

  it("balance_absent_from_latest_snapshot: an active commit left out of the newest contracts_balances partition", async () => {
    const target = await activeCommit();
    const dir = copy();
    const newest = readdirSync(join(dir, "contracts_balances")).sort().at(-1)!;
    await edit(dir, "contracts_balances", `select * from f where id <> ${sqlString(target.balance_id)}`, (path) => path.includes(`/${newest}/`));
    await plantedFinds(dir, "balance_absent_from_latest_snapshot", `balance_id=${target.balance_id}`);
  });

  it("balance_differs_from_metronome: Metronome's balance of an active commit 50.00 higher in the newest transfer", async () => {
    const target = await activeCommit();
    const dir = copy();
    const newest = readdirSync(join(dir, "contracts_balances")).sort().at(-1)!;
    await edit(dir, "contracts_balances", `select * replace (
      case when id = ${sqlString(target.balance_id)} then (balance + 5000)::decimal(38, 9) else balance end as balance) from f`, (path) => path.includes(`/${newest}/`));
    await plantedFinds(dir, "balance_differs_from_metronome", `balance_id=${target.balance_id}`);
  });

  it("draft_invoice_past_end: a customer's open draft delivered again, in the latest transfer, as an August draft never finalized", async () => {
    const known = baseline.filter((f) => f.check === "draft_invoice_past_end").flatMap((f) => f.example_customers ?? []);
    const target = await pick<{customer_id: string}>(`select distinct customer_id from stg_draft_invoice order by customer_id`, (t) => !known.includes(t.customer_id));
    const dir = copy();
    // The newest transfer's file that holds the customer's draft.
    const byStamp = tableFiles(dir, "draft_invoice").sort((a, b) => a.slice(a.lastIndexOf("_")).localeCompare(b.slice(b.lastIndexOf("_"))));
    let latest = "";
    for (const path of byStamp) {
      const [{n}] = (await rows<{n: number}>(editor.connection, `select count(*)::integer as n from read_parquet(${sqlString(path)}) where customer_id = ${sqlString(target.customer_id)}`)) as [{n: number}];
      if (n > 0) latest = path;
    }
    await edit(dir, "draft_invoice", `select * from f union all select * replace (
      'planted-held-draft' as id, md5(_metronome_metadata_id)::uuid::varchar as _metronome_metadata_id,
      timestamptz '2026-08-01 00:00:00+00' as start_timestamp, timestamptz '2026-09-01 00:00:00+00' as end_timestamp, (total * 0)::decimal(38, 9) as total)
      from f where customer_id = ${sqlString(target.customer_id)}`, (path) => path === latest);
    await plantedFinds(dir, "draft_invoice_past_end", "invoice_id=planted-held-draft");
  });

  it("backdated_usage: one day already reported raised by 1000 in the newest draft breakdown snapshot", async () => {
    const newestDay = readdirSync(join(baseDir, "breakdowns_draft_line_items")).sort().at(-1)!.slice(3);
    const target = await pick<{id: string; invoice_id: string; product_id: string; day: string}>(`
      select l.id, b.invoice_id, l.product_id, strftime(l.breakdown_start_timestamp, '%Y-%m-%d') as day
      from raw_breakdowns_draft_line_items l join raw_breakdowns_draft_invoices b on b.id = l.invoice_breakdown_id and b.snapshot_timestamp = l.snapshot_timestamp
      where l.commit_id is null and l.snapshot_timestamp::date = date '${newestDay}' and l.breakdown_start_timestamp < date '${newestDay}' - 3
      order by l.id limit 1`);
    const dir = copy();
    await edit(dir, "breakdowns_draft_line_items", `select * replace (case when id = ${sqlString(target.id)} and snapshot_timestamp::date = date '${newestDay}' then (total + 1000)::decimal(38, 9) else total end as total) from f`,
      (path) => path.includes(`/dt=${newestDay}/`));
    await plantedFinds(dir, "backdated_usage", `invoice_id=${target.invoice_id}, product_id=${target.product_id}, date=${target.day}`);
  });

  it("stale_table: contracts_contracts without its newest transfer", async () => {
    const dir = copy();
    const newest = readdirSync(join(dir, "contracts_contracts")).sort().at(-1)!;
    rmSync(join(dir, "contracts_contracts", newest), {recursive: true});
    await plantedFinds(dir, "stale_table", "table=contracts_contracts");
  });

  it("duplicate_deliveries: one product file delivered again an hour later", async () => {
    const dir = copy();
    const [file] = tableFiles(dir, "product");
    const [, part, stamp] = /\/(\d+)_(\d{14})\.parquet$/.exec(file!)!;
    const later = `${stamp!.slice(0, 8)}${String(Number(stamp!.slice(8, 10)) + 1).padStart(2, "0")}${stamp!.slice(10)}`;
    cpSync(file!, file!.replace(`${part}_${stamp}.parquet`, `${Number(part) + 1000}_${later}.parquet`));
    const found = await plantedFinds(dir, "duplicate_deliveries");
    assert.ok(rowsOf(found, "duplicate_deliveries", "product") > rowsOf(baseline, "duplicate_deliveries", "product"));
  });

  it("orphan_line_items: a line item whose invoice is not in the export", async () => {
    const dir = copy();
    const [file] = tableFiles(dir, "line_item");
    await edit(dir, "line_item", `select * from f union all (select * replace ('planted-orphan-line' as id, 'planted-no-such-invoice' as invoice_id) from f order by id limit 1)`,
      (path) => path === file);
    await plantedFinds(dir, "orphan_line_items", "planted-orphan-line");
  });
});

describe("the default sample's planted findings (test/golden/marts/findings.csv, seed 42)", () => {
  const lines = readFileSync(new URL("./golden/marts/findings.csv", import.meta.url), "utf8").trim().split("\n").slice(1);
  const planted: Array<[string, string, string]> = [
    ["contract_archived", "info", "balance_id=af7d9f1c-15c8-479a-a4b3-2b19e68d99f1"],
    ["balance_absent_from_latest_snapshot", "info", "balance_id=f0b47839-547f-4c8f-824b-b28a8632a8cb"],
    ["segment_boundary_not_midnight", "warning", "balance_id=621f7f24-a04e-419e-8fcb-828c5cb6975f, segment_id=c71cd1ff-b4a1-43f0-978f-9cf5e6de43a1"],
    ["breakdowns_disagree_with_invoice", "warning", "invoice_id=194d3c90-09d5-4b0b-bd54-09460d66cf44, product_id=3ed4bab3-4607-4058-89bd-0bc8c364fb3d"],
    ["draft_invoice_past_end", "warning", "invoice_id=d38e9ec9-7574-46b4-8d24-075f80f77146"]
  ];

  for (const [check, severity, key] of planted) {
    it(`lists ${check} once, at ${severity}, for the planted ${key.split(",")[0]}`, () => {
      const rows = lines.filter((l) => l.startsWith(`${check},`));
      assert.equal(rows.length, 1);
      const [, sev, , , count] = rows[0]!.split(",");
      assert.deepEqual([sev, count], [severity, "1"]);
      assert.ok(rows[0]!.includes(`'${key}'`), rows[0]!);
    });
  }

  it("has no error-level finding (the snapshot does not fail, even with --strict) and the backdated line's difference is 4,496 cents", () => {
    assert.deepEqual(lines.filter((l) => l.split(",")[1] === "error"), []);
    assert.ok(lines.find((l) => l.startsWith("breakdowns_disagree_with_invoice,"))!.includes("breakdowns 104904, invoice 100408, difference 4496 USD (cents)"));
  });

  it("lists no other check than the planted ones, duplicate deliveries and unmapped cost", () => {
    const checks = [...new Set(lines.map((l) => l.split(",")[0]))].sort();
    assert.deepEqual(checks, [...planted.map(([c]) => c), "duplicate_deliveries", "unmapped_cost"].sort());
  });
});
