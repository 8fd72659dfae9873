// Primes Framework's npm cache (src/.observablehq/cache/_npm) from node_modules, so that every `npm:` import a page
// can make — the implicit Plot, d3, Inputs' htl, html/svg, FileAttachment().csv()/.arrow()/.parquet() — resolves
// offline at the version package-lock.json installed. Framework consults this folder before the registry or the CDN
// (node_modules/@observablehq/framework/dist/npm.js: resolveNpmVersion, populateNpmCache). See docs/offline.md.
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {copyFile, mkdir, readFile, readdir, rm, writeFile} from "node:fs/promises";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";
import {writeFolderAtomically} from "../data-loaders/lib/atomic.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** One library served under `npm:<name>`: bundled whole (its own dependencies inlined), plus any asset files. */
export interface OfflinePackage {
  name: string;
  /** Files copied verbatim, by their path inside the package (e.g. a .wasm fetched by import.meta.resolve). */
  assets?: string[];
}

/** Every `npm:` library Framework may import implicitly (dist/libraries.js) that Meterbook supports offline. */
export const OFFLINE_PACKAGES: OfflinePackage[] = [
  {name: "@observablehq/plot"},
  {name: "d3"},
  {name: "d3-dsv"},
  {name: "htl"},
  {name: "isoformat"},
  {name: "apache-arrow"},
  {name: "parquet-wasm", assets: ["esm/parquet_wasm_bg.wasm"]}
];

/**
 * Libraries Framework's client code can import lazily (dist/client/stdlib/recommendedLibraries.js and friends) that
 * Meterbook does not ship. Bundling the client still needs a version for each, or Framework asks the registry; an
 * empty folder at this placeholder version answers that without fetching anything. A page that does use one of these
 * makes the build try to fetch `<name>@0.0.0-not-installed`, which fails — loudly, at build time, never silently.
 */
export const UNAVAILABLE_PACKAGES = [
  "react", "react-dom", "lodash", "arquero", "echarts", "leaflet", "mapbox-gl", "topojson-client", "katex", "mermaid",
  "@viz-js/viz", "@uwdata/vgplot", "@observablehq/sample-datasets", "sql.js", "exceljs", "jszip", "vega", "vega-lite",
  "vega-lite-api"
];
export const UNAVAILABLE_VERSION = "0.0.0-not-installed";

const PRIMER_VERSION = "1"; // bump to rebuild every entry when this script's output changes

/** Packages are read from the project's own node_modules (all are direct dependencies, pinned by the lockfile). */
function packageDir(name: string): string {
  return join(projectRoot, "node_modules", name);
}

export async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(packageDir(name), "package.json"), "utf8"));
  return pkg.version;
}

/** The package's browser build as one ES module, its own dependencies inlined and its exports (default too) kept. */
async function bundle(name: string): Promise<string> {
  const result = await build({
    entryPoints: [name],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    outdir: "out",
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    logLevel: "error",
    define: {"process.env.NODE_ENV": '"production"'}
  });
  return result.outputFiles[0]!.text;
}

/** Writes each package's cache entry if it is missing or stale; removes entries at other versions. */
export async function primeNpmCache({
  cacheRoot = join(projectRoot, "src", ".observablehq", "cache", "_npm"),
  packages = OFFLINE_PACKAGES,
  log = (message: string) => console.error(message)
}: {cacheRoot?: string; packages?: OfflinePackage[]; log?: (message: string) => void} = {}): Promise<string[]> {
  const written: string[] = [];
  for (const pkg of packages) {
    const version = await packageVersion(pkg.name);
    const stamp = createHash("sha256").update(`${PRIMER_VERSION}\0${pkg.name}@${version}\0${(pkg.assets ?? []).join(",")}`).digest("hex");
    const dir = join(cacheRoot, `${pkg.name}@${version}`);
    await removeOtherVersions(cacheRoot, pkg.name, version);
    if (existsSync(join(dir, ".meterbook-stamp")) && (await readFile(join(dir, ".meterbook-stamp"), "utf8")) === stamp) continue;
    await writeFolderAtomically(dir, async (staging) => {
      await writeFile(join(staging, "_esm.js"), await bundle(pkg.name));
      for (const asset of pkg.assets ?? []) {
        await mkdir(dirname(join(staging, asset)), {recursive: true});
        await copyFile(join(packageDir(pkg.name), asset), join(staging, asset));
      }
      await writeFile(join(staging, ".meterbook-stamp"), stamp);
    });
    written.push(`${pkg.name}@${version}`);
    log(`offline-npm: npm:${pkg.name} → node_modules ${pkg.name}@${version}`);
  }
  for (const name of UNAVAILABLE_PACKAGES) {
    await removeOtherVersions(cacheRoot, name, UNAVAILABLE_VERSION);
    await mkdir(join(cacheRoot, `${name}@${UNAVAILABLE_VERSION}`), {recursive: true});
  }
  return written;
}

/** A stale higher version left in the cache would win Framework's version resolution, so it must go. */
async function removeOtherVersions(cacheRoot: string, name: string, version: string): Promise<void> {
  const scopeDir = name.startsWith("@") ? join(cacheRoot, name.split("/")[0]!) : cacheRoot;
  const base = name.startsWith("@") ? name.split("/")[1]! : name;
  if (!existsSync(scopeDir)) return;
  for (const entry of await readdir(scopeDir)) {
    if (entry.startsWith(`${base}@`) && entry !== `${base}@${version}`) await rm(join(scopeDir, entry), {recursive: true, force: true});
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await primeNpmCache();
}
