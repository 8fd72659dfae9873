// The lockfile must install on every platform an analyst or a deploy pipeline uses: `npm ci` refuses a lockfile
// that lacks another platform's optional packages, and a Mac or Windows install would get no DuckDB binding.
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, it} from "node:test";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {packages: Record<string, {version?: string}>};
const platforms = ["darwin-arm64", "darwin-x64", "linux-x64", "linux-arm64", "win32-x64"];

describe("package-lock.json", () => {
  it("holds every platform's DuckDB binding at the binding's own version", () => {
    const binding = lock.packages["node_modules/@duckdb/node-bindings"]?.version;
    assert.ok(binding, "the lockfile has @duckdb/node-bindings");
    for (const platform of platforms) {
      const entry = lock.packages[`node_modules/@duckdb/node-bindings-${platform}`];
      assert.equal(entry?.version, binding, `@duckdb/node-bindings-${platform}@${binding} is in the lockfile`);
    }
  });

  it("holds every platform's rollup and esbuild binary that Framework's build needs", () => {
    for (const name of ["@rollup/rollup-darwin-arm64", "@rollup/rollup-win32-x64-msvc", "@rollup/rollup-linux-arm64-gnu", "@esbuild/darwin-arm64", "@esbuild/win32-x64", "@esbuild/linux-arm64"]) {
      assert.ok(Object.keys(lock.packages).some((path) => path.endsWith(`node_modules/${name}`)), `${name} is in the lockfile`);
    }
  });
});
