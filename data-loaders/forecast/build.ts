// Forecast v2 and its backtest over one snapshot's daily burn (docs/forecast.md). Reads int_segments and
// int_segment_burn_days, replays weekly origins over the burn before each (the past errors that make the intervals),
// and writes int_forecast_segments (v2 at as_of, per segment) with int_forecast_daily (v2's P10/P50/P90 cumulative
// burn from as_of to each segment's end); the backtest writes int_forecast_backtest (both forecasts scored at each
// origin), which only the accuracy mart reads (so the alert replay, which needs pacing, does not run it).
import type {DuckDBConnection} from "@duckdb/node-api";
import {explainedError, loadTable, rows, type AppendType, type Cell} from "../lib/duckdb.js";
import {dayNumber, isoDay} from "../lib/dates.js";
import {at, errorQuantiles, exhaustProbability, expectedShortfall, HORIZONS, ratioQuantilesAt, type ErrorRatio} from "./errors.js";
import {baselineRate, cumulative, dailyForecast, fitSegment, normalise, SETTINGS, weekdayOf, type ForecastSettings} from "./model.js";

export interface Segment {
  customer_id: string;
  balance_id: string;
  segment_id: string;
  balance_type: string;
  credit_type_id: string;
  start: number;
  /** Exclusive; null when the segment has no end. */
  end: number | null;
  amount: number;
  /** burn[i]: burn on day start + i, for the days before as_of (and before the end). */
  burn: number[];
}

/** Horizons the backtest scores (days; "end" is the segment's end). */
export const SCORED_HORIZONS = [7, 30, 90] as const;

export interface BacktestOptions {
  /** First and last origin (day numbers); default: the 52 weekly origins ending 7 days before as_of. */
  from?: number;
  to?: number;
  every?: number;
}

export interface Series {
  asOf: number;
  segments: Segment[];
  /** Total burn of all segments per day, from firstDay, for the portfolio's weekday pattern. */
  firstDay: number;
  portfolio: number[];
}

/** One forecast at an origin: point forecast of the future days, and what the intervals need. */
interface OriginForecast {
  burned: number;
  /** The burn of the days before the origin. */
  history: number[];
  daily: number[];
}

export async function loadSeries(connection: DuckDBConnection): Promise<Series> {
  const [{as_of}] = (await rows<{as_of: string}>(connection, `select strftime(as_of, '%Y-%m-%d') as as_of from meterbook_params`)) as [{as_of: string}];
  const asOf = dayNumber(as_of);
  const meta = await rows<{customer_id: string; balance_id: string; segment_id: string; balance_type: string; credit_type_id: string; start_date: string; end_date: string | null; amount: number | null}>(connection, `
    select customer_id, balance_id, segment_id, balance_type, credit_type_id, strftime(start_date, '%Y-%m-%d') as start_date,
      strftime(end_date, '%Y-%m-%d') as end_date, amount_minor::double as amount
    from int_segments where start_date < (select as_of from meterbook_params) order by balance_id, segment_id`);
  const segments: Segment[] = meta.map((m) => {
    const start = dayNumber(m.start_date);
    const end = m.end_date === null ? null : dayNumber(m.end_date);
    return {...m, amount: Number(m.amount ?? 0), start, end, burn: new Array(Math.max(0, Math.min(end ?? asOf, asOf) - start)).fill(0)};
  });
  const byKey = new Map(segments.map((s) => [`${s.balance_id}\0${s.segment_id}`, s]));
  // Every segment day's burn, streamed a chunk at a time into the segments' arrays, in one order (sums of a day's rows
  // add up alike every run). Not a list per segment: DuckDB builds ordered lists in memory it cannot spill (~110 MiB
  // at 1,000 customers, ten times that at 10,000); its sort spills past the budget.
  const burnRows = await connection.stream(`
    select b.balance_id, b.segment_id, (b.date - date '1970-01-01')::integer as day, b.burn_minor::double as burn
    from int_segment_burn_days as b join int_segments as s using (balance_id, segment_id)
    where b.date >= s.start_date and (s.end_date is null or b.date < s.end_date) and b.date < (select as_of from meterbook_params)
    order by b.balance_id, b.segment_id, b.date, b.burn_minor`);
  try {
    for await (const chunk of burnRows.yieldRows()) {
      for (const [balance_id, segment_id, day, burn] of chunk as [string, string, number, number][]) {
        const s = byKey.get(`${balance_id}\0${segment_id}`);
        if (s) s.burn[day - s.start] = (s.burn[day - s.start] ?? 0) + burn;
      }
    }
  } catch (error) {
    throw await explainedError(connection, error); // a chunk's read (its sort spilling) fails outside the connection's promises
  }
  const firstDay = Math.min(asOf, ...segments.map((s) => s.start));
  const portfolio = new Array(asOf - firstDay).fill(0);
  for (const s of segments) s.burn.forEach((b, i) => (portfolio[s.start + i - firstDay] += b));
  return {asOf, segments, firstDay, portfolio};
}

/** The portfolio's weekday factors: each weekday's mean total burn over the weekdayDays before the origin, meaning 1. */
export function portfolioWeekday(series: Series, origin: number, settings: ForecastSettings): number[] {
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (let day = Math.max(series.firstDay, origin - settings.weekdayDays); day < origin; day++) {
    sums[weekdayOf(day)]! += series.portfolio[day - series.firstDay] ?? 0;
    counts[weekdayOf(day)]! += 1;
  }
  return normalise(sums.map((s, w) => (counts[w] ? s / counts[w]! : 0)));
}

/** v2's point forecast of a segment at an origin for `days` days, or null without history before the origin. */
function forecastAt(segment: Segment, origin: number, days: number, weekday: number[], settings: ForecastSettings): OriginForecast | null {
  const history = segment.burn.slice(0, origin - segment.start);
  const fit = fitSegment(history, segment.start, weekday, settings);
  if (!fit) return null;
  return {burned: history.reduce((a, b) => a + b, 0), history, daily: dailyForecast(fit, origin, days, settings.phi)};
}

/** Future burn actually seen from the origin, day by day, up to as_of and the segment's end, at most `days` days. */
function actualsFrom(segment: Segment, origin: number, days: number): number[] {
  return segment.burn.slice(origin - segment.start, origin - segment.start + days);
}

/** Weekly origins from the first week of history to as_of: where past errors are measured. */
export function libraryOrigins(series: Series): number[] {
  const origins: number[] = [];
  for (let d = series.asOf - 7; d > series.firstDay + 7; d -= 7) origins.push(d);
  return origins.reverse();
}

/** Every past forecast's error ratio at the grid horizons, with the day it became known. */
export function errorRatios(series: Series, settings: ForecastSettings = SETTINGS): ErrorRatio[] {
  const ratios: ErrorRatio[] = [];
  for (const origin of libraryOrigins(series)) {
    const weekday = portfolioWeekday(series, origin, settings);
    for (const segment of series.segments) {
      if (segment.start >= origin || (segment.end !== null && segment.end <= origin)) continue;
      const actual = cumulative(actualsFrom(segment, origin, HORIZONS.at(-1)!));
      if (actual.length === 0) continue;
      const point = forecastAt(segment, origin, actual.length, weekday, settings);
      if (!point) continue;
      const remaining = segment.amount - point.burned;
      const forecast = cumulative(point.daily).map((f) => capAt(remaining, f));
      HORIZONS.forEach((h, i) => {
        if (h > actual.length || forecast[h - 1]! <= 0) return;
        ratios.push({knownDay: origin + h, horizon: i, ratio: actual[h - 1]! / forecast[h - 1]!});
      });
    }
  }
  return ratios;
}

export interface BacktestRow {
  origin_date: string;
  balance_id: string;
  segment_id: string;
  customer_id: string;
  balance_type: string;
  credit_type_id: string;
  segment_age_days: number;
  horizon: string;
  horizon_days: number;
  method: "baseline" | "v2";
  amount_minor: number;
  burned_before_minor: number;
  forecast_minor: number;
  actual_minor: number;
  p10_minor: number | null;
  p90_minor: number | null;
  forecast_exhausts: boolean | null;
  actual_exhausts: boolean | null;
  forecast_exhaustion_date: string | null;
  actual_exhaustion_date: string | null;
  exhaust_probability: number | null;
}

/** Burn within this of the amount counts as exhausting it: 0.1 % of the amount, at least 1 minor unit (lines are rounded). */
export function exhaustionTolerance(amount: number): number {
  return Math.max(1, 0.001 * Math.abs(amount));
}

/**
 * A balance stops burning once exhausted (usage past it is billed on demand): v2's future burn is capped at what
 * remains, unless nothing remains at the origin (a balance drawn past zero keeps its own pace).
 */
export function capAt(remaining: number, future: number): number {
  return remaining > 0 ? Math.min(remaining, future) : future;
}

/** The first day (index into `cumulativeBurn`) on which burned + cumulative reaches amount, or null. */
export function crossing(burned: number, amount: number, cumulativeBurn: number[], days = cumulativeBurn.length): number | null {
  const threshold = amount - exhaustionTolerance(amount);
  for (let i = 0; i < Math.min(days, cumulativeBurn.length); i++) if (burned + cumulativeBurn[i]! >= threshold) return i;
  return null;
}

/** The baseline's exhaustion: the day index k − 1 of the least k with rate·k ≥ remaining, if within `days`. */
export function straightLineCrossing(remaining: number, rate: number, days: number): number | null {
  if (remaining <= 0) return 0;
  if (rate <= 0) return null;
  const k = Math.ceil(remaining / rate);
  return k <= days ? k - 1 : null;
}

/** The scoring origins: from..to every `every` days, or the 52 weeks before as_of. */
export function scoringOrigins(series: Series, options: BacktestOptions = {}): number[] {
  const every = options.every ?? 7;
  const to = options.to ?? series.asOf - 7;
  const from = options.from ?? to - 51 * every;
  const origins: number[] = [];
  for (let d = to; d >= from; d -= every) if (d > series.firstDay && d < series.asOf) origins.push(d);
  return origins.reverse();
}

/** Both forecasts at each origin, scored at 7, 30 and 90 days and at the segment's end where the actuals are known. */
export function backtest(series: Series, ratios: ErrorRatio[], options: BacktestOptions = {}, settings: ForecastSettings = SETTINGS): BacktestRow[] {
  return [...backtestRows(series, ratios, options, settings)];
}

/**
 * backtest's rows one at a time, origin by origin: at 1,000 customers they are about 440,000, which held as objects
 * (and then as the appender's cells) were hundreds of MB of JS heap at once, and a third of the replay's time in GC.
 */
export function* backtestRows(series: Series, ratios: ErrorRatio[], options: BacktestOptions = {}, settings: ForecastSettings = SETTINGS): Generator<BacktestRow> {
  for (const origin of scoringOrigins(series, options)) {
    const weekday = portfolioWeekday(series, origin, settings);
    const quantiles = errorQuantiles(ratios, origin);
    for (const segment of series.segments) {
      if (segment.start >= origin || (segment.end !== null && segment.end <= origin)) continue;
      const ends = segment.end !== null && segment.end <= series.asOf;
      // Days needed: the longest scored horizon, or the segment's end when it is known.
      const needed = Math.max(SCORED_HORIZONS.at(-1)!, ends ? segment.end! - origin : 0);
      const actual = cumulative(actualsFrom(segment, origin, needed));
      const point = forecastAt(segment, origin, actual.length, weekday, settings);
      const rate = point ? baselineRate(point.history) : null;
      if (!point || rate === null) continue;
      const remaining = segment.amount - point.burned;
      const forecast = cumulative(point.daily).map((f) => capAt(remaining, f));
      const horizons: Array<[string, number]> = [...SCORED_HORIZONS.map((h): [string, number] => [`${h}d`, h]), ...(ends ? [["end", segment.end! - origin] as [string, number]] : [])];
      for (const [horizon, h] of horizons) {
        if (h > actual.length || h < 1) continue;
        const base = {
          origin_date: isoDay(origin), balance_id: segment.balance_id, segment_id: segment.segment_id, customer_id: segment.customer_id,
          balance_type: segment.balance_type, credit_type_id: segment.credit_type_id, segment_age_days: origin - segment.start,
          horizon, horizon_days: h, amount_minor: segment.amount, burned_before_minor: point.burned, actual_minor: actual[h - 1]!
        };
        // Exhaustion is judged at the end only, for segments with something left at the origin.
        const judged = horizon === "end" && segment.amount > 0 && point.burned < segment.amount;
        const actualDay = judged ? crossing(point.burned, segment.amount, actual) : null;
        const baselineDay = judged ? straightLineCrossing(segment.amount - point.burned, rate, h) : null;
        yield {
          ...base, method: "baseline", forecast_minor: rate * h, p10_minor: null, p90_minor: null,
          forecast_exhausts: judged ? baselineDay !== null : null, actual_exhausts: judged ? actualDay !== null : null,
          forecast_exhaustion_date: baselineDay === null ? null : isoDay(origin + baselineDay),
          actual_exhaustion_date: actualDay === null ? null : isoDay(origin + actualDay), exhaust_probability: null
        };
        const q = ratioQuantilesAt(quantiles, h);
        const probability = judged ? exhaustProbability(remaining - exhaustionTolerance(segment.amount), forecast[h - 1]!, q) : null;
        const v2Day = judged ? crossing(point.burned, segment.amount, forecast, h) : null;
        yield {
          ...base, method: "v2", forecast_minor: forecast[h - 1]!, p10_minor: capAt(remaining, forecast[h - 1]! * at(q, 0.1)), p90_minor: capAt(remaining, forecast[h - 1]! * at(q, 0.9)),
          forecast_exhausts: judged ? probability! >= 0.5 : null, actual_exhausts: judged ? actualDay !== null : null,
          forecast_exhaustion_date: v2Day === null ? null : isoDay(origin + v2Day),
          actual_exhaustion_date: actualDay === null ? null : isoDay(origin + actualDay), exhaust_probability: probability
        };
      }
    }
  }
}

export interface SegmentForecast {
  balance_id: string;
  segment_id: string;
  history_days: number;
  level_minor: number;
  trend_minor: number;
  end_burn_p10_minor: number;
  end_burn_p50_minor: number;
  end_burn_p90_minor: number;
  exhaustion_date_p10: string | null;
  exhaustion_date_p50: string | null;
  exhaustion_date_p90: string | null;
  exhaust_probability: number | null;
  projected_true_up_minor: number | null;
  projected_breakage_minor: number | null;
}

export interface DailyForecast {
  balance_id: string;
  segment_id: string;
  date: string;
  p10_cumulative_minor: number;
  p50_cumulative_minor: number;
  p90_cumulative_minor: number;
}

/** v2 at as_of for each segment active then with an end: end-of-segment quantiles, exhaustion, true-up/breakage, daily paths. */
export function forecastNow(series: Series, ratios: ErrorRatio[], settings: ForecastSettings = SETTINGS): {segments: SegmentForecast[]; daily: DailyForecast[]} {
  const origin = series.asOf;
  const weekday = portfolioWeekday(series, origin, settings);
  const quantiles = errorQuantiles(ratios, origin);
  const segments: SegmentForecast[] = [];
  const daily: DailyForecast[] = [];
  for (const segment of series.segments) {
    if (segment.end === null || segment.start >= origin || segment.end <= origin) continue;
    const days = segment.end - origin;
    const history = segment.burn;
    const fit = fitSegment(history, segment.start, weekday, settings);
    if (!fit) continue;
    const burned = history.reduce((a, b) => a + b, 0);
    const remaining = segment.amount - burned;
    const path = cumulative(dailyForecast(fit, origin, days, settings.phi)).map((f) => capAt(remaining, f));
    const paths = {p10: [] as number[], p50: [] as number[], p90: [] as number[]};
    path.forEach((f, i) => {
      const q = ratioQuantilesAt(quantiles, i + 1);
      const row = {p10: burned + capAt(remaining, f * at(q, 0.1)), p50: burned + capAt(remaining, f * at(q, 0.5)), p90: burned + capAt(remaining, f * at(q, 0.9))};
      paths.p10.push(row.p10);
      paths.p50.push(row.p50);
      paths.p90.push(row.p90);
      daily.push({balance_id: segment.balance_id, segment_id: segment.segment_id, date: isoDay(origin + i), p10_cumulative_minor: row.p10, p50_cumulative_minor: row.p50, p90_cumulative_minor: row.p90});
    });
    const endQ = ratioQuantilesAt(quantiles, days);
    const pastDay = segment.amount > 0 ? crossing(0, segment.amount, cumulative(history)) : null;
    // The early date comes from the high path: P10 of the date is where P90 of burn crosses the amount.
    const dateOf = (p: number[]) => {
      if (segment.amount <= 0) return null;
      if (pastDay !== null) return isoDay(segment.start + pastDay);
      const i = crossing(0, segment.amount, p);
      return i === null ? null : isoDay(origin + i);
    };
    const shortfall = segment.amount > 0 ? expectedShortfall(remaining, path[days - 1]!, endQ) : null;
    segments.push({
      balance_id: segment.balance_id, segment_id: segment.segment_id, history_days: history.length, level_minor: fit.level, trend_minor: fit.trend,
      end_burn_p10_minor: paths.p10[days - 1]!, end_burn_p50_minor: paths.p50[days - 1]!, end_burn_p90_minor: paths.p90[days - 1]!,
      exhaustion_date_p10: dateOf(paths.p90), exhaustion_date_p50: dateOf(paths.p50), exhaustion_date_p90: dateOf(paths.p10),
      exhaust_probability: segment.amount > 0 ? exhaustProbability(remaining - exhaustionTolerance(segment.amount), path[days - 1]!, endQ) : null,
      projected_true_up_minor: segment.balance_type === "postpaid" ? shortfall : null,
      projected_breakage_minor: segment.balance_type !== "postpaid" ? shortfall : null
    });
  }
  return {segments, daily};
}

const BACKTEST_COLUMNS: Array<[keyof BacktestRow, AppendType]> = [
  ["origin_date", "VARCHAR"], ["balance_id", "VARCHAR"], ["segment_id", "VARCHAR"], ["customer_id", "VARCHAR"], ["balance_type", "VARCHAR"],
  ["credit_type_id", "VARCHAR"], ["segment_age_days", "INTEGER"], ["horizon", "VARCHAR"], ["horizon_days", "INTEGER"], ["method", "VARCHAR"],
  ["amount_minor", "DOUBLE"], ["burned_before_minor", "DOUBLE"], ["forecast_minor", "DOUBLE"], ["actual_minor", "DOUBLE"], ["p10_minor", "DOUBLE"],
  ["p90_minor", "DOUBLE"], ["forecast_exhausts", "BOOLEAN"], ["actual_exhausts", "BOOLEAN"], ["forecast_exhaustion_date", "VARCHAR"],
  ["actual_exhaustion_date", "VARCHAR"], ["exhaust_probability", "DOUBLE"]
];
const SEGMENT_COLUMNS: Array<[keyof SegmentForecast, AppendType]> = [
  ["balance_id", "VARCHAR"], ["segment_id", "VARCHAR"], ["history_days", "INTEGER"], ["level_minor", "DOUBLE"], ["trend_minor", "DOUBLE"],
  ["end_burn_p10_minor", "DOUBLE"], ["end_burn_p50_minor", "DOUBLE"], ["end_burn_p90_minor", "DOUBLE"], ["exhaustion_date_p10", "VARCHAR"],
  ["exhaustion_date_p50", "VARCHAR"], ["exhaustion_date_p90", "VARCHAR"], ["exhaust_probability", "DOUBLE"], ["projected_true_up_minor", "DOUBLE"],
  ["projected_breakage_minor", "DOUBLE"]
];
const DAILY_COLUMNS: Array<[keyof DailyForecast, AppendType]> = [
  ["balance_id", "VARCHAR"], ["segment_id", "VARCHAR"], ["date", "VARCHAR"], ["p10_cumulative_minor", "DOUBLE"], ["p50_cumulative_minor", "DOUBLE"], ["p90_cumulative_minor", "DOUBLE"]
];

/** Loads JS rows (an array or a generator, appended as they come) as a table, then casts its ISO date columns to DATE. */
async function write<T>(connection: DuckDBConnection, name: string, columns: Array<[keyof T, AppendType]>, data: Iterable<T>, dates: string[]): Promise<void> {
  const cells = function* () {
    for (const r of data) yield columns.map(([c]) => (r[c] as Cell) ?? null);
  };
  await loadTable(connection, `${name}_raw`, columns as Array<[string, AppendType]>, cells());
  const replace = dates.length ? `replace (${dates.map((d) => `${d}::date as ${d}`).join(", ")})` : "";
  await connection.run(`create or replace table ${name} as select * ${replace} from ${name}_raw; drop table ${name}_raw`);
}

/** Writes the backtest's scored rows (int_forecast_backtest) for the given origins. */
export async function writeBacktest(connection: DuckDBConnection, series: Series, ratios: ErrorRatio[], options: BacktestOptions = {}): Promise<void> {
  await write(connection, "int_forecast_backtest", BACKTEST_COLUMNS, backtestRows(series, ratios, options), ["origin_date", "forecast_exhaustion_date", "actual_exhaustion_date"]);
}

/** The model build of int_forecast_segments and int_forecast_daily: v2 at as_of, its intervals from the past errors. */
export async function buildForecast(connection: DuckDBConnection): Promise<void> {
  const series = await loadSeries(connection);
  const now = forecastNow(series, errorRatios(series));
  await write(connection, "int_forecast_segments", SEGMENT_COLUMNS, now.segments, ["exhaustion_date_p10", "exhaustion_date_p50", "exhaustion_date_p90"]);
  await write(connection, "int_forecast_daily", DAILY_COLUMNS, now.daily, ["date"]);
}

/** The model build of int_forecast_backtest: both forecasts replayed at the origins (default: 52 weekly ones). */
export async function buildBacktest(connection: DuckDBConnection, options: BacktestOptions = {}): Promise<void> {
  const series = await loadSeries(connection);
  await write(connection, "int_forecast_backtest", BACKTEST_COLUMNS, backtestRows(series, errorRatios(series), options), ["origin_date", "forecast_exhaustion_date", "actual_exhaustion_date"]);
}

/** The build of int_forecast_daily, which buildForecast writes beside int_forecast_segments: it must be there already. */
export async function forecastDailyBuilt(connection: DuckDBConnection): Promise<void> {
  await rows(connection, `select 1 from int_forecast_daily limit 0`);
}
