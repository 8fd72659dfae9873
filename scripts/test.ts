// `npm test`: everything, in order — Chromium present and types checked; then the offline build of a fresh copy
// (its dist is what the browser tests load) in parallel with the test files that need no build (the build renders
// pages one at a time on one core, the other core runs those tests); then the browser tests and the benchmark's
// smoke run, two files at a time. `npm test -- <part of a path>` runs only the matching files.
import {execFileSync, spawn} from "node:child_process";
import {readdirSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {ensureChromium} from "./ensure-chromium.js";
import {TEST_SITE} from "./offline-build.js";

process.env.TZ = "UTC";
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
const building = siteFiles.length > 0 && !process.env.METERBOOK_SITE_DIR;
async function build(): Promise<{status: number; output: string}> {
  if (!building) return {status: 0, output: ""};
  console.error("test: offline build of a fresh copy (unshare -n npm run build), alongside the tests that need no build");
  const result = await run(process.execPath, ["--import", "tsx", "scripts/offline-build.ts", "--guide-examples"], {capture: true});
  if (result.status !== 0) console.error(result.output);
  else console.error(`test: ${result.output.trim().split("\n").at(-1)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
const [built, plain] = await Promise.all([build(), nodeTest(plainFiles, 1)]);
if (built.status !== 0) {
  console.error("test: the offline build failed; the browser tests did not run");
  process.exit(1);
}
if (building) process.env.METERBOOK_SITE_DIR = join(TEST_SITE, "dist");
const site = await nodeTest(siteFiles, 2);
console.error(`test: ${plain.status === 0 && site.status === 0 ? "all passed" : "FAILED"} in ${((performance.now() - started) / 1000).toFixed(0)} s after tsc`);
process.exit(plain.status || site.status);
