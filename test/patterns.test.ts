// Usage patterns (docs/metrics.md, "Usage patterns"): hand-made daily burn series, one balance each, through the
// snapshot; every pattern found where its shape is and not in a near miss. Defaults of models/patterns.ts.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {checkPatterns, PATTERN_DEFAULTS} from "../data-loaders/models/patterns.js";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {paceTables, snapshotMarts, type Burn} from "./fixtures/pace-export.js";

const START = "2026-01-01";
const day = (i: number) => new Date(Date.parse(`${START}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
/** Burn `f(i)` on each day i of [0, n). */
const series = (n: number, f: (i: number) => number): Burn[] => Array.from({length: n}, (_, i) => ({date: day(i), total: f(i)})).filter((b) => b.total !== 0);

async function patterns(burns: Burn[], elapsed: number, {amount = 1_000_000, end = "2027-01-01", config = DEFAULT_CONFIG} = {}): Promise<string[]> {
  const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: START, end, amount}], burns}), day(elapsed), config);
  const [p] = await mart("pacing");
  return p!.patterns as string[];
}

describe("pacing.patterns", () => {
  it("early_spike: one day ≥ 5× the median day in the first 30, back to the level after it", async () => {
    // 20 days of 100 but day 3 = 1000: median 100, 1000 ≥ 500; the 14 days after it have median 100, 100·5 < 1000.
    assert.deepEqual(await patterns(series(20, (i) => (i === 3 ? 1000 : 100)), 20), ["early_spike"]);
  });

  it("no early_spike for a level that rises and stays: days 0–11 burn 10, days 12–19 burn 100", async () => {
    // Median 10; day 12's 100 ≥ 50, but the days after it have median 100 (100·5 ≥ 100): the level stayed. Day 19,
    // the last, has no day after it yet: not judged.
    assert.deepEqual(await patterns(series(20, (i) => (i < 12 ? 10 : 100)), 20), []);
  });

  it("spike_and_drop: three one-day spikes to 4× in the last 60 days, each followed by a day back at the level", async () => {
    // 60 days of 100, days 10, 25 and 40 at 400: window median 100, 400 ≥ 300; three drops.
    const spiky = (spikes: number[]) => series(60, (i) => (spikes.includes(i) ? 400 : 100));
    assert.deepEqual(await patterns(spiky([10, 25, 40]), 60), ["spike_and_drop"]);
    // Two are not enough.
    assert.deepEqual(await patterns(spiky([10, 25]), 60), []);
  });

  it("expansion_candidate: four steady weeks at a rate that exhausts the commit before its end", async () => {
    // 36,500 over 2026; 200/day for 40 days: weeks 1400 each (cv 0); remaining 28,500 runs out in 143 days < 325 left.
    assert.deepEqual(await patterns(series(40, () => 200), 40, {amount: 36_500}), ["expansion_candidate"]);
    // Alternating weeks of 130/day and 270/day (weekly 910, 1890: sd 490, cv 0.35 > 0.25): not steady, though it
    // exhausts too (and 270 < 3 × 130: no spikes).
    assert.deepEqual(await patterns(series(40, (i) => (Math.floor((39 - i) / 7) % 2 ? 270 : 130)), 40, {amount: 36_500}), []);
  });

  it("gradual_growth: eight weeks each burning 70 more than the one before (slope 70 ≥ 0.5 % of the mean 945, R² 1)", async () => {
    // Week j (0 = oldest) burns 100 + 10·j a day: 700 + 70·j a week.
    assert.deepEqual(await patterns(series(56, (i) => 100 + 10 * Math.floor(i / 7)), 56), ["gradual_growth"]);
    // Near miss: 3.5 more a week (100 + 0.5·j a day) against a mean of 712.25: 3.5 < 0.005 × 712.25 = 3.56.
    assert.deepEqual(await patterns(series(56, (i) => 100 + 0.5 * Math.floor(i / 7)), 56), []);
  });

  it("likely_breakage: past half the term, at the run rate less than half of what remains gets used", async () => {
    // 100-day term of 10,000 (2026-01-01 → 2026-04-11); 100/day for 30 days then 10/day: at day 60 burned 3300,
    // remaining 6700; run rate (last 30 days) 10 × 40 days left = 400 < 3350.
    const fading = series(60, (i) => (i < 30 ? 100 : 10));
    assert.deepEqual(await patterns(fading, 60, {amount: 10_000, end: "2026-04-11"}), ["likely_breakage"]);
    // At day 40, before half the term: not yet.
    assert.deepEqual(await patterns(fading.slice(0, 40), 40, {amount: 10_000, end: "2026-04-11"}), []);
  });

  it("reads its thresholds from config: with spikeEpisodes 2, two spikes are enough", async () => {
    const config = {...DEFAULT_CONFIG, patterns: {...PATTERN_DEFAULTS, spikeEpisodes: 2}};
    assert.deepEqual(await patterns(series(60, (i) => ([10, 25].includes(i) ? 400 : 100)), 60, {config}), ["spike_and_drop"]);
  });
});

describe("checkPatterns(given, where)", () => {
  it("fills defaults and refuses unknown keys and out-of-range values, naming the setting", () => {
    assert.deepEqual(checkPatterns(undefined), PATTERN_DEFAULTS);
    assert.equal(checkPatterns({stableCv: 0.1}).stableCv, 0.1);
    assert.throws(() => checkPatterns({spikeFactr: 3} as never, "meterbook.config.json"), /invalid patterns.spikeFactr in meterbook.config.json: not a setting/);
    assert.throws(() => checkPatterns({spikeEpisodes: 2.5}), /invalid patterns.spikeEpisodes in config: 2.5 \(a whole number ≥ 1\)/);
    assert.throws(() => checkPatterns({spikeFactor: 1}), /a factor > 1/);
    assert.throws(() => checkPatterns({breakageUseShare: 1.5}), /a share in \(0, 1\]/);
  });
});
