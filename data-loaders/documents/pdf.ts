// PDFs of finished HTML documents through one headless Chromium (Debian's, driven by playwright-core) and a small pool
// of pages. Before printing, each document's fixed-size boxes (report `.page`s, deck `.slide`s) are checked in the
// browser under print media: any content that overflows its box stops the build, naming the document and the box.
import {readFile} from "node:fs/promises";
import type {Browser, Page} from "playwright-core";
import {launchChromium} from "../lib/chromium.js";

export interface PdfJob {
  /** The document's index.html on disk. */
  html: string;
  pdf: string;
  /** CSS selector of the fixed-size boxes that must not overflow, one per printed page. */
  boxes: string;
  viewport: {width: number; height: number};
}

export class OverflowError extends Error {}

/** Boxes (matching `selector`) whose content does not fit them, in print media; empty when all fit. */
export async function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    document.querySelectorAll(sel).forEach((box, i) => {
      const el = box as HTMLElement;
      const inner = [el, ...Array.from(el.querySelectorAll<HTMLElement>(".slide-body"))];
      for (const e of inner) {
        if (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1) {
          out.push(`${sel} ${i + 1}: content ${e.scrollWidth}×${e.scrollHeight}px in a ${e.clientWidth}×${e.clientHeight}px box`);
          break;
        }
      }
    });
    return out;
  }, selector);
}

export interface PdfRenderer {
  render(job: PdfJob): Promise<{pages: number}>;
  close(): Promise<void>;
}

/** One Chromium with `concurrency` pages; `render` queues a job on the next free page. */
export async function pdfRenderer({concurrency = 2}: {concurrency?: number} = {}): Promise<PdfRenderer> {
  const browser: Browser = await launchChromium();
  const context = await browser.newContext();
  // Documents are self-contained: anything but inline data is refused.
  await context.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort("blockedbyclient")));
  const free: Page[] = [];
  for (let i = 0; i < concurrency; i++) {
    const page = await context.newPage();
    await page.emulateMedia({media: "print"}); // layout once, as printed
    free.push(page);
  }
  const waiting: ((page: Page) => void)[] = [];
  const acquire = () => new Promise<Page>((ok) => (free.length ? ok(free.pop()!) : waiting.push(ok)));
  const release = (page: Page) => (waiting.length ? waiting.shift()!(page) : free.push(page));
  return {
    async render(job) {
      const page = await acquire();
      try {
        const size = page.viewportSize();
        if (size?.width !== job.viewport.width || size?.height !== job.viewport.height) await page.setViewportSize(job.viewport);
        // The document is set as the page's content, not navigated to: no navigation, no new document process, about
        // 40 % less of Chromium's time a document (docs/scaling.md). A document is self-contained (inline style and
        // charts, the logo a data: URL), so nothing resolves against its folder.
        await page.setContent(await readFile(job.html, "utf8"), {waitUntil: "load"});
        const bad = await overflowing(page, job.boxes);
        if (bad.length) throw new OverflowError(`${job.html}: content does not fit its page — ${bad.join("; ")}`);
        const pages = await page.locator(job.boxes).count();
        await page.pdf({path: job.pdf, preferCSSPageSize: true, printBackground: true});
        return {pages};
      } finally {
        release(page);
      }
    },
    async close() {
      await browser.close();
    }
  };
}
