// Owner slugs for /owners/<slug>: readable, ASCII, unique over the owners given, "unassigned" for no owner.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {ownerSlugs, slugify} from "../../src/core/owners.js";

describe("slugify(name)", () => {
  it("lowercases, drops accents and joins words with single dashes", () => {
    assert.equal(slugify("Liam O'Connor"), "liam-o-connor");
    assert.equal(slugify("  Élena  Petrová "), "elena-petrova");
    assert.equal(slugify("../../etc"), "etc");
  });

  it("makes nothing of a name with no letter or digit", () => {
    assert.equal(slugify("???"), "");
  });
});

describe("ownerSlugs(owners)", () => {
  it("gives no owner 'unassigned', and names that collide -2, -3 in name order", () => {
    const slugs = ownerSlugs(["Élena Petrova", null, "elena petrova", "Unassigned", "???", "Elena Petrova"]);
    assert.deepEqual([...slugs], [
      [null, "unassigned"],
      ["???", "owner"],
      ["elena petrova", "elena-petrova"],
      ["Elena Petrova", "elena-petrova-2"],
      ["Élena Petrova", "elena-petrova-3"],
      ["Unassigned", "unassigned-2"]
    ]);
  });

  it("is the same whatever the order or repetition of the owners given", () => {
    assert.deepEqual([...ownerSlugs(["B", "A", "B", null])].sort(), [...ownerSlugs([null, "A", "B"])].sort());
  });
});
