// The export reader on hand-built exports: layouts, deduplication, environments, JSON encodings, and the bad-input
// corpus — each bad case must fail with a message naming table, file, column and row, and leave <out> untouched.
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {InputError} from "../data-loaders/errors.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {listSnapshotFiles, snapshot} from "../data-loaders/snapshot/snapshot.js";
import {minimalExport, writeExport, writeTableFile, type Row} from "./fixtures/export-builder.js";

const config = DEFAULT_CONFIG;
const now = () => new Date("2026-10-15T12:00:00Z");

async function snap(exportDir: string, out = mkdtempSync(join(tmpdir(), "snap-")), {stagingLineItems = false} = {}) {
  const manifest = await snapshot({exportDir, out, asOf: "2026-02-04", config, now, stagingLineItems});
  return {manifest, out};
}

async function readStaging(out: string, table: string): Promise<Record<string, unknown>[]> {
  const {connection} = await openDuckDB();
  return (await connection.runAndReadAll(`select * from read_parquet('${join(out, "staging", `${table}.parquet`)}')`)).getRowObjectsJson();
}

async function folderDigest(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const f of await listSnapshotFiles(dir)) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest("hex");
}

function withTable(table: string, rows: (rows: Row[]) => Row[]): Record<string, Row[]> {
  const tables = minimalExport();
  tables[table] = rows(tables[table]!);
  return tables;
}

describe("snapshot({exportDir, out}) on a valid export", () => {
  it("stages every table with typed columns and counts rows in and out", async () => {
    const {manifest, out} = await snap(await writeExport(minimalExport(), {dt: "2026-02-01"}));
    assert.equal(manifest.tables.customer!.rows_out, 1);
    assert.equal(manifest.tables.breakdowns_line_items!.rows_out, 2);
    assert.equal(manifest.tables.draft_invoice!.rows_out, 0, "optional tables are empty, not an error");
    const [customer] = await readStaging(out, "customer");
    assert.equal(customer!.name, "O'Brien Robotics");
    const [item] = await readStaging(out, "access_schedule_items");
    assert.deepEqual({segment: item!.segment_id, start: item!.starting_at, end: item!.ending_before, amount: item!.amount}, {segment: "seg_1", start: "2026-01-01 00:00:00", end: "2027-01-01 00:00:00", amount: "36500.000000000"});
    assert.equal(manifest.source.layout, "object-storage");
    assert.match(manifest.content_hash, /^[0-9a-f]{64}$/);
  });

  it("keeps the latest version of a key across dt= partitions and drops identical re-deliveries", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01"});
    const renamed = {...minimalExport().customer![0]!, name: "O'Brien Robotics Ltd", updated_at: "2026-02-03T06:00:00Z"};
    await writeTableFile(root, "customer", [renamed], {dt: "2026-02-03", part: 1});
    await writeTableFile(root, "customer", [renamed], {dt: "2026-02-04", part: 2}); // at-least-once retry
    const {manifest, out} = await snap(root);
    assert.deepEqual(manifest.tables.customer, {files: 3, rows_in: 3, rows_other_environment: 0, duplicates_dropped: 2, rows_out: 1});
    assert.equal((await readStaging(out, "customer"))[0]!.name, "O'Brien Robotics Ltd");
  });

  it("drops rows of other environments (SANDBOX) and counts them", async () => {
    const root = await writeExport(withTable("customer", (rows) => [...rows, {...rows[0]!, id: "cus_sandbox", environment_type: "SANDBOX"}]), {dt: "2026-02-01"});
    const {manifest, out} = await snap(root);
    assert.equal(manifest.tables.customer!.rows_other_environment, 1);
    assert.deepEqual((await readStaging(out, "customer")).map((c) => c.id), ["cus_1"]);
  });

  it("reads the flat layout, as Parquet or CSV, to the same staging rows", async () => {
    // The breakdown line tables' staging files too (written when asked): CSV's numbers and timestamps typed alike.
    const parquet = await snap(await writeExport(minimalExport()), undefined, {stagingLineItems: true});
    const csv = await snap(await writeExport(minimalExport(), {format: "csv"}), undefined, {stagingLineItems: true});
    assert.equal(parquet.manifest.source.layout, "flat");
    for (const table of ["customer", "contracts_balances", "breakdowns_line_items", "access_schedule_items"]) {
      assert.deepEqual(await readStaging(csv.out, table), await readStaging(parquet.out, table), table);
    }
  });

  it("parses JSON columns stored as text or as nested Parquet values alike", async () => {
    const text = await snap(await writeExport(minimalExport(), {dt: "2026-02-01"}));
    const nested = await snap(await writeExport(minimalExport(), {dt: "2026-02-01", nestedJson: true}));
    for (const table of ["access_schedule_items", "invoice_schedule_items"]) {
      assert.deepEqual(await readStaging(nested.out, table), await readStaging(text.out, table), table);
    }
  });

  it("ignores unknown extra columns", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01", extra: ["some_future_column"]});
    const {manifest} = await snap(root);
    assert.equal(manifest.tables.invoice!.rows_out, 1);
  });

  it("reports line items whose invoice is absent as a finding, and still writes the snapshot", async () => {
    const root = await writeExport(withTable("line_item", (rows) => [...rows, {...rows[0]!, id: "li_orphan", invoice_id: "inv_missing"}]), {dt: "2026-02-01"});
    const {manifest} = await snap(root);
    const finding = manifest.findings.find((f) => f.check === "orphan_line_items")!;
    assert.equal(finding.table, "line_item");
    assert.equal(finding.rows, 1);
    assert.deepEqual(finding.examples, ["li_orphan"]);
  });
});

describe("snapshot({exportDir, out}) on bad input", () => {
  let previous: string;
  let previousDigest: string;

  before(async () => {
    previous = (await snap(await writeExport(minimalExport(), {dt: "2026-02-01"}))).out;
    previousDigest = await folderDigest(previous);
  });

  async function rejects(exportDir: string, pattern: RegExp): Promise<InputError> {
    const error = await snapshot({exportDir, out: previous, asOf: "2026-02-04", config, now}).then(
      () => assert.fail("snapshot should have failed"),
      (e: unknown) => e
    );
    assert.ok(error instanceof InputError, String(error));
    assert.match((error as Error).message, pattern);
    assert.equal(await folderDigest(previous), previousDigest, "the previous snapshot is untouched");
    return error as InputError;
  }

  it("a required table is missing", async () => {
    const tables = minimalExport();
    delete tables.customer;
    await rejects(await writeExport(tables, {dt: "2026-02-01"}), /missing required table: customer \(it needs customer and either invoice \+ line_item or breakdowns_invoices \+ breakdowns_line_items\)/);
  });

  it("neither invoices with line items nor breakdowns", async () => {
    const tables = minimalExport();
    delete tables.line_item;
    delete tables.breakdowns_line_items;
    await rejects(await writeExport(tables, {dt: "2026-02-01"}), /missing required table: line_item \(/);
  });

  it("a required column is missing from one file", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01"});
    await writeTableFile(root, "invoice", [{...minimalExport().invoice![0]!, id: "inv_2"}], {dt: "2026-02-02", part: 7, omit: ["customer_id"]});
    const error = await rejects(root, /required column missing: customer_id \[table invoice, column customer_id, file invoice\/dt=2026-02-02\/7_20260202000000\.parquet\]/);
    assert.equal(error.location.column, "customer_id");
  });

  it("a value does not cast (CSV text in a money column)", async () => {
    const root = await writeExport(withTable("line_item", (rows) => [{...rows[0]!, total: "12,50"}]), {format: "csv"});
    const error = await rejects(root, /value does not convert to money: "12,50" \[table line_item, column total, file line_item\.csv, row 1 \(id=li_1\)\]/);
    assert.equal(error.location.row, 1);
  });

  it("a timestamp does not parse", async () => {
    const root = await writeExport(withTable("invoice", (rows) => [{...rows[0]!, issued_at: "last Tuesday"}]), {format: "csv"});
    await rejects(root, /value does not convert to timestamp: "last Tuesday" \[table invoice, column issued_at, file invoice\.csv, row 1 \(id=inv_1\)\]/);
  });

  it("malformed JSON in a JSON column", async () => {
    // Hand-written text: the builder would serialise objects into valid JSON.
    const csvRoot = await writeExport(minimalExport(), {format: "csv"});
    const file = join(csvRoot, "contracts_balances.csv");
    writeFileSync(file, readFileSync(file, "utf8").replace(/"\{""credit_type_id"[^\n]*?\]\}"/, '"{""schedule_items"": [ {""id"": ""seg_1"""'));
    await rejects(csvRoot, /malformed JSON: .* \[table contracts_balances, column access_schedule, file contracts_balances\.csv, row 1 \(id=bal_1\)\]/);
  });

  it("a schedule item without a date", async () => {
    const root = await writeExport(
      withTable("contracts_balances", (rows) => [{...rows[0]!, access_schedule: {credit_type_id: "usd", schedule_items: [{id: "seg_1", end_date: "2027-01-01T00:00:00Z", amount: 100}]}}]),
      {dt: "2026-02-01"}
    );
    await rejects(root, /schedule item 1 \(seg_1\) has no date \[table contracts_balances, column access_schedule, file contracts_balances\/dt=2026-02-01\/0_20260201000000\.parquet, row 1 \(id=bal_1\)\]/);
  });

  it("an unknown balance type", async () => {
    const root = await writeExport(withTable("contracts_balances", (rows) => [{...rows[0]!, type: "gift_card"}]), {dt: "2026-02-01"});
    await rejects(root, /unknown balance type "gift_card" \(expected prepaid, postpaid, credit\) \[table contracts_balances, column type, file .*, row 1 \(id=bal_1\)\]/);
  });

  it("duplicate rows that disagree (same key and updated_at, different values)", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01"});
    await writeTableFile(root, "invoice", [{...minimalExport().invoice![0]!, total: 999}], {dt: "2026-02-02", part: 9});
    await rejects(root, /duplicate rows disagree: .* invoice\/dt=2026-02-01\/0_20260201000000\.parquet row 1 and invoice\/dt=2026-02-02\/9_20260202000000\.parquet row 1 \[table invoice, column id/);
  });

  it("an empty key", async () => {
    const root = await writeExport(withTable("customer", (rows) => [...rows, {...rows[0]!, id: null}]), {dt: "2026-02-01"});
    await rejects(root, /key column is empty \[table customer, column id, file customer\/dt=2026-02-01\/0_20260201000000\.parquet, row 2\]/);
  });

  it("an empty export", async () => {
    await rejects(mkdtempSync(join(tmpdir(), "empty-")), /empty export: .* contains no files/);
  });

  it("a folder that is not an export", async () => {
    const dir = mkdtempSync(join(tmpdir(), "not-export-"));
    mkdirSync(join(dir, "photos"));
    writeFileSync(join(dir, "photos", "cat.jpg"), "meow");
    writeFileSync(join(dir, "notes.txt"), "hello");
    await rejects(dir, /not a Metronome Data Export: .* has none of the export tables/);
  });

  it("a folder that does not exist", async () => {
    await rejects(join(tmpdir(), "no-such-export-folder"), /export folder not found/);
  });

  it("a snapshot whose out folder is new is not created on failure", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "snap-")), "new");
    const tables = minimalExport();
    delete tables.invoice;
    delete tables.breakdowns_invoices;
    await assert.rejects(snapshot({exportDir: await writeExport(tables), out, asOf: "2026-02-01", config, now}), /missing required table: invoice/);
    assert.deepEqual(await listSnapshotFiles(join(out, "..")), []);
    rmSync(out, {recursive: true, force: true});
  });
});

