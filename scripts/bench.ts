// `npm run bench -- [--customers N --products P --days D] [--skip-site | --site-dir DIST] [--interactions K]
// [--out FILE] [--memory-limit SIZE]`: generates an export of that size with the sample generator (dense: every
// customer uses every product every day), then measures and prints, in one table, each figure beside its target and
// its floor measured in the same run (the snapshot beside native DuckDB's single scan of the same files), then the
// snapshot's phases, the bytes per row of each mart, the site built over that snapshot and its pages in Chromium.
// Figures go to stdout and to a JSON file so runs can be compared. See docs/scaling.md and docs/performance.md.
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {memoryBytes} from "../data-loaders/lib/duckdb.js";
import {generateSampleExport, SAMPLE_AS_OF, SAMPLE_HISTORY_START} from "../data-loaders/sample/generate.js";
import type {PageFigures} from "./bench/site.js";

const {values} = parseArgs({
  options: {
    customers: {type: "string", default: "1000"},
    products: {type: "string", default: "20"},
    days: {type: "string", default: "365"},
    "as-of": {type: "string", default: "2026-10-15"},
    work: {type: "string", default: join(process.cwd(), "bench-results", "work")},
    out: {type: "string"},
    // The embedded sample export (160 customers, 15 months, scenarios) instead of a dense generated one.
    sample: {type: "boolean", default: false},
    "skip-site": {type: "boolean", default: false},
    // Measure the pages of a site built already (the smoke test passes the test build) instead of building one.
    "site-dir": {type: "string"},
    interactions: {type: "string", default: "20"},
    "keep-export": {type: "boolean", default: false},
    // Leave out the reports (`meterbook report --all` with PDFs for the month before as-of, over the snapshot).
    "skip-reports": {type: "boolean", default: false},
    // Leave out the second site build (a fresh checkout over the same snapshot: customer files, alert history kept).
    "skip-rebuild": {type: "boolean", default: false},
    // Leave out the incremental snapshot (two more snapshots: the export as of the day before, then one new day).
    "skip-incremental": {type: "boolean", default: false},
    // The snapshot's memory budget (default: the config's, 1.5GB); past it DuckDB spills beside the snapshot.
    "memory-limit": {type: "string"}
  }
});
const sample = values.sample!;
const customers = sample ? 160 : Number(values.customers);
const products = sample ? 10 : Number(values.products);
const asOf = sample ? SAMPLE_AS_OF : values["as-of"]!;
const days = sample ? Math.round((Date.parse(`${SAMPLE_AS_OF}T00:00:00Z`) - Date.parse(`${SAMPLE_HISTORY_START}T00:00:00Z`)) / 86_400_000) : Number(values.days);
const startDate = new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const work = values.work!;
const name = sample ? "sample" : `${customers}x${products}x${days}`;
const exportDir = join(work, `export-${name}`);
mkdirSync(work, {recursive: true});

function child(script: string, args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script, ...args], {encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26}));
}

const commit = (() => {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {encoding: "utf8"}).trim();
    return execFileSync("git", ["status", "--porcelain"], {encoding: "utf8"}).trim() ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
})();
const results: Record<string, unknown> = {commit, config: {sample, customers, products, days, asOf, startDate}, machine: {cpus: (await import("node:os")).cpus().length, node: process.version}};
if (!existsSync(exportDir)) {
  const t0 = performance.now();
  const stats = sample ? await generateSampleExport({out: exportDir}) : await generateSampleExport({out: exportDir, customers, products, startDate, asOf, dense: true, scenarios: false});
  results.generate = {ms: performance.now() - t0, files: stats.files, breakdownLineItems: (stats.rows.breakdowns_line_items ?? 0) + (stats.rows.breakdowns_draft_line_items ?? 0)};
}

// Warm the page cache once so both measurements read the files from memory.
child("scripts/bench/scan-child.ts", [exportDir]);
const scan = child("scripts/bench/scan-child.ts", [exportDir]);
const snapOut = join(work, "snapshot");
const budget = values["memory-limit"] ? [values["memory-limit"]] : [];
// A full snapshot: no staging cache left from an earlier run (sources/export/cache.ts).
rmSync(snapOut, {recursive: true, force: true});
const snap = child("scripts/bench/snapshot-child.ts", [exportDir, snapOut, asOf, ...budget]);
// The incremental snapshot: the export as it stood the day before (time travel: partitions up to then) fills the
// cache — staged only, as the day before's snapshot would have left it — then the snapshot of the day reads only the
// new day's files. Its marts must equal the full snapshot's.
let incremental: {ms: number; cpuMs: number; identical: boolean; filesRead: number; filesReused: number} | null = null;
if (!values["skip-incremental"]) {
  const incOut = join(work, "snapshot-incremental");
  rmSync(incOut, {recursive: true, force: true});
  const dayBefore = new Date(Date.parse(`${asOf}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  child("scripts/bench/cache-child.ts", [exportDir, incOut, dayBefore, ...budget]);
  const inc = child("scripts/bench/snapshot-child.ts", [exportDir, incOut, asOf, ...budget]);
  const outputs = snap.outputs as Record<string, {sha256: string}>;
  incremental = {
    ms: inc.ms, cpuMs: inc.cpuMs, filesRead: inc.stagingCache.files_read, filesReused: inc.stagingCache.files_reused,
    identical: Object.keys(outputs).every((k) => inc.outputs[k]?.sha256 === outputs[k]!.sha256)
  };
  rmSync(incOut, {recursive: true, force: true});
}
results.incremental = incremental;
results.scan = scan;
results.snapshot = {
  ms: snap.ms, cpuMs: snap.cpuMs, maxRssBytes: snap.maxRssBytes, memoryLimit: snap.memoryLimit, spilledBytes: snap.spilledBytes, phases: snap.phases,
  breakdownLineItems: snap.breakdownLineItems, rowsIn: snap.rowsIn, breakdownRowsPerSecond: snap.breakdownLineItems / (snap.ms / 1000),
  ratioToScan: snap.ms / scan.ms, cpuRatioToScan: snap.cpuMs / scan.cpuMs
};
results.marts = Object.fromEntries(Object.entries(snap.outputs as Record<string, {rows: number; bytes: number}>).filter(([k]) => k.startsWith("marts/")).map(([k, v]) => [k.slice(6, -8), {rows: v.rows, bytes: v.bytes, bytesPerRow: v.rows ? v.bytes / v.rows : null}]));

const fmt = (n: number, d = 1) => n.toLocaleString("en-US", {maximumFractionDigits: d});
const MiB = 2 ** 20;
const lines = [
  `Meterbook benchmark — ${sample ? "the embedded sample: " : ""}${customers} customers × ${products} products × ${days} days (as of ${asOf}), commit ${commit}`,
  `${fmt(snap.breakdownLineItems, 0)} breakdown line items, ${fmt(snap.rowsIn, 0)} rows read; the floor is native DuckDB reading every column of every file once (${fmt(scan.rows, 0)} rows)`,
  ``,
  "<table>",
  ``,
  `snapshot phases           ${Object.entries(snap.phases as Record<string, number>).filter(([k]) => !k.startsWith("int_") && !k.startsWith("mart_")).map(([k, v]) => `${k} ${fmt(v / 1000, 1)} s`).join(", ")}`,
  `slowest models            ${Object.entries(snap.phases as Record<string, number>).filter(([k]) => k.startsWith("int_") || k.startsWith("mart_")).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${fmt(v / 1000, 1)} s`).join(", ")}`,
  ``,
  `mart                      rows          bytes   bytes/row`,
  ...Object.entries(results.marts as Record<string, {rows: number; bytes: number; bytesPerRow: number | null}>).map(
    ([name, m]) => `${name.padEnd(24)} ${fmt(m.rows, 0).padStart(10)} ${fmt(m.bytes, 0).padStart(14)} ${m.bytesPerRow === null ? "—" : fmt(m.bytesPerRow, 2).padStart(10)}`
  )
];

let site: Awaited<ReturnType<typeof import("./bench/site.js")["benchSite"]>> | null = null;
if (!values["skip-site"]) {
  const {benchSite} = await import("./bench/site.js");
  site = await benchSite({snapshotDir: snapOut, work, dist: values["site-dir"], interactions: Number(values.interactions), rebuild: !values["skip-rebuild"]});
  results.site = site;
  lines.push("", ...site.lines);
}

// Every customer's monthly report with its PDF, as `meterbook report --all` makes them (one browser for all).
let reports: {ms: number; customers: number; pdfs: number; month: string} | null = null;
if (!values["skip-reports"]) {
  const month = new Date(Date.UTC(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
  const reportsOut = join(work, "reports");
  rmSync(reportsOut, {recursive: true, force: true});
  const t0 = performance.now();
  execFileSync(process.execPath, ["bin/meterbook.mjs", "report", "--month", month, "--all", "--snapshot", snapOut, "--out", reportsOut], {stdio: ["ignore", "ignore", "inherit"], env: {...process.env, TZ: "UTC"}});
  const ms = performance.now() - t0;
  const folders = readdirSync(reportsOut, {withFileTypes: true}).filter((e) => e.isDirectory());
  const pdfs = folders.filter((e) => readdirSync(join(reportsOut, e.name)).some((f) => f.endsWith(".pdf"))).length;
  reports = {ms, customers: folders.length, pdfs, month};
  results.reports = reports;
  lines.push("", `reports                   ${reports.customers} customers' reports for ${month}, ${pdfs} with their PDF, in ${fmt(ms / 1000, 1)} s`);
  rmSync(reportsOut, {recursive: true, force: true});
}

// One row per figure: measured, target, floor (measured in this run, or "—"), verdict. A figure this run did not
// measure says so rather than print a number.
type Row = [figure: string, measured: string, target: string, floor: string, verdict: string];
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const NOT = "not measured";
const pages = site?.pages ?? [];
// The slowest page of each figure, named (a page measured for its first view only has no latencies).
const slowest = (list: PageFigures[], figure: (p: PageFigures) => number) => (list.length ? list.reduce((a, b) => (figure(b) > figure(a) ? b : a)) : null);
const firstChart = slowest(pages, (p) => p.firstChartMs);
const p95 = slowest(pages.filter((p) => p.queries > 0), (p) => p.p95Ms);
const rowsOfTable: Row[] = [
  ["snapshot (wall)", `${fmt(snap.ms / 1000, 1)} s`, `≤ 3 × floor = ${fmt((3 * scan.ms) / 1000, 1)} s`, `scan ${fmt(scan.ms / 1000, 2)} s`, `${fmt(snap.ms / scan.ms, 1)}× ${verdict(snap.ms <= 3 * scan.ms)}`],
  ["snapshot (CPU, all threads)", `${fmt(snap.cpuMs / 1000, 1)} s`, `≤ 3 × floor = ${fmt((3 * scan.cpuMs) / 1000, 1)} s`, `scan ${fmt(scan.cpuMs / 1000, 2)} s`, `${fmt(snap.cpuMs / scan.cpuMs, 1)}× ${verdict(snap.cpuMs <= 3 * scan.cpuMs)}`],
  // The budget as the snapshot reads it (DuckDB's units: 1.5GB is 1.5 × 10⁹ bytes, 1,431 MiB), not 1.5 GiB.
  ["snapshot peak RSS", `${fmt(snap.maxRssBytes / MiB, 0)} MiB`, `≤ the budget, ${snap.memoryLimit} = ${fmt(memoryBytes(snap.memoryLimit) / MiB, 0)} MiB`, `scan ${fmt(scan.maxRssBytes / MiB, 0)} MiB`, verdict(snap.maxRssBytes <= memoryBytes(snap.memoryLimit))],
  ["snapshot spilled (peak)", `${fmt(snap.spilledBytes / MiB, 0)} MiB`, "— (spilling is allowed)", "—", "—"],
  incremental === null
    ? ["incremental (one new day)", NOT, "≤ 15 % of the snapshot", "—", "—"]
    : [
        "incremental (one new day)",
        `${fmt(incremental.ms / 1000, 1)} s (${incremental.filesRead} files read, ${incremental.filesReused} from the cache)`,
        `≤ 15 % of the snapshot = ${fmt((0.15 * snap.ms) / 1000, 1)} s`,
        `snapshot ${fmt(snap.ms / 1000, 1)} s`,
        `${fmt((100 * incremental.ms) / snap.ms, 0)} % ${verdict(incremental.ms <= 0.15 * snap.ms)}; marts ${incremental.identical ? "byte-identical" : "DIFFER"}`
      ],
  ["site build", site?.buildMs == null ? NOT : `${fmt(site.buildMs / 1000, 1)} s`, "≤ 60 s", "—", site?.buildMs == null ? "—" : verdict(site.buildMs <= 60_000)],
  ["site build, next (same snapshot)", site?.rebuildMs == null ? NOT : `${fmt(site.rebuildMs / 1000, 1)} s`, "≤ 60 s", "—", site?.rebuildMs == null ? "—" : verdict(site.rebuildMs <= 60_000)],
  ["first chart, cold (slowest page)", firstChart === null ? NOT : `${fmt(firstChart.firstChartMs, 0)} ms (${firstChart.path}, the slowest of ${pages.length} pages)`, "≤ 1,000 ms", "—", firstChart === null ? "—" : verdict(firstChart.firstChartMs <= 1000)],
  ["interaction p95 (slowest page)", p95 === null ? NOT : `${fmt(p95.p95Ms, 0)} ms (${p95.path})`, "≤ 50 ms", "—", p95 === null ? "—" : verdict(p95.p95Ms <= 50)],
  reports === null
    ? ["1,000 reports with PDFs", NOT, "≤ 3 min", "—", "—"]
    : [
        "1,000 reports with PDFs",
        // Milliseconds per report are seconds per 1,000 reports.
        `${fmt(reports.ms / 1000, 1)} s for ${reports.pdfs}${reports.pdfs === 1000 ? "" : ` (${fmt(reports.ms / reports.pdfs, 0)} s per 1,000)`}`,
        "≤ 3 min = 180 s per 1,000",
        "—",
        verdict(reports.pdfs > 0 && (reports.ms / reports.pdfs) * 1000 <= 180_000)
      ]
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...[["figure", "measured", "target", "floor (same run)"][i]!, ...rowsOfTable.map((r) => r[i]!)].map((c) => c.length)));
const table = [
  ["figure", "measured", "target", "floor (same run)", "verdict"],
  ...rowsOfTable
].map((r) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join("  "));
lines.splice(lines.indexOf("<table>"), 1, ...table);
results.table = rowsOfTable.map(([figure, measured, target, floor, v]) => ({figure, measured, target, floor, verdict: v}));

console.log(lines.join("\n"));
const file = values.out ?? join(process.cwd(), "bench-results", `bench-${name}.json`);
mkdirSync(join(file, ".."), {recursive: true});
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
console.log(`\nwrote ${file}`);
if (!values["keep-export"] && process.env.METERBOOK_BENCH_CLEAN === "1") rmSync(exportDir, {recursive: true, force: true});
