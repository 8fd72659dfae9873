// Proves the site builds with no network: copies the checkout as a fresh clone would have it (tracked and
// unignored files only, so no Framework cache), links node_modules, and runs `npm run build` inside `unshare -n`,
// a network namespace with no interfaces at all. Prints the build time; the built site is left in <out>/dist.
// With --guide-examples (as `npm test` builds) the copy also holds the pages docs/authoring.md tells readers to write.
// With --sample=guide the site is built on the sample's guide variant (METERBOOK_SAMPLE=guide; `npm test` builds it
// into .test-site-guide): `tsx scripts/offline-build.ts .test-site-guide --sample=guide`.
import {execFileSync, spawnSync} from "node:child_process";
import {cpSync, existsSync, mkdirSync, rmSync, symlinkSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {writeDocExamples} from "./doc-examples.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function cloneCheckout(destination: string): void {
  rmSync(destination, {recursive: true, force: true});
  mkdirSync(destination, {recursive: true});
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {cwd: projectRoot, encoding: "utf8"})
    .split("\0")
    .filter((f) => f && !f.startsWith(".test-site/") && !f.startsWith(".test-site-guide/"));
  for (const file of files) {
    try {
      cpSync(join(projectRoot, file), join(destination, file), {recursive: false});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // deleted in the work tree
    }
  }
  symlinkSync(join(projectRoot, "node_modules"), join(destination, "node_modules"));
}

/** The guides whose `file=` blocks the test build adds to its copy (see scripts/doc-examples.ts). */
export const GUIDES = ["docs/authoring.md"];

/** Where `npm test` builds its fresh copy; the browser tests load `<TEST_SITE>/dist`. */
export const TEST_SITE = join(projectRoot, ".test-site");
/** Where `npm test` builds the copy on the sample's guide variant; test/browser/guide-site.test.ts loads its dist. */
export const TEST_SITE_GUIDE = join(projectRoot, ".test-site-guide");

/** Framework's caches of bundled packages (not of data): the same for every build of one checkout. */
const PACKAGE_CACHES = ["_node", "_npm", "_observablehq"];

/**
 * `seedFrom`: an earlier offline build's folder whose package caches the copy starts with (the guide-sample build
 * reuses the full one's bundles instead of making them again; its data is its own). Still built with no network.
 */
export function offlineBuild(destination = TEST_SITE, {guideExamples = false, sample = "full" as "full" | "guide", seedFrom = null as string | null} = {}): {seconds: number; dist: string} {
  cloneCheckout(destination);
  if (guideExamples) for (const guide of GUIDES) writeDocExamples(join(projectRoot, guide), destination);
  for (const cache of seedFrom ? PACKAGE_CACHES : []) {
    const from = join(seedFrom!, "src", ".observablehq", "cache", cache);
    if (existsSync(from)) cpSync(from, join(destination, "src", ".observablehq", "cache", cache), {recursive: true});
  }
  const start = process.hrtime.bigint();
  const result = spawnSync("unshare", ["-n", "npm", "run", "--silent", "build"], {cwd: destination, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", env: {...process.env, npm_config_update_notifier: "false", METERBOOK_SAMPLE: sample}});
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`offline build failed (unshare -n npm run build, exit ${result.status}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
  return {seconds, dist: join(destination, "dist")};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [destination] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const sample = process.argv.includes("--sample=guide") ? "guide" : "full";
  const seed = process.argv.find((a) => a.startsWith("--seed-from="))?.slice("--seed-from=".length) ?? null;
  const {seconds, dist} = offlineBuild(destination ? resolve(destination) : undefined, {guideExamples: process.argv.includes("--guide-examples"), sample, seedFrom: seed && resolve(seed)});
  console.log(`offline build: ${seconds.toFixed(1)} s → ${dist}`);
}
