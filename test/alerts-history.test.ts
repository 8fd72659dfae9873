// Issue 19, acceptance 4: the replayed alert history equals, for each as-of date, what `meterbook alerts` fires on
// the snapshot of that date — run in date order with one state, as a scheduler would have run it. On the small
// sample (20 customers and every scenario), at three consecutive dates ending at the sample's as_of, with the
// default rules (over pace and the spike flags wait for a second snapshot).
import assert from "node:assert/strict";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, dirname, join} from "node:path";
import {before, describe, it} from "node:test";
import {historyDates, replayAlerts, type HistoryRow} from "../data-loaders/alerts/history.js";
import {carryHistoryCache, HISTORY_CACHE_FOLDER, historyKey} from "../data-loaders/alerts/history-cache.js";
import {runAlerts} from "../data-loaders/alerts/run.js";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {SAMPLE_AS_OF} from "../data-loaders/sample/generate.js";
import {CACHE_FOLDER, snapshot} from "../data-loaders/snapshot/snapshot.js";
import type {ExportFile} from "../data-loaders/sources/export/discover.js";
import {SMALL, sampleExport} from "./sample-export.js";

// Three consecutive days: the sample delivers its contract and balance tables for its last days only (10-12 to
// 10-14), so earlier as-of dates, read as the export stood then, hold no commit to alert on.
const DATES = ["2026-10-13", "2026-10-14", SAMPLE_AS_OF];
const key = (r: {rule_id: string; subject_id: string}) => `${r.rule_id}|${r.subject_id}`;

describe("historyDates(latest, weeks)", () => {
  it("lists the dates a week apart, oldest first, ending at the latest", () => {
    assert.deepEqual(historyDates("2026-03-05", 3), ["2026-02-19", "2026-02-26", "2026-03-05"]);
    assert.deepEqual(historyDates("2026-03-05", 1), ["2026-03-05"]);
  });
});

describe("replayAlerts({exportDir, asOfs, config})", () => {
  let history: HistoryRow[] = [];
  const fired = new Map<string, string[]>();
  let seconds = 0;
  let exportDir = "";
  let lastSnapshot = "";

  before(async () => {
    exportDir = mkdtempSync(join(tmpdir(), "history-export-"));
    await sampleExport({...SMALL, out: exportDir});
    const started = performance.now();
    history = await replayAlerts({exportDir, asOfs: DATES, config: DEFAULT_CONFIG});
    seconds = (performance.now() - started) / 1000;
    const state = mkdtempSync(join(tmpdir(), "history-state-"));
    for (const asOf of DATES) {
      const out = mkdtempSync(join(tmpdir(), `history-snap-${asOf}-`));
      await snapshot({exportDir, out, asOf, config: DEFAULT_CONFIG});
      lastSnapshot = out;
      // No destination is configured: nothing is delivered, the observation is recorded — as the state would hold it.
      const result = await runAlerts({snapshotDir: out, stateDir: state, config: DEFAULT_CONFIG, env: {}});
      fired.set(asOf, result.firing.map(key).sort());
    }
  });

  it("fires on each date exactly what meterbook alerts fires on that date's snapshot", () => {
    for (const asOf of DATES) {
      const replayed = history.filter((r) => r.as_of === asOf).map(key).sort();
      assert.deepEqual(replayed, fired.get(asOf), asOf);
    }
    assert.ok(fired.get(SAMPLE_AS_OF)!.length > 5, "the sample fires alerts");
  });

  it("given the snapshot of its last date, evaluates that date on the snapshot instead of replaying it, fires the same, and keeps each date's evaluation for the next build", async () => {
    const last = DATES.at(-1)!;
    const lines: string[] = [];
    // The date before is replayed (a two-snapshot rule needs it); the last is the snapshot's own.
    const viaSnapshot = await replayAlerts({exportDir, asOfs: DATES.slice(-2), config: DEFAULT_CONFIG, snapshotDir: lastSnapshot, log: (m) => lines.push(m)});
    assert.deepEqual(viaSnapshot.filter((r) => r.as_of === last).map(key).sort(), history.filter((r) => r.as_of === last).map(key).sort());
    assert.ok(viaSnapshot.some((r) => r.as_of === last));
    assert.match(lines[0]!, /: 0 from the cache, 1 on the snapshot's marts, 1 replayed$/);
    assert.deepEqual(readdirSync(join(lastSnapshot, HISTORY_CACHE_FOLDER)).sort(), DATES.slice(-2).map((d) => `${d}.json`));
    // The next build of the snapshot: both dates from its folder, the same rows.
    const again = await replayAlerts({exportDir, asOfs: DATES.slice(-2), config: DEFAULT_CONFIG, snapshotDir: lastSnapshot, log: (m) => lines.push(m)});
    assert.match(lines[1]!, /: 2 from the cache, 0 on the snapshot's marts, 0 replayed$/);
    assert.deepEqual(again, viaSnapshot);
  });

  it("replays a date through the snapshot's staging cache as it replays it from the export, leaving no scratch behind", async () => {
    const date = DATES.at(-2)!;
    // The same snapshot without its staging cache: the date is read from the export.
    const bare = mkdtempSync(join(tmpdir(), "history-bare-"));
    cpSync(join(lastSnapshot, "manifest.json"), join(bare, "manifest.json"));
    cpSync(join(lastSnapshot, "marts"), join(bare, "marts"), {recursive: true});
    assert.ok(existsSync(join(lastSnapshot, CACHE_FOLDER, "breakdowns_line_items")), "the snapshot keeps a staging cache");
    const lines: string[] = [];
    await replayAlerts({exportDir, asOfs: [date], config: DEFAULT_CONFIG, snapshotDir: bare, log: (m) => lines.push(m)});
    assert.match(lines[0]!, /: 0 from the cache, 0 on the snapshot's marts, 1 replayed$/);
    // What the earlier test kept for the date, replayed through lastSnapshot's staging cache: the same evaluation.
    const entry = (dir: string) => JSON.parse(readFileSync(join(dir, HISTORY_CACHE_FOLDER, `${date}.json`), "utf8"));
    assert.ok(entry(bare).holding.length > 0, "the date holds alerts");
    assert.deepEqual(entry(bare), entry(lastSnapshot));
    // Each date's scratch folder (beside the snapshot) is gone.
    for (const dir of [bare, lastSnapshot]) assert.deepEqual(readdirSync(dirname(dir)).filter((f) => f.startsWith(`.${basename(dir)}.history-`)), []);
  });

  it("carries the history window's evaluated dates into the next snapshot in the same folder", async () => {
    // The snapshot of the last date again, into a copy of its folder (staging cache and evaluated dates included).
    const out = mkdtempSync(join(tmpdir(), "history-carry-"));
    cpSync(lastSnapshot, out, {recursive: true});
    assert.ok(readdirSync(join(out, HISTORY_CACHE_FOLDER)).length > 0);
    await snapshot({exportDir, out, asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG});
    assert.deepEqual(readdirSync(join(out, HISTORY_CACHE_FOLDER)).sort(), readdirSync(join(lastSnapshot, HISTORY_CACHE_FOLDER)).sort());
    const lines: string[] = [];
    await replayAlerts({exportDir, asOfs: DATES.slice(-2), config: DEFAULT_CONFIG, snapshotDir: out, log: (m) => lines.push(m)});
    assert.match(lines[0]!, /: 2 from the cache, 0 on the snapshot's marts, 0 replayed$/);
  });

  it("keeps, of the previous folder's dates, those of the window (weeks back from as_of, as_of included)", async () => {
    const previous = mkdtempSync(join(tmpdir(), "history-prev-"));
    const next = mkdtempSync(join(tmpdir(), "history-next-"));
    mkdirSync(join(previous, HISTORY_CACHE_FOLDER), {recursive: true});
    for (const d of ["2026-09-30", "2026-10-01", "2026-10-08", "2026-10-15", "2026-10-16"]) writeFileSync(join(previous, HISTORY_CACHE_FOLDER, `${d}.json`), "{}");
    writeFileSync(join(previous, HISTORY_CACHE_FOLDER, "2026-10-08.json.1234.partial"), "");
    assert.equal(await carryHistoryCache(previous, next, "2026-10-15", 2), 3);
    assert.deepEqual(readdirSync(join(next, HISTORY_CACHE_FOLDER)).sort(), ["2026-10-01.json", "2026-10-08.json", "2026-10-15.json"]);
    assert.equal(await carryHistoryCache(join(previous, "none"), next, "2026-10-15", 2), 0);
  });

  it("keys a date by the export's files as of it and the rules: a changed file, another date or rule, another key", () => {
    const file = (dt: string, path: string): ExportFile => ({table: "invoice", relativePath: path, bytes: 10, dt, transferTimestamp: `${dt.replaceAll("-", "")}000000`} as ExportFile);
    const files = [file("2026-10-12", "invoice/dt=2026-10-12/part-0_20261012000000.parquet")];
    const base = historyKey("2026-10-13", files, DEFAULT_CONFIG);
    assert.equal(historyKey("2026-10-13", [...files], DEFAULT_CONFIG), base);
    // A file delivered late into an earlier partition, a file of another size, another date, environment or threshold.
    assert.notEqual(historyKey("2026-10-13", [...files, file("2026-10-11", "invoice/dt=2026-10-11/part-1_20261015000000.parquet")], DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-13", [{...files[0]!, bytes: 11}], DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-14", files, DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-13", files, {...DEFAULT_CONFIG, environment: "SANDBOX"}), base);
    const rules = DEFAULT_CONFIG.alerts.rules.map((r) => (r.kind === "low_remaining_pct" ? {...r, threshold: 30} : r));
    assert.notEqual(historyKey("2026-10-13", files, {...DEFAULT_CONFIG, alerts: {...DEFAULT_CONFIG.alerts, rules}}), base);
    // How many weeks the page shows picks dates; it does not change what a date fires.
    assert.equal(historyKey("2026-10-13", files, {...DEFAULT_CONFIG, alerts: {...DEFAULT_CONFIG.alerts, history: {weeks: 2}}}), base);
  });

  it("leaves out the dates before the export's first transfer (an export younger than the history), and says so", async () => {
    const lines: string[] = [];
    const rows = await replayAlerts({exportDir, asOfs: ["2020-01-01", "2020-01-08"], config: DEFAULT_CONFIG, log: (m) => lines.push(m)});
    assert.deepEqual(rows, []);
    assert.match(lines[0]!, /^alerts history: 2 dates before the export's first transfer \(dt=\d{4}-\d{2}-\d{2}\) left out: nothing was delivered by then$/);
    assert.match(lines[1]!, /^alerts history: 0 dates in /);
  });

  it("holds a two-snapshot rule back on the first date and fires it on the next", () => {
    const first = history.filter((r) => r.as_of === DATES[0]);
    assert.equal(first.filter((r) => r.rule_id === "over_pace").length, 0);
    assert.ok(history.some((r) => r.as_of === DATES[1] && r.rule_id === "over_pace" && r.event === "fired"));
  });

  it("marks an alert fired on its first date and firing after, with the days left before the segment runs out", () => {
    for (const r of history) {
      const earlier = history.find((o) => key(o) === key(r) && o.as_of === DATES[DATES.indexOf(r.as_of) - 1]);
      assert.equal(r.event, earlier ? "firing" : "fired", `${r.as_of} ${key(r)}`);
      if (r.exhaustion_date !== null) assert.equal(r.lead_days, Math.round((Date.parse(r.exhaustion_date) - Date.parse(r.as_of)) / 864e5));
    }
    console.error(`alerts history: ${DATES.length} dates of the small sample replayed in ${seconds.toFixed(1)} s`);
  });
});
