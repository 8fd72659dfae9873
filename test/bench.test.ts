// The benchmark, small: `npm run bench` on a tiny generated export, measuring the pages of the test build. A smoke
// test of the whole pipeline and of its output — every figure present and coherent — with no timing asserted.
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, describe, it} from "node:test";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {siteDir} from "./browser/site.js";

describe("npm run bench (smoke: 4 customers × 3 products × 20 days)", () => {
  const work = mkdtempSync(join(tmpdir(), "meterbook-bench-"));
  after(() => rmSync(work, {recursive: true, force: true}));

  it("prints the table and writes every figure to the JSON file", async () => {
    const out = join(work, "bench.json");
    const stdout = execFileSync(
      process.execPath,
      ["--import", "tsx", "scripts/bench.ts", "--customers", "4", "--products", "3", "--days", "20", "--work", work, "--out", out, "--site-dir", siteDir(), "--interactions", "3", "--skip-reports"],
      {encoding: "utf8", env: {...process.env, TZ: "UTC"}, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26}
    );
    for (const heading of ["snapshot (wall)", "snapshot peak RSS", "floor (same run)", "snapshot phases", "1,000 reports with PDFs", "bytes/row", "first chart", "/pacing", "/revenue", "/customers/"]) {
      assert.ok(stdout.includes(heading), `stdout has ${JSON.stringify(heading)}:\n${stdout}`);
    }
    const r = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(r.config, {sample: false, customers: 4, products: 3, days: 20, asOf: "2026-10-15", startDate: "2026-09-25"});
    assert.match(r.commit, /^[0-9a-f]{7,}(\+changes)?$/);
    // Dense: every customer uses every product every day, so the breakdown line items are counted from the files.
    const {connection} = await openDuckDB();
    const counted = (await connection.runAndReadAll(`select count(*)::integer as n from read_parquet('${join(work, "export-4x3x20")}/breakdowns_*line_items/*/*.parquet')`)).getRowObjectsJson()[0]!.n;
    assert.equal(r.snapshot.breakdownLineItems, counted);
    assert.ok(r.snapshot.breakdownLineItems >= 4 * 3 * 19, `at least one line per customer, product and day: ${r.snapshot.breakdownLineItems}`);
    assert.equal(r.snapshot.ratioToScan, r.snapshot.ms / r.scan.ms);
    assert.equal(r.snapshot.cpuRatioToScan, r.snapshot.cpuMs / r.scan.cpuMs);
    assert.ok(r.snapshot.phases.staging > 0 && r.snapshot.phases["marts written"] > 0, JSON.stringify(r.snapshot.phases));
    // Every target has its row; what this run did not measure says so instead of printing a figure.
    assert.deepEqual(r.table.map((t: {figure: string}) => t.figure), [
      "snapshot (wall)", "snapshot (CPU, all threads)", "snapshot peak RSS", "snapshot spilled (peak)", "incremental (one new day)", "site build",
      "site build, next (same snapshot)", "first chart, cold (slowest page)", "interaction p95 (slowest page)", "1,000 reports with PDFs"
    ]);
    for (const figure of ["1,000 reports with PDFs", "site build, next (same snapshot)"]) assert.equal(r.table.find((t: {figure: string}) => t.figure === figure).measured, "not measured");
    // The incremental snapshot (one new day over the cache of the day before) read only the new day's files and
    // gave the full snapshot's marts.
    assert.equal(r.incremental.identical, true);
    assert.ok(r.incremental.filesRead > 0 && r.incremental.filesReused > 0, JSON.stringify(r.incremental));
    assert.match(r.table.find((t: {figure: string}) => t.figure === "incremental (one new day)").verdict, /% (met|MISSED); marts byte-identical$/);
    assert.ok(r.snapshot.maxRssBytes > 0 && r.scan.rows >= r.snapshot.breakdownLineItems);
    for (const mart of ["customers", "pacing", "burn_daily", "revenue_daily", "usage_daily"]) {
      const m = r.marts[mart];
      assert.ok(m && m.rows > 0 && m.bytes > 0, `${mart}: ${JSON.stringify(m)}`);
      assert.equal(m.bytesPerRow, m.bytes / m.rows);
    }
    assert.equal(r.marts.customers.rows, 4);
    // Every portfolio page and an owner's and a customer's; the first three with their interactions' latencies.
    assert.deepEqual(r.site.pages.map((p: {path: string}) => p.path.replace(/\/customers\/.+/, "/customers/…").replace(/\/owners\/.+/, "/owners/…")),
      ["/pacing", "/revenue", "/customers/…", "/", "/usage", "/forecast", "/unit-economics", "/alerts", "/data-health", "/owners/…"]);
    for (const page of r.site.pages.slice(3)) {
      assert.ok(Number.isFinite(page.firstChartMs) && page.firstChartMs > 0 && Number.isFinite(page.warmFirstChartMs) && page.warmFirstChartMs > 0, `${page.path}: ${JSON.stringify(page)}`);
      assert.ok(page.bytes > page.dataBytes && page.dataBytes > 0, `${page.path}: fetched its data files (${page.dataBytes} of ${page.bytes} bytes)`);
    }
    assert.match(r.table.find((t: {figure: string}) => t.figure === "first chart, cold (slowest page)").measured, /^[\d,]+ ms \(\/.*, the slowest of 10 pages\)$/);
    assert.match(r.table.find((t: {figure: string}) => t.figure === "interaction p95 (slowest page)").measured, /^[\d,]+ ms \(\/(pacing|revenue|customers\/.+)\)$/);
    for (const page of r.site.pages.slice(0, 3)) {
      for (const key of ["firstChartMs", "warmFirstChartMs", "bytes", "dataBytes", "p50Ms", "p95Ms"]) assert.ok(Number.isFinite(page[key]) && page[key] > 0, `${page.path} ${key} = ${page[key]}`);
      assert.ok(page.queries >= 2, `${page.path}: the interactions ran queries (${page.queries})`);
      assert.ok(page.p95Ms >= page.p50Ms);
    }
  });
});
