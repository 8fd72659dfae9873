// Usage patterns (docs/metrics.md, "Usage patterns"): the commit-analytics guide's shapes of a segment's daily burn,
// read from its complete days before as_of by int_segment_patterns.sql. Their thresholds are settings (config
// `patterns`); each pattern is one entry of pacing.patterns.

export const PATTERNS = ["early_spike", "spike_and_drop", "expansion_candidate", "gradual_growth", "likely_breakage"] as const;
export type Pattern = (typeof PATTERNS)[number];

export interface PatternThresholds {
  /** early_spike: a day in the segment's first `earlyDays` days burning ≥ `earlySpikeFactor` × the segment's median day. */
  earlyDays: number;
  earlySpikeFactor: number;
  /** spike_and_drop: in the last `spikeWindowDays` days, ≥ `spikeEpisodes` runs of days burning ≥ `spikeFactor` × that window's median day, each followed by a day below it. */
  spikeWindowDays: number;
  spikeFactor: number;
  spikeEpisodes: number;
  /** expansion_candidate: the last 4 weeks' burn varies little (coefficient of variation ≤ `stableCv`) and the run rate exhausts the commit before its end. */
  stableCv: number;
  /** gradual_growth: over the last `growthWeeks` weeks, weekly burn grows ≥ `growthPerWeek` of its mean each week on a line fitting with R² ≥ `growthR2`. */
  growthWeeks: number;
  growthPerWeek: number;
  growthR2: number;
  /** likely_breakage: ≥ `breakageLateShare` of the term elapsed, and at the run rate less than `breakageUseShare` of what remains gets used. */
  breakageLateShare: number;
  breakageUseShare: number;
}

export const PATTERN_DEFAULTS: PatternThresholds = {
  earlyDays: 30,
  earlySpikeFactor: 5,
  spikeWindowDays: 60,
  spikeFactor: 3,
  spikeEpisodes: 3,
  stableCv: 0.25,
  growthWeeks: 8,
  growthPerWeek: 0.005,
  growthR2: 0.6,
  breakageLateShare: 0.5,
  breakageUseShare: 0.5
};

const WHOLE: (keyof PatternThresholds)[] = ["earlyDays", "spikeWindowDays", "spikeEpisodes", "growthWeeks"];
const SHARE: (keyof PatternThresholds)[] = ["stableCv", "growthR2", "breakageLateShare", "breakageUseShare"];

/** The `patterns` section over the defaults, checked: whole numbers ≥ 1, factors > 1, shares in (0, 1]. */
export function checkPatterns(given: Partial<PatternThresholds> | undefined, where = "config"): PatternThresholds {
  if (given === undefined) return {...PATTERN_DEFAULTS};
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error(`invalid patterns in ${where}: an object of thresholds (docs/metrics.md, "Usage patterns")`);
  for (const key of Object.keys(given)) {
    if (!(key in PATTERN_DEFAULTS)) throw new Error(`invalid patterns.${key} in ${where}: not a setting (${Object.keys(PATTERN_DEFAULTS).join(", ")})`);
  }
  const out = {...PATTERN_DEFAULTS, ...given};
  for (const [key, value] of Object.entries(out) as [keyof PatternThresholds, number][]) {
    const ok = typeof value === "number" && Number.isFinite(value) &&
      (WHOLE.includes(key) ? Number.isInteger(value) && value >= 1 : SHARE.includes(key) ? value > 0 && value <= 1 : key === "growthPerWeek" ? value > 0 : value > 1);
    if (!ok) throw new Error(`invalid patterns.${key} in ${where}: ${JSON.stringify(value)} (${WHOLE.includes(key) ? "a whole number ≥ 1" : SHARE.includes(key) ? "a share in (0, 1]" : key === "growthPerWeek" ? "a share > 0" : "a factor > 1"})`);
  }
  return out;
}
