// The shape of each customer's usage over time (docs/sample-data.md, "The history model"): a weekday pattern, a linear
// trend, mild seasonality (month end, quarter end, the year-end holidays), a slow wander of the level, one-off spikes,
// repeated spike-and-drop cycles and a late-term fade (breakage). Everything is a pure function of the plan and the day,
// computed in JS and handed to the SQL side as one expected spend per customer and day (pipeline.ts `p_day`), so commit
// sizing (balances.ts) and usage use the same numbers. The generator's history knobs (HistoryKnobs) scale each part.
import {dayNumber, isoDay} from "../lib/dates.js";
import type {SpendPlan} from "./model.js";
import {Rng, hashSeed} from "./random.js";

/** Multipliers of the history model's parts; 1 = the sample as shipped, 0 = that part switched off. */
export interface HistoryKnobs {
  /** Weekday pattern amplitude (the weekend dip or lift). */
  weekday: number;
  /** Spread of the customers' growth rates around the book's mean (+0.12 %/day). */
  trend: number;
  /** Daily noise (half-width of the triangular multiplier) and the level's slow wander. */
  noise: number;
  /** Month-end, quarter-end and holiday effects. */
  seasonality: number;
  /** How often customers have one-off spikes, spike-and-drop cycles and late-term fades. */
  events: number;
}

export const DEFAULT_HISTORY: HistoryKnobs = {weekday: 1, trend: 1, noise: 1, seasonality: 1, events: 1};

/** Monday = 0 … Sunday = 6 (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (day + 3) % 7;
}

/** A weekday profile: "business" (weekend dip), "flat", or "weekend" (weekend-heavy: consumer apps, batch jobs). */
export type WeekdayKind = "business" | "flat" | "weekend";

/** Seven factors (Monday first) with mean 1, so `daily` stays the mean daily spend of a week. */
export function weekdayFactors(kind: WeekdayKind, depth: number, amplitude: number): number[] {
  const raw = [1.04, 1.02, 1, 1, 0.94, 1, 1].map((f, i) => {
    const shaped = kind === "flat" ? 1 : i >= 5 ? (kind === "business" ? 1 - depth : 1 + depth) : f;
    return Math.max(0.05, 1 + amplitude * (shaped - 1));
  });
  const mean = raw.reduce((s, f) => s + f, 0) / 7;
  return raw.map((f) => f / mean);
}

/** The year-end holiday dip: Dec 24 – Jan 1. */
function holiday(day: number): boolean {
  const md = isoDay(day).slice(5);
  return md >= "12-24" || md === "01-01";
}

/** Days left in the day's month (0 on its last day) and in its quarter. */
function daysLeft(day: number): {month: number; quarter: number} {
  const iso = isoDay(day);
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const nextMonth = dayNumber(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`);
  const qm = Math.ceil(m / 3) * 3 + 1;
  const nextQuarter = dayNumber(qm > 12 ? `${y + 1}-01-01` : `${y}-${String(qm).padStart(2, "0")}-01`);
  return {month: nextMonth - day - 1, quarter: nextQuarter - day - 1};
}

/**
 * The "normal" pattern of a day, the part commits are sized on: weekday × seasonality (month-end and quarter-end
 * bumps, the holiday dip). Growth is applied by the caller (growthFactor).
 */
export function patternFactor(plan: SpendPlan, day: number): number {
  const h = plan.history;
  let f = h.weekday[weekdayOf(day)]!;
  if (h.monthEnd !== 0 || h.quarterEnd !== 0) {
    const left = daysLeft(day);
    if (left.month < 3) f *= 1 + h.monthEnd;
    if (left.quarter < 10) f *= 1 + h.quarterEnd;
  }
  if (h.holiday !== 0 && holiday(day)) f *= 1 - h.holiday;
  return f;
}

/** What sizing does not expect: the level's wander, spikes, spike-and-drop cycles and the late-term fade. */
export function eventFactor(plan: SpendPlan, day: number): number {
  const h = plan.history;
  let f = 1;
  if (h.wander > 0) {
    // Linear between seeded knots every 14 days: a slow, bounded drift of the level (±wander).
    const t = (day - h.wanderFrom) / 14;
    const k = Math.floor(t);
    const knot = (i: number) => (hashSeed(h.key, "wander", i) / 4294967296) * 2 - 1;
    f *= 1 + h.wander * (knot(k) + (knot(k + 1) - knot(k)) * (t - k));
  }
  for (const e of h.spikes) if (day >= e.from && day < e.to) f *= e.factor;
  const c = h.cycle;
  if (c && day >= c.from) {
    const phase = (day - c.from) % c.period;
    if (phase < c.spikeDays) f *= c.spike;
    else if (phase < c.spikeDays + c.dropDays) f *= c.drop;
  }
  const fade = h.fade;
  if (fade && day >= fade.from) f *= Math.max(fade.floor, 1 - ((1 - fade.floor) * (day - fade.from + 1)) / fade.days);
  return f;
}

/** Per-plan history attributes (SpendPlan.history). */
export interface PlanHistory {
  /** Hash key of the plan's seeded wander knots. */
  key: string;
  weekday: number[];
  monthEnd: number;
  quarterEnd: number;
  holiday: number;
  wander: number;
  wanderFrom: number;
  /** One-off spikes: usage × factor on [from, to). */
  spikes: Array<{from: number; to: number; factor: number}>;
  /** Repeated spike-and-drop from `from`: every `period` days, `spikeDays` × spike then `dropDays` × drop. */
  cycle: {from: number; period: number; spikeDays: number; spike: number; dropDays: number; drop: number} | null;
  /** Late-term fade: from `from`, usage falls linearly over `days` days to `floor` of its level and stays there. */
  fade: {from: number; days: number; floor: number} | null;
}

/** A flat history: no weekday pattern, seasonality or events (the scenario customers' default). */
export function flatHistory(key: string): PlanHistory {
  return {key, weekday: weekdayFactors("flat", 0, 1), monthEnd: 0, quarterEnd: 0, holiday: 0, wander: 0, wanderFrom: 0, spikes: [], cycle: null, fade: null};
}

/**
 * A seeded customer's history (its own rng stream, so its products and contracts do not move): ~75 % business
 * weekday pattern (weekend at 35–80 % of a weekday), ~15 % flat, ~10 % weekend-heavy; ~35 % a month-end bump of
 * 10–35 %, ~20 % a quarter-end push of 8–25 % over the last 10 days; everyone a 30 % holiday dip; a ±3–10 % wander
 * over two-week knots; ~15 % one or two one-off spikes (× 3–8 for 1–2 days); ~5 % repeated spike-and-drop.
 * Late-term fades are added once the contracts are known (withFade).
 */
export function seededHistory(seed: number, customerId: string, from: number, to: number, knobs: HistoryKnobs): PlanHistory {
  const rng = new Rng(seed, "history", customerId);
  const kind = rng.weighted<WeekdayKind>([["business", 75], ["flat", 15], ["weekend", 10]]);
  const depth = kind === "business" ? rng.uniform(0.2, 0.65) : kind === "weekend" ? rng.uniform(0.2, 0.6) : 0;
  const s = knobs.seasonality;
  const monthEnd = rng.chance(0.35) ? rng.uniform(0.1, 0.35) * s : 0;
  const quarterEnd = rng.chance(0.2) ? rng.uniform(0.08, 0.25) * s : 0;
  const wander = rng.uniform(0.03, 0.1) * knobs.noise;
  const spikes: PlanHistory["spikes"] = [];
  if (to > from && rng.chance(Math.min(1, 0.15 * knobs.events))) {
    for (let n = rng.int(1, 2); n > 0; n--) {
      const day = rng.int(from, to - 1);
      spikes.push({from: day, to: day + rng.int(1, 2), factor: rng.uniform(3, 8)});
    }
  }
  let cycle: PlanHistory["cycle"] = null;
  if (to > from && rng.chance(Math.min(1, 0.05 * knobs.events))) {
    cycle = {from: rng.int(from, Math.max(from, Math.min(to - 1, from + 120))), period: rng.int(9, 16), spikeDays: rng.int(1, 3), spike: rng.uniform(2.5, 4), dropDays: rng.int(3, 5), drop: rng.uniform(0.2, 0.5)};
  }
  return {key: `${seed}:${customerId}`, weekday: weekdayFactors(kind, depth, knobs.weekday), monthEnd, quarterEnd, holiday: 0.3 * s, wander, wanderFrom: from, spikes, cycle, fade: null};
}

/** ~7 % of customers with a commit let usage fade late in a term: from 55–75 % of it, to 8–25 % over 20–45 days. */
export function withFade(history: PlanHistory, seed: number, customerId: string, term: {start: number; end: number} | null, knobs: HistoryKnobs): PlanHistory {
  const rng = new Rng(seed, "fade", customerId);
  if (!term || !rng.chance(Math.min(1, 0.07 * knobs.events))) return history;
  const from = term.start + Math.round((term.end - term.start) * rng.uniform(0.55, 0.75));
  return {...history, fade: {from, days: rng.int(20, 45), floor: rng.uniform(0.08, 0.25)}};
}
