// Browser test harness: serves a built site on loopback and drives Debian's Chromium through playwright-core with
// every non-loopback request refused (resolver rules) and recorded, console errors and page errors collected.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {readFile, stat} from "node:fs/promises";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, normalize, resolve} from "node:path";
import {chromium, type Browser, type BrowserContext, type Page} from "playwright-core";
import {chromiumLaunchOptions, launchChromium as launchOffline} from "../../data-loaders/lib/chromium.js";

/** Chromium for the tests: the one launch of data-loaders/lib/chromium.ts, with the loopback server reachable. */
export function launchChromium(): Promise<Browser> {
  return launchOffline({loopback: true});
}

/**
 * Chromium with a profile on disk, as a reader's browser: unlike `launchChromium()`'s incognito contexts it keeps
 * V8's code cache, so a second page compiles no wasm again. The profile folder is removed on close.
 */
export async function launchProfile(): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), "meterbook-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {...chromiumLaunchOptions({loopback: true}), acceptDownloads: true});
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    rmSync(dir, {recursive: true, force: true, maxRetries: 10});
  };
  return context;
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".csv": "text/csv",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".pdf": "application/pdf",
  ".zip": "application/zip"
};

export interface SiteServer {
  origin: string;
  /** Bytes served per path since start (for transfer measurements). */
  served: {path: string; bytes: number}[];
  close(): Promise<void>;
}

/** The built site served on loopback and a Chromium to open it: a describe block's `before` opens them, its `after`
 * closes them with closeSite. */
export async function openSite(dist: string): Promise<{server: SiteServer; browser: Browser}> {
  const server = await serveStatic(dist);
  try {
    return {server, browser: await launchChromium()};
  } catch (error) {
    await server.close();
    throw error;
  }
}

export async function closeSite({server, browser}: {server?: SiteServer; browser?: Browser}): Promise<void> {
  await browser?.close();
  await server?.close();
}

/** Serves `dir` statically on 127.0.0.1 with Framework's clean URLs (/pacing → /pacing.html). */
export async function serveStatic(dir: string): Promise<SiteServer> {
  const root = resolve(dir);
  const served: SiteServer["served"] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.endsWith("/")) path += "index";
    const candidates = extname(path) ? [path] : [`${path}.html`, join(path, "index.html")];
    for (const candidate of candidates) {
      const file = join(root, candidate);
      if (!file.startsWith(root)) break;
      try {
        if (!(await stat(file)).isFile()) continue;
        const body = await readFile(file);
        served.push({path: candidate, bytes: body.length});
        // As a static host would: content-hashed assets (under /_) are immutable, pages revalidate.
        const cache = candidate.startsWith("/_") ? "public, max-age=31536000, immutable" : "no-cache";
        response.writeHead(200, {"content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": cache});
        response.end(body);
        return;
      } catch {
        continue;
      }
    }
    response.writeHead(404, {"content-type": "text/plain"});
    response.end("not found");
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  };
}

export interface PageLog {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests to any origin but the site's own (each failed: Chromium resolves no other name). */
  foreignRequests: string[];
  /** Every request URL the page made, in order. */
  requests: string[];
}

/**
 * Opens a page that may only talk to `origin`: every request is recorded, and any to another origin is listed in
 * `foreignRequests` (Chromium's resolver rules make it fail). Requests are observed, not routed: routing turns off
 * Chromium's HTTP cache, and with it the compiled-wasm cache a reader's browser has on a second page.
 */
export async function openPage(browser: Browser | BrowserContext, origin: string): Promise<{page: Page; log: PageLog}> {
  // A browser gets a fresh incognito context per page; a context (a profile from launchProfile) is shared.
  const context = "newContext" in browser ? await browser.newContext({acceptDownloads: true}) : browser;
  const page = await context.newPage();
  const log: PageLog = {consoleErrors: [], pageErrors: [], foreignRequests: [], requests: []};
  // Requests from the page's workers (DuckDB's) are reported on the page too.
  page.on("request", (request) => {
    const url = request.url();
    log.requests.push(url);
    if (!(url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:"))) log.foreignRequests.push(url);
  });
  page.on("console", (message) => {
    if (message.type() === "error") log.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => log.pageErrors.push(String(error)));
  return {page, log};
}
