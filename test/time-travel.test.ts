// Time travel (docs/time-travel.md): `snapshot --as-of D` reads the export as it stood once its transfers dated D
// had landed. The property: its marts equal, row for row, those of the same export with every partition after D
// deleted (snapshotted as of D too), on the sample at three dates and on a guide-variant export of another seed that
// no other test reads. The sample delivers its contract snapshots (contracts_contracts, contracts_balances) every day
// of its history, so every as-of date sees the commits and balances of its own day and not the later ones.
import assert from "node:assert/strict";
import {cpSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {openDuckDB, sqlString} from "../data-loaders/lib/duckdb.js";
import {MARTS} from "../data-loaders/models/build.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {discoverExportAsOf} from "../data-loaders/sources/export/discover.js";
import {snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";
import {minimalExport, writeExport, writeTableFile} from "./fixtures/export-builder.js";

const work = mkdtempSync(join(tmpdir(), "time-travel-"));
const now = () => new Date("2026-11-01T12:00:00Z");
after(() => rmSync(work, {recursive: true, force: true}));

interface Snap {
  manifest: Manifest;
  out: string;
  log: string[];
}

async function snap(exportDir: string, name: string, asOf?: string): Promise<Snap> {
  const out = join(work, name);
  const log: string[] = [];
  // No staging cache: time travel over a later snapshot's cache is test/incremental.test.ts's.
  const manifest = await snapshot({exportDir, out, asOf, config: DEFAULT_CONFIG, now, log: (m) => log.push(m), cache: false});
  return {manifest, out, log};
}

/** A copy of the export with every `dt=` folder dated after `asOf` deleted; returns it and the files deleted. */
function truncated(exportDir: string, asOf: string, name: string): {dir: string; removed: number} {
  const dir = join(work, name);
  cpSync(exportDir, dir, {recursive: true});
  let removed = 0;
  for (const table of readdirSync(dir, {withFileTypes: true}).filter((e) => e.isDirectory())) {
    for (const partition of readdirSync(join(dir, table.name))) {
      const dt = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(partition)?.[1];
      if (!dt || dt <= asOf) continue;
      removed += readdirSync(join(dir, table.name, partition)).length;
      rmSync(join(dir, table.name, partition), {recursive: true});
    }
  }
  return {dir, removed};
}

/** Rows of `a` not in `b` plus rows of `b` not in `a` (multisets), per mart; every count should be 0. */
async function martDifferences(a: string, b: string): Promise<Record<string, {rows: [number, number]; differing: number}>> {
  const {instance, connection} = await openDuckDB();
  try {
    const result: Record<string, {rows: [number, number]; differing: number}> = {};
    for (const mart of MARTS) {
      const [x, y] = [a, b].map((dir) => `read_parquet(${sqlString(join(dir, "marts", `${mart.name}.parquet`))})`);
      const [row] = (await connection.runAndReadAll(`
        select (select count(*) from ${x})::integer as a, (select count(*) from ${y})::integer as b,
          (select count(*) from (select * from ${x} except all select * from ${y}))::integer
          + (select count(*) from (select * from ${y} except all select * from ${x}))::integer as differing`)).getRowObjectsJson() as [{a: number; b: number; differing: number}];
      result[mart.name] = {rows: [row.a, row.b], differing: row.differing};
    }
    return result;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The manifest's figures that name no absolute path or time. */
function figures(m: Manifest) {
  return {as_of: m.as_of, source_files: m.source_files, table_set: m.table_set, tables: m.tables, outputs: m.outputs, findings: m.findings,
    checks: m.checks, daily_sources: m.daily_sources, content_hash: m.content_hash};
}

/** Snapshots `exportDir` as of `asOf` and its truncated copy, and checks the property. */
async function assertTimeTravels(exportDir: string, asOf: string, name: string): Promise<Record<string, {rows: [number, number]; differing: number}>> {
  const {dir, removed} = truncated(exportDir, asOf, `${name}-truncated-export`);
  const travelled = await snap(exportDir, `${name}-as-of`, asOf);
  const cut = await snap(dir, `${name}-truncated`, asOf);
  assert.ok(removed > 0, "the export has partitions after the as-of date");
  assert.equal(travelled.manifest.files_after_as_of, removed, "every file of a later partition is left out");
  assert.ok(travelled.log.includes(`snapshot: as of ${asOf}: ${removed} files of partitions after it left out`), travelled.log.join("\n"));
  assert.equal(travelled.manifest.as_of_source, "given");
  assert.equal(cut.manifest.files_after_as_of, 0);
  const differences = await martDifferences(travelled.out, cut.out);
  for (const [mart, d] of Object.entries(differences)) {
    assert.equal(d.rows[0], d.rows[1], `${mart}: row counts`);
    assert.equal(d.differing, 0, `${mart}: rows that differ`);
  }
  assert.deepEqual(figures(travelled.manifest), figures(cut.manifest));
  return differences;
}

describe("snapshot({asOf}) on the sample: the export as it stood on asOf", () => {
  let exportDir: string;

  before(async () => {
    exportDir = join(work, "sample");
    await generateSampleExport({out: exportDir, customers: 40, seed: 42});
  });

  it("as of a mid-month day equals the export with later partitions deleted", async () => {
    const marts = await assertTimeTravels(exportDir, "2026-10-13", "mid-month");
    // Not a comparison of empty marts: this day has balances (read whole, the 14th's versions made 52 of these rows
    // differ) and drafts.
    assert.ok(marts.balance_reconciliation!.rows[0] > 0 && marts.pacing!.rows[0] > 0 && marts.burn_daily!.rows[0] > 0);
  });

  it("as of a month's first day equals the export with later partitions deleted", async () => {
    await assertTimeTravels(exportDir, "2026-10-01", "first-of-month");
  });

  it("as of a day early in its history equals the export with later partitions deleted", async () => {
    await assertTimeTravels(exportDir, "2025-08-05", "early");
  });

  it("as of a past day sees the commits of that day: segments, pacing and Metronome's balances", async () => {
    const marts = await assertTimeTravels(exportDir, "2026-04-15", "past");
    // Half a year before the sample's as-of, commits signed by then pace (the scenarios' 2026-01/03 commits among them).
    assert.ok(marts.balance_segments!.rows[0] >= 5, `balance_segments rows: ${marts.balance_segments!.rows[0]}`);
    assert.ok(marts.pacing!.rows[0] >= 5, `pacing rows: ${marts.pacing!.rows[0]}`);
    assert.ok(marts.balance_reconciliation!.rows[0] >= 5, `balance_reconciliation rows: ${marts.balance_reconciliation!.rows[0]}`);
  });
});

describe("snapshot({asOf}) on an export no other test reads (guide variant, seed 2718)", () => {
  it("as of a past day equals the export with later partitions deleted", async () => {
    const exportDir = join(work, "guide");
    await generateSampleExport({out: exportDir, variant: "guide", seed: 2718, customers: 12});
    await assertTimeTravels(exportDir, "2026-10-12", "guide");
  });
});

describe("discoverExportAsOf(root, asOf)", () => {
  async function partitioned(): Promise<string> {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01"});
    const customer = minimalExport().customer![0]!;
    await writeTableFile(root, "customer", [{...customer, name: "Later", updated_at: "2026-02-02T06:00:00Z"}], {dt: "2026-02-02", part: 1});
    await writeTableFile(root, "customer", [{...customer, name: "Latest", updated_at: "2026-02-03T06:00:00Z"}], {dt: "2026-02-03", part: 2});
    return root;
  }

  it("keeps the partitions dated on or before asOf and lists the later ones as left out", async () => {
    const {files, afterAsOf, undated} = discoverExportAsOf(await partitioned(), "2026-02-02");
    assert.deepEqual(files.get("customer")!.map((f) => f.dt), ["2026-02-01", "2026-02-02"]);
    assert.deepEqual(afterAsOf.map((f) => f.relativePath), ["customer/dt=2026-02-03/2_20260203000000.parquet"]);
    assert.deepEqual(undated, []);
  });

  it("keeps every file without asOf", async () => {
    const {files, afterAsOf} = discoverExportAsOf(await partitioned(), null);
    assert.deepEqual(files.get("customer")!.map((f) => f.dt), ["2026-02-01", "2026-02-02", "2026-02-03"]);
    assert.deepEqual(afterAsOf, []);
  });

  it("fails as the truncated export would when a required table has only later partitions", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-01"});
    rmSync(join(root, "customer"), {recursive: true});
    await writeTableFile(root, "customer", minimalExport().customer!, {dt: "2026-02-05"});
    assert.throws(() => discoverExportAsOf(root, "2026-02-04"), /missing required table: customer .*; as of 2026-02-04, customer has files only in later partitions/);
  });

  it("fails with the first transfer date when nothing was delivered by asOf", async () => {
    const root = await writeExport(minimalExport(), {dt: "2026-02-05"});
    assert.throws(() => discoverExportAsOf(root, "2026-02-01"), /nothing delivered by the as-of date: .* first transfer is dt=2026-02-05, after --as-of 2026-02-01/);
  });

  it("keeps a flat export's files whatever asOf, as undated", async () => {
    const {files, afterAsOf, undated} = discoverExportAsOf(await writeExport(minimalExport()), "2020-01-01");
    assert.equal(files.get("customer")!.length, 1);
    assert.deepEqual(afterAsOf, []);
    assert.equal(undated.length, [...files.values()].flat().length);
  });
});

describe("snapshot({asOf}) on a flat export", () => {
  it("reads it whole and says time travel needs the partitioned layout", async () => {
    const flat = await snap(await writeExport(minimalExport()), "flat", "2026-02-01");
    const note = /^time travel needs the partitioned layout: \d+ files without a dt= partition \(no transfer date\) read whole, as they are now, whatever the as-of$/;
    assert.match(flat.manifest.as_of_note ?? "", note);
    assert.ok(flat.log.some((l) => note.test(l.replace(/^snapshot: /, ""))), flat.log.join("\n"));
    assert.equal(flat.manifest.files_after_as_of, 0);
    assert.equal(flat.manifest.source.layout, "flat");
  });

  it("says nothing about time travel without an as-of", async () => {
    const flat = await snap(await writeExport(minimalExport()), "flat-default");
    assert.equal(flat.manifest.as_of_note, null);
    assert.equal(flat.manifest.as_of_source, "today");
    assert.equal(flat.manifest.as_of, "2026-11-01");
  });
});
