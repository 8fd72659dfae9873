// Forecast v2 of a segment's daily burn (docs/metrics.md, "Forecast v2"): pure arithmetic on one series, no I/O.
// level × weekday factor × damped trend for the point forecast; the spread of the forecast's own past errors at each
// horizon (errors.ts) for the interval. Every constant is here, named, so the docs and the tests can cite it.

export interface ForecastSettings {
  /** Days of the recent window whose clipped mean is the level. */
  levelDays: number;
  /** Days above clip × the window's median count as clip × median in the mean (robust to rare spikes, not to the usual busy days). */
  clip: number;
  /** Damping of the trend per day ahead (1: straight line; 0: flat from the origin). */
  phi: number;
  /** Share of the measured trend kept (a two-window slope is noisy: shrunk toward no trend). */
  trendWeight: number;
  /** Days at the start of a segment left out of the fit once it has 2 × skipDays of history (first-days spikes). */
  skipDays: number;
  /** Days of history (at most) the weekday factors are measured on. */
  weekdayDays: number;
  /** Weight of the portfolio's weekday pattern, in days of the segment's own: f = (k·own + w·portfolio) / (k + w). */
  weekdayPrior: number;
}

export const SETTINGS: ForecastSettings = {levelDays: 28, clip: 5, phi: 0.9, trendWeight: 0.25, skipDays: 7, weekdayDays: 56, weekdayPrior: 28};

export interface Fit {
  /** Deseasonalised daily burn at the origin (minor units per day). */
  level: number;
  /** Change of the level per day at the origin, before damping. */
  trend: number;
  /** Multiplicative weekday factors, Monday first, averaging 1. */
  weekday: number[];
}

/** Monday = 0 … Sunday = 6 of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The median (the mean of the two middle values of an even count); 0 when empty. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The mean once every value above clip × median is brought down to clip × median (the median itself when it is 0 or less stays unclipped). */
export function clippedMean(values: number[], clip: number): number {
  if (values.length === 0) return 0;
  const m = median(values);
  const ceiling = m > 0 ? clip * m : Infinity;
  return values.reduce((a, v) => a + Math.min(v, ceiling), 0) / values.length;
}

/** Factors scaled so that their mean is 1 (all 1 when they sum to 0). */
export function normalise(factors: number[]): number[] {
  const mean = factors.reduce((a, b) => a + b, 0) / factors.length;
  return mean > 0 ? factors.map((f) => f / mean) : factors.map(() => 1);
}

/**
 * Weekday factors of `burn` (burn[i] is the day firstDay + i): each weekday's mean over the overall mean, pooled with
 * the portfolio's factors: f = (k·own + prior·portfolio) / (k + prior), k the days of that weekday seen.
 */
export function weekdayFactors(burn: number[], firstDay: number, portfolio: number[], prior: number): number[] {
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  burn.forEach((b, i) => {
    const w = weekdayOf(firstDay + i);
    sums[w]! += b;
    counts[w]! += 1;
  });
  const mean = burn.reduce((a, b) => a + b, 0) / Math.max(1, burn.length);
  const own = sums.map((s, w) => (counts[w]! > 0 && mean > 0 ? s / counts[w]! / mean : portfolio[w]!));
  return normalise(own.map((o, w) => (counts[w]! * o + prior * portfolio[w]!) / (counts[w]! + prior)));
}

/**
 * Fits a segment's burn before the origin: `burn[i]` is day `firstDay + i`, the last being the day before the origin.
 * Null with no history. The level is the clipped mean of the last levelDays deseasonalised days, moved from the
 * window's centre to the origin by the trend; the trend is the difference between that mean and the previous
 * window's, per day (0 with less than 2 × levelDays of history).
 */
export function fitSegment(burn: number[], firstDay: number, portfolio: number[], settings: ForecastSettings = SETTINGS): Fit | null {
  if (burn.length === 0) return null;
  const skip = burn.length >= 2 * settings.skipDays ? settings.skipDays : 0;
  const start = Math.max(skip, burn.length - settings.weekdayDays);
  const weekday = weekdayFactors(burn.slice(start), firstDay + start, portfolio, settings.weekdayPrior);
  // Only the last two level windows are read: deseasonalise those days alone (the backtest fits thousands of times).
  const from = Math.max(skip, burn.length - 2 * settings.levelDays);
  const deseasonalised: number[] = [];
  // A weekday with a factor of 0 (no burn on it anywhere) says nothing of the level: left out.
  for (let i = from; i < burn.length; i++) {
    const f = weekday[weekdayOf(firstDay + i)]!;
    if (f > 0) deseasonalised.push(burn[i]! / f);
  }
  const n = deseasonalised.length;
  const window = Math.min(settings.levelDays, n);
  const recent = clippedMean(deseasonalised.slice(n - window), settings.clip);
  let trend = 0;
  if (n >= 2 * settings.levelDays) {
    const before = clippedMean(deseasonalised.slice(n - 2 * settings.levelDays, n - settings.levelDays), settings.clip);
    trend = (settings.trendWeight * (recent - before)) / settings.levelDays;
  }
  // The window's mean stands at its centre, (window - 1) / 2 days before its last day, which is 1 day before the origin.
  const level = Math.max(0, recent + trend * ((window - 1) / 2 + 1));
  return {level, trend, weekday};
}

/**
 * The daily point forecast for `days` days from the origin (origin day first): weekday factor × max(0, level +
 * trend·(φ + φ² + … + φ^h)) on the h-th day after the origin (h = 0 on the origin).
 */
export function dailyForecast(fit: Fit, originDay: number, days: number, phi: number = SETTINGS.phi): number[] {
  const out: number[] = [];
  let damped = 0;
  let power = 1;
  for (let h = 0; h < days; h++) {
    out.push(fit.weekday[weekdayOf(originDay + h)]! * Math.max(0, fit.level + fit.trend * damped));
    power *= phi;
    damped += power;
  }
  return out;
}

/** Running sums: cumulative[h] = values[0] + … + values[h]. */
export function cumulative(values: number[]): number[] {
  let total = 0;
  return values.map((v) => (total += v));
}

/** The baseline's run rate: mean burn of the last min(30, n) days (int_segment_pace), null with no history. */
export function baselineRate(burn: number[]): number | null {
  if (burn.length === 0) return null;
  const window = burn.slice(-30);
  return window.reduce((a, b) => a + b, 0) / window.length;
}
