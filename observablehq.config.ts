// Observable Framework configuration. Offline by construction: no remote stylesheet (Framework's default loads Google
// Fonts; the system font stacks in its theme take over), no DuckDB extension downloads, and every `npm:` import
// served from the cache that scripts/offline-npm.ts primes from node_modules (docs/offline.md).
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {CUSTOMER_VIEW_ID, footerFacts, siteSnapshot, writeCustomerFiles} from "./data-loaders/snapshot/site.js";
import {ownerSlugs} from "./src/core/owners.js";

// The snapshot the site is built from: made (or reused) once, before any loader runs; per-customer files are
// written from it as static files under src/data/customers/ (one process, partitioned writes).
const {dir, manifest} = await siteSnapshot();
const filesStart = performance.now();
const written = await writeCustomerFiles(dir, manifest);
if (written.files) console.error(`customer files: ${written.files} ${written.linked ? "linked from the snapshot's folder" : "written"} in ${((performance.now() - filesStart) / 1000).toFixed(1)} s`);

// Framework reuses a loader's cached output while the loader's source is unchanged, whatever data it read: after a
// switch of export (or of as-of date) the pages would show the previous snapshot's portfolio. Loader outputs are
// dropped whenever the snapshot's content changes.
const loaderCache = join("src", ".observablehq", "cache", "data");
const loaderStamp = join("src", ".observablehq", "cache", "meterbook-snapshot.hash");
if (!existsSync(loaderStamp) || readFileSync(loaderStamp, "utf8") !== manifest.content_hash) {
  rmSync(loaderCache, {recursive: true, force: true});
  mkdirSync(dirname(loaderStamp), {recursive: true});
  writeFileSync(loaderStamp, manifest.content_hash);
}

/** Every `[customer].md` page under src/ (the customer page, analysts' own). */
function customerPageFolders(dir = "src", prefix = ""): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name.startsWith(".") || (prefix === "" && entry.name === "data") ? [] : customerPageFolders(join(dir, entry.name), `${prefix}/${entry.name}`);
    return entry.name === "[customer].md" ? [prefix] : [];
  });
}

async function* dynamicPagePaths(): AsyncGenerator<string> {
  // Each `[customer].md` page is rendered once, for CUSTOMER_VIEW_ID; scripts/customer-pages.ts (after `observable
  // build`) writes every customer's page from it, so the build does not grow with customers (docs/site-data.md).
  // `observable preview` renders any /customers/<id> on request and needs no list.
  for (const folder of customerPageFolders().sort()) yield `${folder}/${CUSTOMER_VIEW_ID}`;
  const {openDuckDB, rows, sqlString} = await import("./data-loaders/lib/duckdb.js");
  const {instance, connection} = await openDuckDB();
  const found = await rows<{owner: string | null}>(connection, `select owner from read_parquet(${sqlString(join(dir, "marts", "customers.parquet"))}) order by customer_id`);
  const owners = found.map((row) => (row.owner === null ? null : String(row.owner)));
  connection.closeSync();
  instance.closeSync();
  // One page per owner (CSM), "unassigned" for customers without one: the same slugs as the pages make. Few, so
  // Framework renders each.
  for (const slug of ownerSlugs(owners).values()) yield `/owners/${slug}`;
}

const builtAt = new Date(manifest.built_at).toISOString().slice(0, 16).replace("T", " ");
// Every page's footer: the freshness watermark (the daily table transferred longest ago) and, when the data has
// error-level findings, a link to the data-health page (docs/data-health.md).
const facts = await footerFacts(dir);
const watermark = facts.watermark ? ` · oldest daily transfer <b>${facts.watermark.date}</b> (${facts.watermark.table})` : "";
const errors = facts.errors ? ` · <a class="mb-data-errors" href="/data-health">${facts.errors} data error${facts.errors > 1 ? "s" : ""}: see Data health</a>` : "";
const version = JSON.parse(readFileSync("package.json", "utf8")).version;

export default {
  root: "src",
  title: "Meterbook",
  theme: ["air", "near-midnight"],
  style: "style.css",
  // An inline icon: without one every browser asks the host for /favicon.ico, a 404 in each reader's console.
  head: `<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%232563eb'/%3E%3Cpath d='M3 13h2V8H3zm4 0h2V4H7zm4 0h2V10h-2z' fill='white'/%3E%3C/svg%3E">`,
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  pages: [
    {name: "Pacing", path: "/pacing"},
    {name: "Forecast accuracy", path: "/forecast"},
    {name: "Alerts", path: "/alerts"},
    {name: "Revenue", path: "/revenue"},
    {name: "Usage", path: "/usage"},
    {name: "Unit economics", path: "/unit-economics"},
    {name: "Data health", path: "/data-health"}
  ],
  dynamicPaths: dynamicPagePaths,
  footer: `<span class="mb-freshness">Data as of <b>${manifest.as_of}</b> (complete for the days before it)${watermark} · snapshot built ${builtAt} UTC · ${manifest.content_hash.slice(0, 12)}</span>${errors} · Meterbook ${version}`
};
