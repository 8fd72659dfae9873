// The incremental snapshot (sources/export/cache.ts): a snapshot keeps each export file's typed rows under
// `<out>/.cache/`; the next snapshot of the same export reads only the files it has not read, and its outputs are
// byte-identical to a full run's. On a small dense export from the sample generator (12 customers, 4 products, its
// draft tables delivered daily).
import assert from "node:assert/strict";
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {discoverExportAsOf} from "../data-loaders/sources/export/discover.js";
import {listSnapshotFiles, snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";

const DAY = "2026-10-14";
const NEXT = "2026-10-15";

let work: string;
let exportDir: string;

function run(out: string, asOf: string, cache = true): Promise<Manifest> {
  return snapshot({exportDir, out: join(work, out), asOf, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z"), cache});
}

function sameOutputs(a: Manifest, b: Manifest): void {
  assert.deepEqual(Object.keys(a.outputs).sort(), Object.keys(b.outputs).sort());
  for (const name of Object.keys(b.outputs)) assert.equal(a.outputs[name]!.sha256, b.outputs[name]!.sha256, `${name} differs`);
  assert.equal(a.content_hash, b.content_hash);
}

const count = (asOf: string | null, where: (dt: string | null) => boolean) => [...discoverExportAsOf(exportDir, asOf).files.values()].flat().filter((f) => where(f.dt)).length;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "meterbook-incremental-"));
  exportDir = join(work, "export");
  await generateSampleExport({out: exportDir, customers: 12, products: 4, startDate: "2026-08-01", asOf: NEXT, dense: true, scenarios: false});
});
after(() => rmSync(work, {recursive: true, force: true}));

describe("snapshot({cache}) after one new day's partitions", () => {
  let incremental: Manifest;
  let full: Manifest;
  before(async () => {
    await run("incremental", DAY);
    incremental = await run("incremental", NEXT);
    full = await run("full", NEXT);
  });

  it("reads only the files of the new day and reuses every other from the previous snapshot's cache", () => {
    const newFiles = count(null, (dt) => dt === NEXT);
    assert.ok(newFiles > 0);
    assert.equal(incremental.staging_cache!.files_read, newFiles);
    assert.equal(incremental.staging_cache!.files_reused, count(DAY, () => true));
  });

  it("gives staging files and marts byte-identical to a full snapshot's", () => {
    assert.equal(full.staging_cache!.files_reused, 0);
    sameOutputs(incremental, full);
  });

  it("gives the same outputs as a snapshot without the cache, which writes no .cache folder", async () => {
    const plain = await run("plain", NEXT, false);
    sameOutputs(plain, full);
    assert.equal(plain.staging_cache, null);
    assert.ok(!readdirSync(join(work, "plain")).includes(".cache"));
    assert.ok(readdirSync(join(work, "full")).includes(".cache"));
  });

  it("leaves the cache out of the snapshot's listed files", async () => {
    const listed = await listSnapshotFiles(join(work, "full"));
    assert.ok(listed.includes("manifest.json"));
    assert.ok(listed.every((f) => !f.startsWith(".cache")));
  });
});

describe("snapshot({cache}) on an export that changed under the cache", () => {
  it("leaves out the rows of a file gone from the export, reading no file again, and still matches a full run", async () => {
    const copy = join(work, "shrinking");
    await run("shrink", NEXT);
    // A copy of the export without one draft_line_item file: the cache's segment for that table holds it; its rows
    // are left out as the segment is read.
    copyTree(exportDir, copy);
    const table = join(copy, "draft_line_item");
    const [dropped] = readdirSync(table).sort();
    rmSync(join(table, dropped!), {recursive: true});
    const again = await snapshot({exportDir: copy, out: join(work, "shrink"), asOf: NEXT, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z")});
    const whole = await snapshot({exportDir: copy, out: join(work, "shrink-full"), asOf: NEXT, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z")});
    assert.equal(again.staging_cache!.files_read, 0);
    assert.equal(again.staging_cache!.files_reused, count(null, () => true) - 1);
    assert.deepEqual(again.tables, whole.tables);
    sameOutputs(again, whole);
  });

  it("serves an earlier as-of (time travel) from the later snapshot's cache, reading no file, as a full run of that date", async () => {
    await run("travel", NEXT);
    const back = await run("travel", DAY);
    const full = await run("travel-full", DAY, false);
    assert.equal(back.staging_cache!.files_read, 0);
    assert.equal(back.staging_cache!.files_reused, count(DAY, () => true));
    sameOutputs(back, full);
  });

  it("puts a file delivered late into an earlier partition back in transfer order (outputs as a full run's)", async () => {
    const copy = join(work, "late");
    copyTree(exportDir, copy);
    await snapshot({exportDir: copy, out: join(work, "late-inc"), asOf: NEXT, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z")});
    // A redelivery of the latest draft_line_item file into the partition of ten days before, with a later transfer
    // timestamp: a full read places it among that day's files; the cache read it last.
    const table = join(copy, "draft_line_item");
    const latest = readdirSync(table).sort().at(-1)!;
    const file = readdirSync(join(table, latest))[0]!;
    const earlier = join(table, "dt=2026-10-05");
    mkdirSync(earlier, {recursive: true});
    copyFileSync(join(table, latest, file), join(earlier, `${file.split("_")[0]}_20261005235959.parquet`));
    const again = await snapshot({exportDir: copy, out: join(work, "late-inc"), asOf: NEXT, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z")});
    const whole = await snapshot({exportDir: copy, out: join(work, "late-full"), asOf: NEXT, config: DEFAULT_CONFIG, now: () => new Date("2026-10-16T00:00:00Z")});
    assert.equal(again.staging_cache!.files_read, 1);
    assert.equal(again.tables.draft_line_item!.duplicates_dropped, whole.tables.draft_line_item!.duplicates_dropped);
    assert.ok(whole.tables.draft_line_item!.duplicates_dropped > 0);
    sameOutputs(again, whole);
  });
});

function copyTree(from: string, to: string): void {
  mkdirSync(to, {recursive: true});
  for (const entry of readdirSync(from, {withFileTypes: true})) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}
