// `npm test`: everything, in order — Chromium present and types checked; then the offline build of a fresh copy
// (its dist is what the browser tests load) followed by a second one on the sample's guide variant (.test-site-guide,
// for test/browser/guide-site.test.ts), in parallel with the test files that need no build (the builds render pages
// one at a time on one core, the other core runs those tests, and both once the builds are done; the reports test
// runs between the two builds); then the other browser tests and the benchmark's smoke run, two files at a time. `npm test -- <part of a path>` runs only the matching files.
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

const nodeTest = (files: string[], concurrency: number) =>
  files.length ? run(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files]) : Promise.resolve({status: 0, output: ""});

ensureChromium();
console.error("test: tsc --noEmit");
execFileSync("npx", ["tsc", "--noEmit", "-p", "."], {stdio: "inherit"});

const files = testFiles("test").sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
// The files that read the built site: the browser tests and the benchmark's smoke run.
const needsSite = (f: string) => f.startsWith("test/browser/") || f === "test/bench.test.ts";
const siteFiles = files.filter(needsSite);
const plainFiles = files.filter((f) => !needsSite(f));

const started = performance.now();
// The guide-variant site is read only by guide-site.test.ts; every other site file reads the full sample's build.
const isGuide = (f: string) => f === "test/browser/guide-site.test.ts";
const building = siteFiles.some((f) => !isGuide(f)) && !process.env.METERBOOK_SITE_DIR;
const buildingGuide = siteFiles.some(isGuide) && !process.env.METERBOOK_GUIDE_SITE_DIR;
async function build(what: string, args: string[]): Promise<{status: number; output: string}> {
  console.error(`test: offline build of a fresh copy${what} (unshare -n npm run build), alongside the tests that need no build`);
  const result = await run(process.execPath, ["--import", "tsx", "scripts/offline-build.ts", ...args], {capture: true});
  if (result.status !== 0) console.error(result.output);
  else console.error(`test: ${result.output.trim().split("\n").at(-1)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
// The longest browser test (every customer's report and deck, with PDFs) runs as soon as the full build is there,
// on the builds' core, before the guide build: it would otherwise hold the last phase alone.
const LONGEST = "test/browser/reports.test.ts";
const early = building && siteFiles.includes(LONGEST) ? [LONGEST] : [];
let earlyStatus = 0;
// One build after the other on one core (a build renders pages one at a time); the plain tests on the other.
async function builds(): Promise<{status: number; output: string}> {
  const full = building ? await build("", ["--guide-examples"]) : {status: 0, output: ""};
  if (full.status === 0 && early.length) {
    process.env.METERBOOK_SITE_DIR = join(TEST_SITE, "dist");
    earlyStatus = (await nodeTest(early, 1)).status;
  }
  if (full.status !== 0 || !buildingGuide) return full;
  // Its package bundles are the full build's (the same checkout); only its data is built anew.
  return build(" on the guide sample", [TEST_SITE_GUIDE, "--sample=guide", ...(building ? [`--seed-from=${TEST_SITE}`] : [])]);
}
// The tests that need no build, from one queue: one worker from the start, a second once the builds are done (the
// builds take less time than these tests), a few files per process.
const queue = [...plainFiles];
async function worker(): Promise<number> {
  let status = 0;
  while (queue.length) status = (await nodeTest(queue.splice(0, 3), 1)).status || status;
  return status;
}
const [[built, afterBuilds], first] = await Promise.all([builds().then(async (b) => [b, await worker()] as const), worker()]);
const plain = {status: first || afterBuilds};
if (built.status !== 0) {
  console.error("test: an offline build failed; the browser tests did not run");
  console.error(`test: the run's temporary files are kept in ${runTmp}`);
  process.exit(1);
}
if (building) process.env.METERBOOK_SITE_DIR = join(TEST_SITE, "dist");
if (buildingGuide) process.env.METERBOOK_GUIDE_SITE_DIR = join(TEST_SITE_GUIDE, "dist");
const site = await nodeTest(siteFiles.filter((f) => !early.includes(f)), 2);
const status = plain.status || earlyStatus || site.status;
if (status === 0) rmSync(runTmp, {recursive: true, force: true, maxRetries: 5});
else console.error(`test: the run's temporary files are kept in ${runTmp}`);
console.error(`test: ${status === 0 ? "all passed" : "FAILED"} in ${((performance.now() - started) / 1000).toFixed(0)} s after tsc`);
process.exit(status);
