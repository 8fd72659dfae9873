// The site's per-customer pages, written after `observable build` (`npm run build` runs it) instead of rendered by
// Framework one at a time: Framework renders each `[customer].md` page once, for CUSTOMER_VIEW_ID, whose files are
// empty; this writes, for every customer under src/data/customers/, a copy of that rendering with the customer's id
// in place of the placeholder and its `registerFile` entries pointing at the customer's own files, which it copies
// into dist/_file/data/customers/<id>/ content-hashed as Framework names files. A page at /customers/<id> sits where
// the rendering sat, so its relative links hold. Cost: one string replacement and a file copy per customer, no
// rendering (docs/site-data.md).
import {createHash} from "node:crypto";
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {readFile, rm} from "node:fs/promises";
import {basename, extname, join, relative, resolve} from "node:path";
import {copyOrLink} from "../data-loaders/lib/atomic.js";
import {CUSTOMER_FILES_DIR, CUSTOMER_VIEW_ID} from "../data-loaders/snapshot/site.js";

const SAFE_ID = /^[A-Za-z0-9_.-]+$/;
/** Framework's own folders in dist: no page lives there. */
const ASSET_FOLDERS = new Set(["_file", "_import", "_npm", "_node", "_jsr", "_duckdb", "_observablehq"]);
/** One `registerFile(name, {…})` statement of a rendered page, as Framework's render.js writes it: one per line. */
const REGISTER_FILE = /^registerFile\(("(?:[^"\\\n]|\\.)*"), (\{[^\n]*\})\);$/gm;

interface FileMeta {
  name: string;
  mimeType?: string;
  path: string;
  lastModified?: number;
  size?: number;
}

/** The customer view renderings in `dist`: `<folder>/<CUSTOMER_VIEW_ID>.html`, one per `[customer].md` page. */
export function customerViews(dist: string, folder = ""): string[] {
  return readdirSync(join(dist, folder), {withFileTypes: true}).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return folder === "" && ASSET_FOLDERS.has(entry.name) ? [] : customerViews(dist, path);
    return entry.name === `${CUSTOMER_VIEW_ID}.html` ? [path] : [];
  });
}

/** Framework's name for a built file: `<base>.<first 8 hex of its SHA-256><ext>` (build.js applyHash). */
export function hashedName(file: string, bytes: Uint8Array): string {
  const ext = extname(file);
  return `${basename(file, ext)}.${createHash("sha256").update(bytes).digest("hex").slice(0, 8)}${ext}`;
}

export interface CustomerPagesOptions {
  dist: string;
  /** The per-customer files: <filesDir>/<customer_id>/<extract>.parquet (writeCustomerFiles). */
  filesDir?: string;
  log?: (message: string) => void;
}

/**
 * Writes every customer's copy of every customer view in `dist` and the customer's files, then removes the view and
 * its placeholder files. Fails, writing nothing, when a view reads a per-customer file that is not written for
 * customers (e.g. a parameterized loader), since copies could not serve it.
 */
export async function writeCustomerPages({dist, filesDir = CUSTOMER_FILES_DIR, log = () => {}}: CustomerPagesOptions): Promise<{pages: number; files: number}> {
  const views = customerViews(dist);
  if (views.length === 0) {
    log("customer pages: no customer view in the build (no [customer].md page)");
    return {pages: 0, files: 0};
  }
  const ids = readdirSync(filesDir, {withFileTypes: true}).filter((e) => e.isDirectory() && e.name !== CUSTOMER_VIEW_ID && !e.name.startsWith(".")).map((e) => e.name).sort();
  for (const id of ids) if (!SAFE_ID.test(id)) throw new Error(`customer id not usable in a path: ${JSON.stringify(id)}`);
  const viewFiles = readdirSync(join(filesDir, CUSTOMER_VIEW_ID)).sort();

  // Each view, once: its registerFile statements for the placeholder's files become slots filled per customer.
  const placeholderDir = `data/customers/${CUSTOMER_VIEW_ID}/`;
  const templates = await Promise.all(views.map(async (view) => {
    const html = await readFile(join(dist, view), "utf8");
    const slots: {file: string; meta: FileMeta; prefix: string}[] = [];
    const parts = html.split(REGISTER_FILE);
    // split with two capture groups: [text, name, meta, text, name, meta, …, text]
    const pieces: (string | number)[] = [parts[0]!];
    for (let i = 1; i < parts.length; i += 3) {
      const meta = JSON.parse(parts[i + 1]!) as FileMeta;
      const at = meta.name.indexOf(placeholderDir);
      if (at < 0 && meta.name.includes(CUSTOMER_VIEW_ID)) throw new Error(`${view} reads ${meta.name}, which is not written per customer: a [customer].md page may read only ${filesDir}/<id>/{${viewFiles.join(",")}}`);
      if (at < 0) {
        pieces.push(`registerFile(${parts[i]}, ${parts[i + 1]});`);
      } else {
        const file = meta.name.slice(at + placeholderDir.length);
        if (!viewFiles.includes(file)) throw new Error(`${view} reads ${meta.name}, which is not written per customer: a [customer].md page may read only ${filesDir}/<id>/{${viewFiles.join(",")}}`);
        const prefix = meta.path.slice(0, meta.path.indexOf("_file/"));
        pieces.push(slots.length);
        slots.push({file, meta, prefix});
      }
      pieces.push(parts[i + 2]!);
    }
    const rest = pieces.filter((p): p is string => typeof p === "string").join("");
    if (new RegExp(`_file/[^"'\\s]*${CUSTOMER_VIEW_ID}`).test(rest)) throw new Error(`${view} names a placeholder file outside registerFile: cannot write customers' copies`);
    return {view, pieces, slots};
  }));

  // Each customer's files, copied once and shared by its pages. Synchronous calls: thousands of small files, where
  // a promise per call through libuv's thread pool costs more than the copy.
  const needed = [...new Set(templates.flatMap((t) => t.slots.map((s) => s.file)))];
  let files = 0;
  let pages = 0;
  for (const id of ids) {
    const built = new Map<string, {path: string; size: number; lastModified: number}>();
    const outDir = join(dist, "_file", "data", "customers", id);
    mkdirSync(outDir, {recursive: true});
    for (const file of needed) {
      const source = join(filesDir, id, file);
      if (!existsSync(source)) throw new Error(`missing ${source}: the customer files are incomplete`);
      const fd = openSync(source, "r");
      let bytes: Buffer;
      let lastModified: number;
      try {
        lastModified = Math.floor(fstatSync(fd).mtimeMs);
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
      const name = hashedName(file, bytes);
      copyOrLink(source, join(outDir, name));
      built.set(file, {path: `_file/data/customers/${id}/${name}`, size: bytes.length, lastModified});
      ++files;
    }
    for (const {view, pieces, slots} of templates) {
      const html = pieces.map((piece) => {
        if (typeof piece === "string") return piece.replaceAll(CUSTOMER_VIEW_ID, id);
        const {file, meta, prefix} = slots[piece]!;
        const own = built.get(file)!;
        const name = meta.name.replaceAll(CUSTOMER_VIEW_ID, id);
        return `registerFile(${JSON.stringify(name)}, ${JSON.stringify({...meta, name, path: prefix + own.path, lastModified: own.lastModified, size: own.size})});`;
      }).join("");
      writeFileSync(join(dist, view.slice(0, -`${CUSTOMER_VIEW_ID}.html`.length) + `${id}.html`), html);
      ++pages;
    }
  }
  for (const {view} of templates) await rm(join(dist, view));
  await rm(join(dist, "_file", "data", "customers", CUSTOMER_VIEW_ID), {recursive: true, force: true});
  log(`customer pages: ${pages} pages (${views.length} views × ${ids.length} customers), ${files} files`);
  return {pages, files};
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = resolve(process.argv[2] ?? "dist");
  const start = performance.now();
  const {pages} = await writeCustomerPages({dist, log: (m) => console.error(m)});
  console.error(`customer pages written in ${((performance.now() - start) / 1000).toFixed(1)} s → ${relative(process.cwd(), dist) || "."} (${pages})`);
}
