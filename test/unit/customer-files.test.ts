// writeCustomerFiles keeps the files it writes in the snapshot's folder (.cache/customer-files), so another checkout
// building the same snapshot (the next build, CI) links them instead of writing them again; another snapshot's content
// writes them anew.
import assert from "node:assert/strict";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {CUSTOMER_FILES_KEPT, CUSTOMER_VIEW_ID, writeCustomerFiles} from "../../data-loaders/snapshot/site.js";
import type {Manifest} from "../../data-loaders/snapshot/snapshot.js";
import {digests} from "../sample-export.js";
import {paceTables, snapshotMarts} from "../fixtures/pace-export.js";

describe("writeCustomerFiles(dir, manifest, target)", () => {
  let dir = "";
  let manifest: Manifest;
  const root = mkdtempSync(join(tmpdir(), "customer-files-"));

  before(async () => {
    ({out: dir, manifest} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2026-04-11", amount: 10000}], burns: [{date: "2026-01-01", total: 800}]}), "2026-01-11"));
  });

  it("writes them once, keeps them beside the snapshot, and another checkout links the same files", async () => {
    const first = await writeCustomerFiles(dir, manifest, join(root, "a"));
    assert.equal(first.linked, false);
    assert.ok(first.files > 10, `${first.files} files`);
    assert.deepEqual(digests(join(dir, CUSTOMER_FILES_KEPT)), digests(join(root, "a")));
    // Another checkout: linked from the snapshot's folder, the same names and bytes.
    const second = await writeCustomerFiles(dir, manifest, join(root, "b"));
    assert.deepEqual(second, {files: first.files, linked: true});
    assert.deepEqual(digests(join(root, "b")), digests(join(root, "a")));
    assert.ok(readFileSync(join(root, "b", CUSTOMER_VIEW_ID, "pacing.parquet")).length > 0);
    // The same checkout again: nothing to do.
    assert.deepEqual(await writeCustomerFiles(dir, manifest, join(root, "b")), {files: 0, linked: false});
  });

  it("writes them anew for another snapshot's content", async () => {
    const other = {...manifest, content_hash: "another"};
    assert.equal((await writeCustomerFiles(dir, other, join(root, "c"))).linked, false);
    assert.match(readFileSync(join(dir, CUSTOMER_FILES_KEPT, ".snapshot"), "utf8"), /^another /);
  });
});
