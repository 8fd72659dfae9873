import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {packageVersion, primeNpmCache, UNAVAILABLE_VERSION} from "../scripts/offline-npm.js";

describe("primeNpmCache({cacheRoot, packages})", () => {
  it("writes each package at the version node_modules has, as one self-contained ES module", async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), "npm-cache-"));
    await primeNpmCache({cacheRoot, packages: [{name: "d3-dsv"}], log: () => {}});
    const version = await packageVersion("d3-dsv");
    const source = readFileSync(join(cacheRoot, `d3-dsv@${version}`, "_esm.js"), "utf8");
    assert.match(source, /export\{/);
    assert.doesNotMatch(source, /from"(?!\.)/, "no bare or CDN import left to resolve");
    const mod = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
    assert.deepEqual(mod.csvParse("a,b\n1,2"), Object.assign([{a: "1", b: "2"}], {columns: ["a", "b"]}));
  });

  it("keeps a default export (parquet-wasm's init) and copies declared assets", async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), "npm-cache-"));
    await primeNpmCache({cacheRoot, packages: [{name: "parquet-wasm", assets: ["esm/parquet_wasm_bg.wasm"]}], log: () => {}});
    const dir = join(cacheRoot, `parquet-wasm@${await packageVersion("parquet-wasm")}`);
    assert.match(readFileSync(join(dir, "_esm.js"), "utf8"), /as default/);
    assert.ok(existsSync(join(dir, "esm", "parquet_wasm_bg.wasm")));
  });

  it("removes entries at other versions, which would otherwise win Framework's version resolution", async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), "npm-cache-"));
    mkdirSync(join(cacheRoot, "htl@99.0.0"), {recursive: true});
    await primeNpmCache({cacheRoot, packages: [{name: "htl"}], log: () => {}});
    assert.deepEqual(readdirSync(cacheRoot).filter((e) => e.startsWith("htl@")), [`htl@${await packageVersion("htl")}`]);
  });

  it("gives libraries Meterbook does not ship a placeholder version, so bundling never asks the registry", async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), "npm-cache-"));
    await primeNpmCache({cacheRoot, packages: [], log: () => {}});
    assert.ok(existsSync(join(cacheRoot, `react-dom@${UNAVAILABLE_VERSION}`)));
    assert.deepEqual(readdirSync(join(cacheRoot, `react-dom@${UNAVAILABLE_VERSION}`)), []);
  });

  it("does not rewrite an entry that is already current", async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), "npm-cache-"));
    const first = await primeNpmCache({cacheRoot, packages: [{name: "isoformat"}], log: () => {}});
    const second = await primeNpmCache({cacheRoot, packages: [{name: "isoformat"}], log: () => {}});
    assert.equal(first.length, 1);
    assert.deepEqual(second, []);
  });
});
