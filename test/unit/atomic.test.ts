import assert from "node:assert/strict";
import {mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync} from "node:fs";
import {writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {writeFolderAtomically} from "../../data-loaders/lib/atomic.js";

function existing(): {parent: string; target: string} {
  const parent = mkdtempSync(join(tmpdir(), "atomic-"));
  const target = join(parent, "out");
  mkdirSync(target);
  writeFileSync(join(target, "old.txt"), "old");
  return {parent, target};
}

describe("writeFolderAtomically(target, write)", () => {
  it("replaces the target with what write put in the staging folder, and returns write's result", async () => {
    const {parent, target} = existing();
    const result = await writeFolderAtomically(target, async (staging) => {
      await writeFile(join(staging, "new.txt"), "new");
      return 7;
    });
    assert.equal(result, 7);
    assert.deepEqual(readdirSync(target), ["new.txt"]);
    assert.deepEqual(readdirSync(parent), ["out"]);
  });

  it("creates a target that did not exist, with its parent folders", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "atomic-")), "a", "b");
    await writeFolderAtomically(target, (staging) => writeFile(join(staging, "x"), "x"));
    assert.equal(readFileSync(join(target, "x"), "utf8"), "x");
  });

  it("leaves the target as it was and removes the staging folder when write throws", async () => {
    const {parent, target} = existing();
    await assert.rejects(
      writeFolderAtomically(target, async (staging) => {
        await writeFile(join(staging, "half.txt"), "half");
        throw new Error("boom");
      }),
      /boom/
    );
    assert.deepEqual(readdirSync(target), ["old.txt"]);
    assert.deepEqual(readdirSync(parent), ["out"]);
  });
});
