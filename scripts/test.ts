// `npm test`: everything — Chromium present and types checked; then, two at a time (one per core), the offline build
// of a fresh copy (its dist is what the browser tests load), a second one on the sample's guide variant
// (.test-site-guide, for test/browser/guide-site.test.ts) and every test file, the heaviest ready one first; a browser
// file (or the benchmark's smoke run) once the build it loads is there. `npm test -- <part of a path>` runs only the
// matching files.
// Every temporary folder the tests make (os.tmpdir(): exports, snapshots, browser profiles, DuckDB's spill) goes under
// one folder of this run, removed when every test passed and named when one failed.
import {execFileSync, spawn} from "node:child_process";
import {mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, relative} from "node:path";
import {ensureChromium} from "./ensure-chromium.js";
import {TEST_SITE, TEST_SITE_GUIDE} from "./offline-build.js";

process.env.TZ = "UTC";
const runTmp = mkdtempSync(join(tmpdir(), "meterbook-test-"));
process.env.TMPDIR = runTmp;
// Two test processes run at a time, one per core: DuckDB on one thread each (a second adds a quarter to a small
// snapshot's CPU for the same wall time; docs/performance.md). A run can still ask for more.
process.env.METERBOOK_THREADS ??= "1";
// The sample exports the tests share, generated once per run by the first test that asks (test/sample-export.ts).
process.env.METERBOOK_TEST_SAMPLES = join(runTmp, "samples");
const root = process.cwd();
const only = process.argv.slice(2);

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" ? [] : testFiles(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

/** Runs a command with its output passed through (or captured, for the build); resolves to its exit status. */
function run(command: string, args: string[], {capture = false} = {}): Promise<{status: number; output: string}> {
  return new Promise((done) => {
    const child = spawn(command, args, {stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", env: process.env});
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => done({status: code ?? 1, output}));
  });
}

/** The files in one process, one after the other (the other slot is the other core's); resolves to the exit status. */
async function nodeTest(files: string[]): Promise<number> {
  const began = performance.now();
  const {status} = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files]);
  // Each process's seconds, for WEIGHTS below and for finding what to make faster.
  console.error(`test: ${status === 0 ? "passed" : "FAILED"} in ${((performance.now() - began) / 1000).toFixed(1)} s: ${files.join(" ")}`);
  return status;
}

ensureChromium();
console.error("test: tsc --noEmit");
execFileSync("npx", ["tsc", "--noEmit", "-p", "."], {stdio: "inherit"});

const files = testFiles("test").sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
// The files that read the built site: the browser tests and the benchmark's smoke run.
const needsSite = (f: string) => f.startsWith("test/browser/") || f === "test/bench.test.ts";
const siteFiles = files.filter(needsSite);
const plainFiles = files.filter((f) => !needsSite(f));

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

// One scheduler for everything: two slots (one per core), each taking the heaviest job that is ready. The two
// offline builds are jobs too: the full one first, the guide sample's once the full one is done (it reuses its
// package bundles), and each browser file once the build it loads is there. Ordering by weight keeps the tail short:
// a long file started last would hold the run alone on one core. The weights are the files' measured seconds on
// this 2-core machine (`npm test`'s own lines, a quiet run at 74eb294), for ordering only; a file not listed weighs DEFAULT_WEIGHT.
const WEIGHTS: Record<string, number> = {
  "test/browser/site.test.ts": 92, "test/browser/pages.test.ts": 48, "test/browser/reports.test.ts": 49,
  "test/bench.test.ts": 48, "test/browser/guide-site.test.ts": 25, "test/time-travel.test.ts": 71, "test/models.test.ts": 31,
  "test/sample-snapshot.test.ts": 30, "test/findings-sample.test.ts": 60, "test/findings.test.ts": 54,
  "test/alerts-history.test.ts": 31, "test/pull.test.ts": 30, "test/table-sets.test.ts": 23, "test/incremental.test.ts": 31,
  "test/golden.test.ts": 23, "test/line-categories.test.ts": 26, "test/patterns.test.ts": 23, "test/independent.test.ts": 29,
  "test/export.test.ts": 24, "test/marts/portfolio.test.ts": 21, "test/sample.test.ts": 18, "test/sample-scenarios.test.ts": 6,
};
const DEFAULT_WEIGHT = 6;
/** Light files run a few to a process (each process costs a second of start-up); a heavy one alone. */
const HEAVY = 20;
const LIGHT_PER_PROCESS = 4;
const weight = (f: string) => WEIGHTS[f] ?? DEFAULT_WEIGHT;

type Build = "full" | "guide";
interface Job {
  weight: number;
  needs?: Build;
  provides?: Build;
  run: () => Promise<number>;
}
// The guide-variant site is read only by guide-site.test.ts; every other site file reads the full sample's build.
const isGuide = (f: string) => f === "test/browser/guide-site.test.ts";
const building = siteFiles.some((f) => !isGuide(f)) && !process.env.METERBOOK_SITE_DIR;
const buildingGuide = siteFiles.some(isGuide) && !process.env.METERBOOK_GUIDE_SITE_DIR;
const builds: Record<Build, {done: boolean; failed: boolean}> = {full: {done: !building, failed: false}, guide: {done: !buildingGuide, failed: false}};
if (building) process.env.METERBOOK_SITE_DIR = join(TEST_SITE, "dist");
if (buildingGuide) process.env.METERBOOK_GUIDE_SITE_DIR = join(TEST_SITE_GUIDE, "dist");

async function build(which: Build, what: string, args: string[]): Promise<number> {
  console.error(`test: offline build of a fresh copy${what} (unshare -n npm run build), beside the tests (${seconds()} s)`);
  const result = await run(process.execPath, ["--import", "tsx", "scripts/offline-build.ts", ...args], {capture: true});
  if (result.status !== 0) console.error(result.output);
  else console.error(`test: ${result.output.trim().split("\n").at(-1)} (${seconds()} s)`);
  builds[which].failed = result.status !== 0;
  builds[which].done = true;
  return result.status;
}

const jobs: Job[] = [];
if (building) jobs.push({weight: Infinity, provides: "full", run: () => build("full", "", ["--guide-examples"])});
// Its package bundles are the full build's (the same checkout); only its data is built anew. Weighed as itself and
// the one file that waits for it.
if (buildingGuide) jobs.push({weight: 77 + weight("test/browser/guide-site.test.ts"), needs: building ? "full" : undefined, provides: "guide",
  run: () => build("guide", " on the guide sample", [TEST_SITE_GUIDE, "--sample=guide", ...(building ? [`--seed-from=${TEST_SITE}`] : [])])});
for (const f of siteFiles) jobs.push({weight: weight(f), needs: isGuide(f) ? "guide" : "full", run: () => nodeTest([f])});
const light: string[] = [];
for (const f of plainFiles) {
  if (weight(f) >= HEAVY) jobs.push({weight: weight(f), run: () => nodeTest([f])});
  else light.push(f);
}
for (let i = 0; i < light.length; i += LIGHT_PER_PROCESS) {
  const group = light.slice(i, i + LIGHT_PER_PROCESS);
  jobs.push({weight: group.reduce((sum, f) => sum + weight(f), 0), run: () => nodeTest(group)});
}
jobs.sort((a, b) => b.weight - a.weight);

let status = 0;
let wake: () => void = () => {};
async function slot(): Promise<void> {
  for (;;) {
    // A job whose build failed does not run (nor what waits for it); the failure is reported below.
    for (let dropped = true; dropped; ) {
      const i = jobs.findIndex((j) => j.needs && builds[j.needs].failed);
      dropped = i >= 0;
      if (dropped) for (const j of jobs.splice(i, 1)) if (j.provides) builds[j.provides] = {done: true, failed: true};
    }
    const next = jobs.findIndex((j) => !j.needs || builds[j.needs].done);
    if (next < 0) {
      if (!jobs.length) return;
      await new Promise<void>((resolve) => (wake = resolve)); // a build is running in the other slot
      continue;
    }
    const [job] = jobs.splice(next, 1);
    status = (await job!.run()) || status;
    wake();
  }
}
await Promise.all([slot(), slot()]);
if (builds.full.failed || builds.guide.failed) console.error("test: an offline build failed; the browser tests that load it did not run");
if (status === 0) rmSync(runTmp, {recursive: true, force: true, maxRetries: 5});
else console.error(`test: the run's temporary files are kept in ${runTmp}`);
console.error(`test: ${status === 0 ? "all passed" : "FAILED"} in ${((performance.now() - started) / 1000).toFixed(0)} s after tsc`);
process.exit(status);
