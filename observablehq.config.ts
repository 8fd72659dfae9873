// Observable Framework configuration. Offline by construction: no remote stylesheet (Framework's default loads Google
// Fonts; the system font stacks in its theme take over), no DuckDB extension downloads, and every `npm:` import
// served from the cache that scripts/offline-npm.ts primes from node_modules (docs/offline.md).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {siteSnapshot, writeCustomerFiles} from "./data-loaders/site.js";

// The snapshot the site is built from: made (or reused) once, before any loader runs; per-customer files are
// written from it as static files under src/data/customers/ (one process, partitioned writes).
const {dir, manifest} = await siteSnapshot();
await writeCustomerFiles(dir, manifest);

/** Every customer's page and QBR deck: read from the snapshot's customers mart. */
async function* customerPaths(): AsyncGenerator<string> {
  const {openDuckDB} = await import("./data-loaders/snapshot.js");
  const {connection} = await openDuckDB();
  const reader = await connection.runAndReadAll(`select customer_id from read_parquet('${join(dir, "marts", "customers.parquet").replaceAll("'", "''")}') order by customer_id`);
  for (const row of reader.getRowObjectsJson()) {
    yield `/customers/${row.customer_id}`;
    yield `/qbr/${row.customer_id}`; // the QBR deck; same per-customer files, no extra data written
  }
}

const builtAt = new Date(manifest.built_at).toISOString().slice(0, 16).replace("T", " ");
const version = JSON.parse(readFileSync("package.json", "utf8")).version;

export default {
  root: "src",
  title: "Meterbook",
  theme: ["air", "near-midnight"],
  style: "style.css",
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  pages: [
    {name: "Pacing", path: "/pacing"},
    {name: "Revenue", path: "/revenue"},
    {name: "Usage", path: "/usage"}
  ],
  dynamicPaths: customerPaths,
  footer: `<span class="mb-freshness">Data as of <b>${manifest.as_of}</b> (complete for the days before it) · snapshot built ${builtAt} UTC · ${manifest.content_hash.slice(0, 12)}</span> · Meterbook ${version}`
};
