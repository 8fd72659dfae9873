// Issue 19, acceptance 4: the replayed alert history equals, for each as-of date, what `meterbook alerts` fires on
// the snapshot of that date — run in date order with one state, as a scheduler would have run it. On the small
// sample (20 customers and every scenario), at three consecutive dates ending at the sample's as_of, with the
// default rules (over pace and the spike flags wait for a second snapshot).
import assert from "node:assert/strict";
import {cpSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import {historyDates, replayAlerts, type HistoryRow} from "../data-loaders/alerts/history.js";
import {HISTORY_CACHE_FOLDER, historyKey} from "../data-loaders/alerts/history-cache.js";
import {runAlerts} from "../data-loaders/alerts/run.js";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {generateSampleExport, SAMPLE_AS_OF} from "../data-loaders/sample/generate.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";
import type {ExportFile} from "../data-loaders/sources/export/discover.js";
import {SMALL} from "./sample-export.js";

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
    await generateSampleExport({...SMALL, out: exportDir});
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

  it("given the snapshot of its last date, evaluates that date on the snapshot instead of replaying it, and fires the same", async () => {
    const last = DATES.at(-1)!;
    // The date before is replayed (a two-snapshot rule needs it); the last is the snapshot's own.
    const viaSnapshot = await replayAlerts({exportDir, asOfs: DATES.slice(-2), config: DEFAULT_CONFIG, snapshotDir: lastSnapshot});
    assert.deepEqual(viaSnapshot.filter((r) => r.as_of === last).map(key).sort(), history.filter((r) => r.as_of === last).map(key).sort());
    assert.ok(viaSnapshot.some((r) => r.as_of === last));
  });

  it("keeps each date's evaluation in the snapshot's folder; the next build reads them and fires the same", async () => {
    const copy = mkdtempSync(join(tmpdir(), "history-cached-"));
    cpSync(lastSnapshot, copy, {recursive: true});
    rmSync(join(copy, HISTORY_CACHE_FOLDER), {recursive: true, force: true});
    const lines: string[] = [];
    const first = await replayAlerts({exportDir, asOfs: DATES, config: DEFAULT_CONFIG, snapshotDir: copy, log: (m) => lines.push(m)});
    assert.deepEqual(readdirSync(join(copy, HISTORY_CACHE_FOLDER)).sort(), DATES.map((d) => `${d}.json`));
    const again = await replayAlerts({exportDir, asOfs: DATES, config: DEFAULT_CONFIG, snapshotDir: copy, log: (m) => lines.push(m)});
    assert.deepEqual(again, first);
    assert.deepEqual(first.map(key).sort(), history.map(key).sort());
    assert.match(lines[0]!, /: 0 from the cache, 1 on the snapshot's marts, 2 replayed$/);
    assert.match(lines[1]!, /: 3 from the cache, 0 on the snapshot's marts, 0 replayed$/);
    // Another threshold is another key: every date evaluated again, and what fires follows the new rule.
    const strict = {...DEFAULT_CONFIG, alerts: {...DEFAULT_CONFIG.alerts, rules: DEFAULT_CONFIG.alerts.rules.map((r) => (r.kind === "low_remaining_pct" ? {...r, threshold: 101} : r))}};
    const changed = await replayAlerts({exportDir, asOfs: DATES, config: strict, snapshotDir: copy, log: (m) => lines.push(m)});
    assert.match(lines[2]!, /: 0 from the cache, 1 on the snapshot's marts, 2 replayed$/);
    assert.ok(changed.filter((r) => r.kind === "low_remaining_pct").length > first.filter((r) => r.kind === "low_remaining_pct").length);
  });

  it("carries the window's evaluated dates into the next snapshot in the same folder, and drops the others", async () => {
    const out = mkdtempSync(join(tmpdir(), "history-carry-"));
    await snapshot({exportDir, out, asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG});
    await replayAlerts({exportDir, asOfs: DATES, config: DEFAULT_CONFIG, snapshotDir: out});
    // A week's window back from the last date keeps all three; as of the first date, the two later ones go.
    await snapshot({exportDir, out, asOf: SAMPLE_AS_OF, config: {...DEFAULT_CONFIG, alerts: {...DEFAULT_CONFIG.alerts, history: {weeks: 1}}}});
    assert.deepEqual(readdirSync(join(out, HISTORY_CACHE_FOLDER)).sort(), DATES.map((d) => `${d}.json`));
    const lines: string[] = [];
    await replayAlerts({exportDir, asOfs: DATES, config: DEFAULT_CONFIG, snapshotDir: out, log: (m) => lines.push(m)});
    assert.match(lines[0]!, /: 3 from the cache, 0 on the snapshot's marts, 0 replayed$/);
    await snapshot({exportDir, out, asOf: DATES[0], config: DEFAULT_CONFIG});
    assert.deepEqual(readdirSync(join(out, HISTORY_CACHE_FOLDER)), [`${DATES[0]}.json`]);
  });

  it("keys a date by the export's files as of it: a file after the date does not change the key, one before it does", () => {
    const file = (dt: string, path: string): ExportFile => ({table: "invoice", relativePath: path, bytes: 10, dt, transferTimestamp: `${dt.replaceAll("-", "")}000000`} as ExportFile);
    const files = [file("2026-10-12", "invoice/dt=2026-10-12/part-0_20261012000000.parquet")];
    const base = historyKey("2026-10-13", files, DEFAULT_CONFIG);
    assert.equal(historyKey("2026-10-13", [...files], DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-13", [...files, file("2026-10-11", "invoice/dt=2026-10-11/part-1_20261015000000.parquet")], DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-13", [{...files[0]!, bytes: 11}], DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-14", files, DEFAULT_CONFIG), base);
    assert.notEqual(historyKey("2026-10-13", files, {...DEFAULT_CONFIG, environment: "SANDBOX"}), base);
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
