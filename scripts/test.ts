// `npm test`: everything, in order — Chromium present, types, the offline build of a fresh copy (its dist is what
// the browser tests load), then every test file under node's test runner.
import {execFileSync, spawnSync} from "node:child_process";
import {readdirSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {ensureChromium} from "./ensure-chromium.js";
import {offlineBuild} from "./offline-build.js";

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

ensureChromium();
console.error("test: tsc --noEmit");
execFileSync("npx", ["tsc", "--noEmit", "-p", "."], {stdio: "inherit"});
if (!process.env.METERBOOK_SITE_DIR) {
  console.error("test: offline build of a fresh copy (unshare -n npm run build)");
  const {seconds, dist} = offlineBuild(undefined, {guideExamples: true});
  console.error(`test: offline build took ${seconds.toFixed(1)} s`);
  process.env.METERBOOK_SITE_DIR = dist;
}
const files = testFiles("test").sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {stdio: "inherit", env: process.env});
process.exit(result.status ?? 1);
