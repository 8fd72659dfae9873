// Regenerates the README's screenshots (docs/images/*.png): the five portfolio pages and one customer page of the
// embedded sample, 1280 px wide, in Chromium with the network refused. Reads a built site (default dist/; run
// `npm run build` first), or builds one offline when `--build` is given.
//   npm run screenshots [-- --site DIR] [-- --build]
import {mkdirSync} from "node:fs";
import {join, resolve} from "node:path";
import {parseArgs} from "node:util";
import {SAMPLE_SCENARIOS} from "../data-loaders/sample/generate.js";
import {launchProfile, openPage, serveStatic} from "../test/browser/harness.js";
import {offlineBuild} from "./offline-build.js";

const {values} = parseArgs({options: {site: {type: "string", default: "dist"}, build: {type: "boolean"}, out: {type: "string", default: "docs/images"}}});
const site = values.build ? offlineBuild().dist : resolve(values.site!);
const out = resolve(values.out!);
// A customer on pace with a year-long commit, several products and a month of usage in the chosen range.
const customer = SAMPLE_SCENARIOS.find((s) => s.name === "on_track")!.customerId;
const shots: [string, string][] = [
  ["overview", "/"],
  ["pacing", "/pacing"],
  ["revenue", "/revenue"],
  ["usage", "/usage"],
  ["unit-economics", "/unit-economics"],
  ["customer", `/customers/${customer}`]
];

mkdirSync(out, {recursive: true});
const server = await serveStatic(site);
const context = await launchProfile();
try {
  const {page, log} = await openPage(context, server.origin);
  await page.setViewportSize({width: 1280, height: 900});
  for (const [name, path] of shots) {
    await page.goto(server.origin + path, {waitUntil: "load"});
    await page.waitForFunction(() => document.querySelector("table.mb-table, figure svg, .mb-empty-state") && !((globalThis as any).__meterbookQueriesInFlight > 0) && !document.querySelector(".mb-preview"), null, {timeout: 60_000});
    await page.waitForTimeout(500); // the last cells' layout settles
    const file = join(out, `${name}.png`);
    await page.screenshot({path: file, fullPage: true});
    console.error(`screenshots: ${path} → ${file}`);
  }
  if (log.foreignRequests.length) throw new Error(`foreign requests: ${log.foreignRequests.join(", ")}`);
} finally {
  await context.close();
  await server.close();
}
