// `npm run bench -- [--customers N --products P --days D] [--skip-site | --site-dir DIST] [--interactions K]
// [--out FILE]`: generates an export of that size with the sample generator (dense: every customer uses every
// product every day), then measures and prints the snapshot beside native DuckDB's single scan of the same files,
// the bytes per row of each mart, the site built over that snapshot and its pages in Chromium. Figures go to stdout
// and to a JSON file so runs can be compared. See docs/performance.md.
import {execFileSync} from "node:child_process";
import {existsSync, mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {generateSampleExport, SAMPLE_AS_OF, SAMPLE_HISTORY_START} from "../data-loaders/sample/generate.js";

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
    "keep-export": {type: "boolean", default: false}
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
const snap = child("scripts/bench/snapshot-child.ts", [exportDir, snapOut, asOf]);
results.scan = scan;
results.snapshot = {ms: snap.ms, maxRssBytes: snap.maxRssBytes, breakdownLineItems: snap.breakdownLineItems, rowsIn: snap.rowsIn, breakdownRowsPerSecond: snap.breakdownLineItems / (snap.ms / 1000), ratioToScan: snap.ms / scan.ms};
results.marts = Object.fromEntries(Object.entries(snap.outputs as Record<string, {rows: number; bytes: number}>).filter(([k]) => k.startsWith("marts/")).map(([k, v]) => [k.slice(6, -8), {rows: v.rows, bytes: v.bytes, bytesPerRow: v.rows ? v.bytes / v.rows : null}]));

const fmt = (n: number, d = 1) => n.toLocaleString("en-US", {maximumFractionDigits: d});
const lines = [
  `Meterbook benchmark — ${sample ? "the embedded sample: " : ""}${customers} customers × ${products} products × ${days} days (as of ${asOf}), commit ${commit}`,
  ``,
  `snapshot                  ${fmt(snap.ms / 1000, 2)} s   ${fmt(snap.breakdownLineItems, 0)} breakdown line items   ${fmt(snap.breakdownLineItems / (snap.ms / 1000), 0)} rows/s   peak ${fmt(snap.maxRssBytes / 2 ** 20, 0)} MiB`,
  `native scan (floor)       ${fmt(scan.ms / 1000, 2)} s   ${fmt(scan.rows, 0)} rows, every column`,
  `snapshot / scan           ${fmt(snap.ms / scan.ms, 2)}×`,
  ``,
  `mart                      rows          bytes   bytes/row`,
  ...Object.entries(results.marts as Record<string, {rows: number; bytes: number; bytesPerRow: number | null}>).map(
    ([name, m]) => `${name.padEnd(24)} ${fmt(m.rows, 0).padStart(10)} ${fmt(m.bytes, 0).padStart(14)} ${m.bytesPerRow === null ? "—" : fmt(m.bytesPerRow, 2).padStart(10)}`
  )
];

if (!values["skip-site"]) {
  const {benchSite} = await import("./bench/site.js");
  const site = await benchSite({snapshotDir: snapOut, work, dist: values["site-dir"], interactions: Number(values.interactions)});
  results.site = site;
  lines.push("", ...site.lines);
}

console.log(lines.join("\n"));
const file = values.out ?? join(process.cwd(), "bench-results", `bench-${name}.json`);
mkdirSync(join(file, ".."), {recursive: true});
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
console.log(`\nwrote ${file}`);
if (!values["keep-export"] && process.env.METERBOOK_BENCH_CLEAN === "1") rmSync(exportDir, {recursive: true, force: true});
