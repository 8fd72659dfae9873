import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {chromiumArgs} from "../../data-loaders/lib/chromium.js";

describe("chromiumArgs({loopback})", () => {
  it("resolves no name at all by default (documents open from file://)", () => {
    assert.ok(chromiumArgs().includes("--host-resolver-rules=MAP * ~NOTFOUND"));
  });

  it("lets 127.0.0.1 through with loopback (the test server), nothing else", () => {
    assert.ok(chromiumArgs({loopback: true}).includes("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"));
  });

  it("is headless and runs as root in a container", () => {
    for (const flag of ["--headless=new", "--no-sandbox"]) assert.ok(chromiumArgs().includes(flag), flag);
  });
});
