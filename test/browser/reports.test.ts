// Customer-facing documents on the sample: every customer's September 2026 report and 2026-Q3 deck (HTML, usage CSV),
// and the PDFs of a spread of customers (every scenario's, every 8th other: printing is what costs, and a PDF is its
// HTML printed), timed; then checked — page counts, the month's total spend against the marts in every report (PDF
// text where printed, the HTML's text otherwise), a non-blank first page, no slide overflowing in Chromium, keyboard
// navigation — and scanned, every file of every customer and its report email (.eml, dry run), for any other
// customer's id, name or ingest alias. Also the site's /qbr/<customer> page. Chromium runs with the network refused.
// `npm run bench` times reports with PDFs for every customer.
import assert from "node:assert/strict";
import {execFile, execFileSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {simpleParser} from "mailparser";
import {tmpdir} from "node:os";
import {dirname, extname, join} from "node:path";
import {pathToFileURL} from "node:url";
import {promisify} from "node:util";
import {after, before, describe, it} from "node:test";
import type {Browser} from "playwright-core";
import {DEFAULT_CONFIG} from "../../data-loaders/config.js";
import {buildDecks, buildReports, type Built} from "../../data-loaders/documents/build.js";
import {sendReports} from "../../data-loaders/documents/send.js";
import {overflowing} from "../../data-loaders/documents/pdf.js";
import {SAMPLE_SCENARIOS} from "../../data-loaders/sample/generate.js";
import {openDuckDB} from "../../data-loaders/lib/duckdb.js";
import {creditTypeMap, money, type CreditType} from "../../src/core/format.js";
import {launchChromium, openPage, serveStatic} from "./harness.js";
import {siteDir} from "./site.js";

const run = promisify(execFile);
const dist = siteDir();
// The offline build's own snapshot (its .meterbook cache), or one given: no second snapshot of the sample.
const snapshotDir = process.env.METERBOOK_SNAPSHOT_DIR ?? join(dirname(dist), ".meterbook", "snapshot");
const MONTH = "2026-09";
const QUARTER = "2026-Q3";

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const {connection} = await openDuckDB();
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}
const mart = (name: string) => `read_parquet('${join(snapshotDir, "marts", `${name}.parquet`)}')`;

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Runs `f` over `items`, `n` at a time. */
async function pool<T, R>(items: T[], n: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({length: n}, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  }));
  return out;
}

const pdfText = async (file: string) => (await run("pdftotext", ["-layout", file, "-"], {maxBuffer: 1 << 26})).stdout;
// pdftotext ends every page with a form feed: its text gives the page count too, with no second process per file.
const pagesOf = (text: string) => text.split("\f").length - 1;
const HTML_ENTITIES: Record<string, string> = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"};

describe(`meterbook report --month ${MONTH} and qbr --quarter ${QUARTER} for every sample customer`, () => {
  const out = mkdtempSync(join(tmpdir(), "meterbook-reports-"));
  /** Every customer's report and deck: the printed one (with its PDF) where there is one, else the HTML-only one. */
  let reports: Built[];
  let decks: Built[];
  /** The customers whose documents were printed. */
  let printed: Set<string>;
  let customers: {customer_id: string; name: string; ingest_aliases: string[]}[];
  let browser: Browser;
  /** `report --send --dry-run`: each customer's .eml, by customer id. */
  const emails = new Map<string, string>();
  /** Every PDF's text (pdftotext), read once. */
  const texts = new Map<string, string>();

  before(async () => {
    const log = () => {};
    const all = (await query(`select customer_id from ${mart("customers")} order by customer_id`)).map((r) => String(r.customer_id));
    const scenarioIds = new Set(SAMPLE_SCENARIOS.map((s) => s.customerId));
    printed = new Set(all.filter((id, i) => scenarioIds.has(id) || i % 8 === 0));
    // All four at once: the HTML builds' queries and drawing overlap the printing in Chromium.
    const t = performance.now();
    const seconds = () => ((performance.now() - t) / 1000).toFixed(1);
    const timed = <T,>(what: string, p: Promise<T>) => p.finally(() => console.error(`reports: ${what} done after ${seconds()} s`));
    const options = (dir: string, customers: string[] | "all", pdf: boolean) => ({snapshotDir, out: join(out, dir), customers, branding: DEFAULT_CONFIG.branding, pdf, log});
    const [htmlReports, htmlDecks, printedReports, printedDecks] = await Promise.all([
      timed(`160 reports (HTML)`, buildReports(MONTH, options("reports", "all", false))),
      timed(`160 decks (HTML)`, buildDecks(QUARTER, options("decks", "all", false))),
      timed(`${printed.size} reports with PDFs`, buildReports(MONTH, options("printed/reports", [...printed], true))),
      timed(`${printed.size} decks with PDFs`, buildDecks(QUARTER, options("printed/decks", [...printed], true)))
    ]);
    const pick = (html: Built[], pdf: Built[]) => html.map((h) => pdf.find((p) => p.customer_id === h.customer_id) ?? h);
    reports = pick(htmlReports, printedReports);
    decks = pick(htmlDecks, printedDecks);
    const pdfs = [...reports, ...decks].flatMap((b) => (b.pdf ? [b.pdf] : []));
    (await pool(pdfs, 3, pdfText)).forEach((text, i) => texts.set(pdfs[i]!, text));
    customers = (await query(`select customer_id, name, ingest_aliases from ${mart("customers")} order by customer_id`)) as typeof customers;
    // Every report emailed (dry run) to an address that names no customer: admin-<n>@example.com.
    const recipients = join(out, "admins.json");
    writeFileSync(recipients, JSON.stringify(Object.fromEntries(customers.map((c, n) => [c.customer_id, `admin-${n}@example.com`]))));
    const sent = await sendReports({built: reports, month: MONTH, snapshotDir, dryRun: join(out, "mail"), config: {...DEFAULT_CONFIG, reports: {emailField: null, recipients, from: null}}, env: {}});
    const byAddress = new Map(sent.sent.map((s) => [s.address, s.customer_id]));
    for (const file of sent.written) emails.set(byAddress.get(/email-(.*)\.eml$/.exec(file)![1]!)!, file);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(out, {recursive: true, force: true});
  });

  it("writes a folder with index.html and usage.csv per customer, and the PDF where printed", () => {
    assert.equal(customers.length, 160);
    assert.ok(printed.size >= 20 && printed.size < 60, `${printed.size} printed`);
    assert.deepEqual(reports.map((r) => r.customer_id).sort(), customers.map((c) => c.customer_id));
    assert.deepEqual(decks.map((r) => r.customer_id).sort(), customers.map((c) => c.customer_id));
    for (const r of reports) assert.deepEqual(readdirSync(r.dir).sort(), ["index.html", ...(printed.has(r.customer_id) ? [`report-${MONTH}.pdf`] : []), "usage.csv"], r.customer_id);
    for (const d of decks) assert.deepEqual(readdirSync(d.dir).sort(), ["index.html", ...(printed.has(d.customer_id) ? [`qbr-${QUARTER}.pdf`] : [])], d.customer_id);
    assert.deepEqual(readdirSync(join(out, "printed", "reports")).sort(), [...printed].sort(), "only the printed customers' folders");
    for (const dir of ["reports", "decks", "printed/reports", "printed/decks"]) assert.deepEqual(readdirSync(join(out, dir)).filter((f) => f.startsWith(".")), [], `no staging folder left behind in ${dir}`);
  });

  it("gives each PDF one page per report page and per slide", async () => {
    const printedReports = reports.filter((r) => r.pdf);
    assert.equal(printedReports.length, printed.size);
    for (const r of printedReports) assert.equal(pagesOf(texts.get(r.pdf!)!), r.pages, r.customer_id);
    // Summary, usage, invoices; plus one daily table per six products used (none for a month without usage).
    assert.ok(printedReports.every((r) => r.pages >= 3), "summary, usage, invoices");
    assert.ok(printedReports.some((r) => r.pages === 4));
    assert.deepEqual(new Set(decks.filter((d) => d.pdf).map((d) => pagesOf(texts.get(d.pdf!)!))), new Set([6]));
  });

  it("prints no link into the machine that built it: the report's file list is for its folder, not its PDF", () => {
    const pdfs = [...reports, ...decks].flatMap((b) => (b.pdf ? [b.pdf] : []));
    assert.ok(pdfs.length >= 40, `${pdfs.length} PDFs`);
    // Link annotations are plain PDF dictionaries (`/URI (file:///…/usage.csv)` when the file line was printed).
    for (const pdf of pdfs) assert.doesNotMatch(readFileSync(pdf, "latin1"), /\/URI|file:|\.staging-/, pdf);
    for (const r of reports.filter((b) => b.pdf)) assert.doesNotMatch(texts.get(r.pdf!)!, /usage\.csv/, r.customer_id);
    // The HTML folder keeps its links to its own files.
    assert.match(readFileSync(join(reports[0]!.dir, "index.html"), "utf8"), /<a href="usage\.csv">/);
  });

  it("prints the month's total spend, summed independently from revenue_daily, in each report (its PDF where printed)", async () => {
    const creditTypes = creditTypeMap((await query(`select * from ${mart("credit_types")}`)) as unknown as CreditType[]);
    const totals = await query(`select customer_id, credit_type_id, sum(revenue_minor)::varchar as total from ${mart("revenue_daily")}
      where date >= '2026-09-01' and date < '2026-10-01' group by all`);
    assert.ok(totals.length > 100);
    const htmlText = (file: string) => readFileSync(file, "utf8").replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e]!);
    const byId = new Map(reports.map((r) => [r.customer_id, r.pdf ? texts.get(r.pdf)! : htmlText(join(r.dir, "index.html"))]));
    assert.equal([...byId.keys()].filter((id) => printed.has(id)).length, printed.size);
    for (const t of totals) {
      const expected = money(Number(t.total), String(t.credit_type_id), creditTypes);
      assert.ok(byId.get(String(t.customer_id))!.includes(expected), `${t.customer_id}: ${expected}`);
    }
    // The EUR customer's figures are in euros.
    const eur = SAMPLE_SCENARIOS.find((s) => s.name === "eur_customer")!;
    assert.ok(printed.has(eur.customerId), "its PDF is read");
    assert.match(byId.get(eur.customerId)!, /€[\d,]+/);
    assert.doesNotMatch(byId.get(eur.customerId)!, /\$\d/);
  });

  it("draws something on page 1 of a report and of a deck (pdftoppm)", () => {
    const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "over")!;
    for (const pdf of [join(out, "printed", "reports", scenario.customerId, `report-${MONTH}.pdf`), join(out, "printed", "decks", scenario.customerId, `qbr-${QUARTER}.pdf`)]) {
      const ppm = execFileSync("pdftoppm", ["-r", "30", "-f", "1", "-l", "1", "-gray", pdf]);
      // Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString("latin1"))!;
      const pixels = ppm.subarray(header[0].length);
      assert.equal(pixels.length, Number(header[1]) * Number(header[2]));
      const dark = pixels.filter((v) => v < 160).length;
      assert.ok(dark / pixels.length > 0.01, `${pdf}: only ${dark} dark pixels of ${pixels.length}`);
    }
  });

  it("shows balances that add up: start − drawn = end, drawn = the segments' burn in the month", async () => {
    const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "on_track")!;
    const [expected] = await query(`select sum(burn_minor)::varchar as drawn from ${mart("burn_daily")}
      where customer_id = '${scenario.customerId}' and segment_id = '${scenario.segmentId}' and date >= '2026-09-01' and date < '2026-10-01'`);
    const text = texts.get(join(out, "printed", "reports", scenario.customerId, `report-${MONTH}.pdf`))!.replace(/\s+/g, " ");
    const usd = creditTypeMap([{credit_type_id: "usd", name: "USD (cents)", currency_code: "USD", minor_per_major: 100}]);
    assert.ok(text.includes(money(Number(expected!.drawn), "usd", usd)), `drawn ${expected!.drawn}`);
    assert.match(text, /On plan/);
    assert.doesNotMatch(text, /on_track|adoption_risk|week1_spike|negative_balance|unsustainable/);
  });

  it("recommends expansion to a customer on pace to exhaust early, adoption help to one under pace", async () => {
    const text = (name: string) => texts.get(join(out, "printed", "decks", SAMPLE_SCENARIOS.find((s) => s.name === name)!.customerId, `qbr-${QUARTER}.pdf`))!.replace(/\s+/g, " ");
    assert.match(text("over"), /expanding your commitment/);
    assert.match(text("under"), /get more from your commitment/);
    assert.match(text("on_track"), /on plan/i);
  });

  it("contains no other customer's id, name or ingest alias in any file of any customer, nor in its report email (PDF text included)", async () => {
    // Terms match as whole tokens, case-insensitively: "Atlas" is not a hit inside "Atlassian". Text and terms are
    // split into tokens the same way (letters, digits, "_" and "-" kept together, so ids and aliases stay whole) and
    // every run of up to the longest term's tokens is looked up: linear in the text, whatever the number of terms.
    // A term that is also the customer's own (two customers named "Atlas AI") cannot tell them apart and is not
    // counted for those two; their ids still are.
    const tokens = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}_-]+/u).filter(Boolean);
    const owners = new Map<string, Set<string>>();
    for (const c of customers) {
      for (const term of [c.customer_id, c.name, ...(c.ingest_aliases ?? [])]) {
        const key = tokens(term ?? "").join(" ");
        if (key) owners.set(key, (owners.get(key) ?? new Set()).add(c.customer_id));
      }
    }
    const longest = Math.max(...[...owners.keys()].map((k) => k.split(" ").length));
    const hits: string[] = [];
    const ownFound = new Set<string>();
    let scanned = 0;
    const scan = async (id: string, file: string) => {
      let text: string;
      switch (extname(file)) {
        case ".pdf": text = texts.get(file) ?? (await pdfText(file)); break;
        case ".parquet": case ".arrow": text = JSON.stringify(await query(`select * from read_parquet('${file}')`)); break;
        default: text = readFileSync(file, "utf8").replace(/&(amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e]!);
      }
      scanned++;
      hits.push(...foreign(id, text).map((term) => `${file}: ${term}`));
    };
    /** Other customers' terms in `text`, for customer `id`. */
    function foreign(id: string, text: string): string[] {
      const found: string[] = [];
      const words = tokens(text);
      for (let i = 0; i < words.length; i++) {
        let key = "";
        for (let k = 0; k < longest && i + k < words.length; k++) {
          key = k ? `${key} ${words[i + k]}` : words[i]!;
          const who = owners.get(key);
          if (!who) continue;
          if (!who.has(id)) found.push(key);
          else ownFound.add(id);
        }
      }
      return found;
    }
    // The scanner itself, on planted text: another's name (any case, with an apostrophe), id and alias are found.
    const [a, b] = [customers.find((c) => c.name === "Vectorforge Systems")!, customers.find((c) => c.name === "O'Brien Robotics")!];
    assert.deepEqual(foreign(a.customer_id, `Usage for O&#39;BRIEN robotics.`.replace("&#39;", "'")), ["o brien robotics"]);
    assert.deepEqual(foreign(b.customer_id, `acct_88412,${a.customer_id}`), ["acct_88412", a.customer_id]);
    assert.deepEqual(foreign(b.customer_id, `Vectorforge Systemsx acct_884123 Vectorforge`), []);
    assert.deepEqual(foreign(a.customer_id, "Vectorforge Systems vf-prod-eu"), []);
    ownFound.clear();
    // Every folder written: the HTML-only builds of all 160 and the printed ones.
    const dirs = ["reports", "decks", "printed/reports", "printed/decks"].flatMap((d) => readdirSync(join(out, d)).map((id) => [id, join(out, d, id)] as const));
    const jobs = dirs.flatMap(([id, dir]) => files(dir).map((f) => [id, f] as const));
    await pool(jobs, 4, ([id, f]) => scan(id, f));
    const fileCount = 160 * 2 + 160 + printed.size * (3 + 2); // HTML and CSV; deck HTML; printed: HTML, CSV, PDF + HTML, PDF
    assert.equal(scanned, fileCount);
    // The monthly report emails (issue 19, acceptance 3): subject, text, HTML and every attachment (the PDF's text).
    assert.equal(emails.size, 160);
    let attachments = 0;
    await pool([...emails], 4, async ([id, file]) => {
      const mail = await simpleParser(readFileSync(file));
      const parts = [mail.subject ?? "", mail.text ?? "", String(mail.html || "").replace(/&(amp|lt|gt|quot|#39);/g, (e) => HTML_ENTITIES[e]!)];
      for (const a of mail.attachments) {
        attachments++;
        if (a.contentType !== "application/pdf") parts.push(a.content.toString("utf8"));
        else {
          const pdf = join(out, `${id}-attached.pdf`);
          writeFileSync(pdf, a.content);
          parts.push(await pdfText(pdf));
        }
      }
      scanned++;
      hits.push(...foreign(id, parts.join("\n")).map((term) => `${file}: ${term}`));
    });
    assert.equal(attachments, 160, "one attachment per email: the customer's own PDF (its report's HTML where not printed)");
    assert.equal(scanned, fileCount + 160);
    assert.deepEqual(hits, []);
    // The scan finds what it looks for: every customer's own name is found in its own files (O'Brien decoded too).
    assert.equal(ownFound.size, 160);
  });

  it("keeps every slide inside its 16:9 page in Chromium, and moves between slides with the keyboard", async () => {
    const page = await browser.newPage({viewport: {width: 1280, height: 720}});
    for (const name of ["over", "under", "eur_customer", "apostrophe"]) {
      const id = SAMPLE_SCENARIOS.find((s) => s.name === name)!.customerId;
      await page.goto(pathToFileURL(join(out, "decks", id, "index.html")).href);
      await page.emulateMedia({media: "print"});
      assert.deepEqual(await overflowing(page, ".slide"), [], name);
      assert.deepEqual(await page.locator(".slide").evaluateAll((s) => s.map((e) => [e.clientWidth, e.clientHeight])), Array(6).fill([1280, 720]));
      await page.emulateMedia({media: "screen"});
      assert.equal(await page.locator(".slide.current").getAttribute("id"), "slide-1");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("PageDown");
      assert.equal(await page.locator(".slide.current").getAttribute("id"), "slide-3");
      await page.keyboard.press("End");
      assert.equal(await page.locator(".slide.current").getAttribute("id"), "slide-6");
      await page.keyboard.press("ArrowLeft");
      assert.equal(await page.locator(".slide.current").getAttribute("id"), "slide-5");
      assert.equal(await page.locator(".slide:visible").count(), 1);
    }
    await page.close();
  });

  it("serves /qbr/<customer> from that customer's files only, six slides that fit", async () => {
    const server = await serveStatic(dist);
    try {
      const scenario = SAMPLE_SCENARIOS.find((s) => s.name === "over")!;
      const {page, log} = await openPage(browser, server.origin);
      await page.setViewportSize({width: 1400, height: 900});
      await page.goto(`${server.origin}/qbr/${scenario.customerId}?quarter=${QUARTER}`);
      await page.locator(".mb-deck .slide").first().waitFor({timeout: 30_000});
      await page.waitForFunction(() => document.querySelector(".mb-deck")?.getAttribute("data-slide") === "1");
      assert.equal(await page.locator(".mb-deck .slide").count(), 6);
      assert.match((await page.locator("#slide-1").textContent())!, new RegExp(scenario.customerName));
      await page.keyboard.press("ArrowRight");
      assert.equal(await page.locator(".slide.current").getAttribute("id"), "slide-2");
      await page.emulateMedia({media: "print"});
      assert.deepEqual(await overflowing(page, ".slide"), []);
      const customerFiles = log.requests.filter((u) => u.includes("/_file/data/customers/"));
      assert.ok(customerFiles.length >= 7);
      assert.ok(customerFiles.every((u) => u.includes(`/customers/${scenario.customerId}/`)), customerFiles.join("\n"));
      assert.deepEqual([log.foreignRequests, log.consoleErrors, log.pageErrors], [[], [], []]);
      // The slide text matches the standalone deck's (same renderer, same figures).
      const standalone = readFileSync(join(out, "decks", scenario.customerId, "index.html"), "utf8");
      const spend = (await page.locator("#slide-2 .card .big").first().textContent())!;
      assert.ok(standalone.includes(spend), spend);
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it("refuses an unknown customer and a month after the snapshot, as input errors", async () => {
    await assert.rejects(buildReports(MONTH, {snapshotDir, out: join(out, "bad"), customers: ["nope"], branding: DEFAULT_CONFIG.branding, pdf: false, log: () => {}}), /customer nope: not in the snapshot/);
    await assert.rejects(buildReports("2026-11", {snapshotDir, out: join(out, "bad"), customers: "all", branding: DEFAULT_CONFIG.branding, pdf: false, log: () => {}}), /no data/);
    assert.ok(!existsSync(join(out, "bad")) || readdirSync(join(out, "bad")).length === 0, "nothing written");
  });
});
