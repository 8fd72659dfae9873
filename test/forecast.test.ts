// Hand-computed cases for forecast v2 (data-loaders/forecast/): level, weekday factors, damped trend, the interval's
// error quantiles, exhaustion probability, true-up/breakage, and the backtest's scoring on a made-up series.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {dayNumber} from "../data-loaders/lib/dates.js";
import {at, errorQuantiles, exhaustProbability, expectedShortfall, HORIZONS, LEVELS, MIN_RATIOS, quantileSorted, ratioQuantilesAt} from "../data-loaders/forecast/errors.js";
import {backtest, capAt, crossing, forecastNow, straightLineCrossing, type Series} from "../data-loaders/forecast/build.js";
import {clippedMean, dailyForecast, fitSegment, median, SETTINGS, weekdayFactors, weekdayOf} from "../data-loaders/forecast/model.js";

const FLAT = [1, 1, 1, 1, 1, 1, 1];
const MONDAY = dayNumber("2026-01-05");

describe("weekdayOf(day)", () => {
  it("is 0 on a Monday and 6 on a Sunday", () => {
    assert.equal(weekdayOf(MONDAY), 0);
    assert.equal(weekdayOf(dayNumber("2026-01-11")), 6);
  });
});

describe("clippedMean(values, clip)", () => {
  it("brings a spike down to clip × median before the mean", () => {
    // median 10, ceiling 30: (10 + 10 + 10 + 30) / 4 = 15
    assert.equal(clippedMean([10, 10, 10, 100], 3), 15);
  });
  it("keeps the usual busy days (below the ceiling) whole", () => {
    assert.equal(clippedMean([10, 20, 10, 20], 3), 15);
  });
  it("is 0 for no values, and the median of an even count is the mean of the middle two", () => {
    assert.equal(clippedMean([], 3), 0);
    assert.equal(median([1, 3, 2, 4]), 2.5);
  });
});

describe("weekdayFactors(burn, firstDay, portfolio, prior)", () => {
  it("with no prior weight gives each weekday's mean over the overall mean", () => {
    // Two weeks: weekdays burn 12, weekend 6. Mean = (5·12 + 2·6)/7 = 72/7; weekday factor 12/(72/7) = 7/6, weekend 7/12.
    const week = [12, 12, 12, 12, 12, 6, 6];
    const f = weekdayFactors([...week, ...week], MONDAY, FLAT, 0);
    assert.ok(Math.abs(f[0]! - 7 / 6) < 1e-12);
    assert.ok(Math.abs(f[6]! - 7 / 12) < 1e-12);
  });
  it("pools toward the portfolio's pattern: (k·own + w·portfolio)/(k + w), then means 1", () => {
    // One week (k = 1 each), prior 1, flat portfolio: (7/6 + 1)/2 = 13/12 weekdays, (7/12 + 1)/2 = 19/24 weekend;
    // their mean is (5·26 + 2·19)/(7·24) = 168/168 = 1, so no rescaling.
    const f = weekdayFactors([12, 12, 12, 12, 12, 6, 6], MONDAY, FLAT, 1);
    assert.ok(Math.abs(f[0]! - 13 / 12) < 1e-12);
    assert.ok(Math.abs(f[5]! - 19 / 24) < 1e-12);
  });
});

describe("fitSegment(burn, firstDay, portfolio, settings)", () => {
  const settings = {...SETTINGS, levelDays: 7, clip: 5, skipDays: 7, weekdayDays: 56, weekdayPrior: 1e12, trendWeight: 1, phi: 1};

  it("is null without history", () => {
    assert.equal(fitSegment([], MONDAY, FLAT, settings), null);
  });
  it("finds a flat level and no trend on a constant series", () => {
    const fit = fitSegment(new Array(21).fill(5), MONDAY, FLAT, settings)!;
    assert.equal(fit.level, 5);
    assert.equal(fit.trend, 0);
  });
  it("measures the trend between the last two windows and moves the level to the origin", () => {
    // 21 days, the first 7 skipped (the segment's first days). Then 7 days of 10 and 7 of 17: trend (17 − 10)/7 = 1 a
    // day; the last window's centre is (7 − 1)/2 + 1 = 4 days before the origin, so the level there is 17 + 4 = 21.
    const burn = [...new Array(7).fill(500), ...new Array(7).fill(10), ...new Array(7).fill(17)];
    const fit = fitSegment(burn, MONDAY, FLAT, settings)!;
    assert.equal(fit.trend, 1);
    assert.equal(fit.level, 21);
  });
  it("stays finite when some weekday has no burn anywhere (its factor is 0)", () => {
    // Burn on Mondays only: the other weekdays' factors are 0 and their days are left out of the level.
    const burn = Array.from({length: 21}, (_, i) => (i % 7 === 0 ? 70 : 0));
    const fit = fitSegment(burn, MONDAY, [7, 0, 0, 0, 0, 0, 0], {...settings, trendWeight: 0})!;
    assert.equal(fit.level, 10);
    assert.deepEqual(dailyForecast(fit, MONDAY + 21, 2, 1), [70, 0]);
  });
  it("ignores a first-days spike once the segment has twice skipDays of history", () => {
    const burn = [1000, 1000, 1000, 8, 8, 8, 8, ...new Array(7).fill(8)];
    assert.equal(fitSegment(burn, MONDAY, FLAT, {...settings, trendWeight: 0})!.level, 8);
  });
});

describe("dailyForecast(fit, originDay, days, phi)", () => {
  it("applies the weekday factor and a trend damped by φ + φ² + … on the h-th day", () => {
    // level 10, trend 2, φ = 0.5: day 0 → 10; day 1 → 10 + 2·0.5 = 11; day 2 → 10 + 2·0.75 = 11.5; Saturday factor 0.5.
    const weekday = [1, 1, 1, 1, 1, 0.5, 1.5];
    const thursday = dayNumber("2026-01-08");
    assert.deepEqual(dailyForecast({level: 10, trend: 2, weekday}, thursday, 3, 0.5), [10, 11, 11.5 * 0.5]);
  });
  it("never forecasts a negative day", () => {
    assert.deepEqual(dailyForecast({level: 1, trend: -5, weekday: FLAT}, MONDAY, 2, 1), [1, 0]);
  });
});

describe("errorQuantiles(ratios, day) and ratioQuantilesAt(quantiles, h)", () => {
  const ratios = Array.from({length: 101}, (_, i) => ({knownDay: 100, horizon: HORIZONS.indexOf(30), ratio: 0.5 + i / 100}));

  it("uses only the ratios known by the day", () => {
    assert.equal(errorQuantiles(ratios, 99)[HORIZONS.indexOf(30)], null);
    const q = errorQuantiles(ratios, 100)[HORIZONS.indexOf(30)]!;
    // 101 evenly spaced ratios 0.50 … 1.50: the p-quantile is 0.5 + p.
    assert.ok(Math.abs(at(q, 0.1) - 0.6) < 1e-12);
    assert.ok(Math.abs(at(q, 0.9) - 1.4) < 1e-12);
  });
  it("widens as √(h/h0) past the longest horizon with enough ratios", () => {
    const q = ratioQuantilesAt(errorQuantiles(ratios, 100), 120);
    // 1 + (0.6 − 1)·√(120/30) = 1 − 0.8 = 0.2
    assert.ok(Math.abs(at(q, 0.1) - 0.2) < 1e-12);
  });
  it("falls back to the default spread with no ratio at all", () => {
    const q = ratioQuantilesAt(errorQuantiles([], 100), 30);
    assert.ok(Math.abs(at(q, 0.5) - 1) < 1e-9);
    assert.equal(q.length, LEVELS.length);
  });
  it("interpolates order statistics (type 7)", () => {
    assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  });
  it("needs MIN_RATIOS ratios at a horizon", () => {
    assert.equal(errorQuantiles(ratios.slice(0, MIN_RATIOS - 1), 100)[HORIZONS.indexOf(30)], null);
  });
});

describe("exhaustProbability(remaining, forecast, quantiles) and expectedShortfall(…)", () => {
  const q = LEVELS.map((p) => 0.5 + p); // ratios 0.51 … 1.49

  it("is the share of quantile levels whose burn reaches what remains", () => {
    // forecast 100, remaining 120: ratio ≥ 1.2 for p ≥ 0.70, i.e. 30 of 99 levels.
    assert.equal(exhaustProbability(120, 100, q), 30 / 99);
  });
  it("is 1 when nothing remains and 0 when nothing will burn", () => {
    assert.equal(exhaustProbability(0, 100, q), 1);
    assert.equal(exhaustProbability(50, 0, q), 0);
  });
  it("stays between 0 and 1 however large the forecast", () => {
    assert.equal(exhaustProbability(1, 1e12, q), 1);
    assert.equal(exhaustProbability(1e12, 1, q), 0);
  });
  it("expects the unused part at the end: the mean of max(0, remaining − forecast × ratio)", () => {
    // One certain ratio of 1: remaining 100, forecast 60 → 40 unused (breakage, or the postpaid true-up).
    assert.equal(expectedShortfall(100, 60, [1, 1, 1]), 40);
    // Ratios 0.5, 1, 1.5 on a forecast of 100, remaining 100: (50 + 0 + 0)/3.
    assert.equal(expectedShortfall(100, 100, [0.5, 1, 1.5]), 50 / 3);
  });
});

describe("crossing(burned, amount, cumulative), straightLineCrossing and capAt", () => {
  it("finds the first day burn reaches the amount, within 0.1 % of it", () => {
    assert.equal(crossing(0, 1000, [400, 800, 999.5, 1200]), 2);
    assert.equal(crossing(0, 1000, [400, 800]), null);
  });
  it("gives the baseline's day: least k with rate·k ≥ remaining, as an index", () => {
    assert.equal(straightLineCrossing(100, 30, 10), 3);
    assert.equal(straightLineCrossing(100, 30, 3), null);
  });
  it("caps future burn at what remains, unless nothing remains", () => {
    assert.equal(capAt(50, 80), 50);
    assert.equal(capAt(-10, 80), 80);
  });
});

/** A portfolio of one or more flat segments from 2026-01-05 (a Monday), as of `asOf`. */
function series(segments: Array<{burn: number[]; amount: number; end: number; type?: string}>, asOf: number): Series {
  const firstDay = MONDAY;
  const made = segments.map((s, i) => ({customer_id: "c", balance_id: `b${i}`, segment_id: `s${i}`, balance_type: s.type ?? "prepaid", credit_type_id: "USD", start: firstDay, end: s.end, amount: s.amount, burn: s.burn}));
  const portfolio = new Array(asOf - firstDay).fill(0);
  for (const s of made) s.burn.forEach((b, i) => (portfolio[i] += b));
  return {asOf, segments: made, firstDay, portfolio};
}

describe("backtest(series, ratios, options)", () => {
  it("scores both methods at 7 and 30 days on a flat series: no error, full coverage", () => {
    const s = series([{burn: new Array(70).fill(10), amount: 1e9, end: MONDAY + 400}], MONDAY + 70);
    const rows = backtest(s, [], {from: MONDAY + 35, to: MONDAY + 35});
    const at30 = rows.filter((r) => r.horizon === "30d");
    assert.deepEqual(at30.map((r) => [r.method, r.forecast_minor, r.actual_minor]), [["baseline", 300, 300], ["v2", 300, 300]]);
    const v2 = at30.find((r) => r.method === "v2")!;
    assert.ok(v2.p10_minor! <= 300 && 300 <= v2.p90_minor!);
    assert.equal(rows.filter((r) => r.horizon === "90d").length, 0);
  });
  it("judges exhaustion at the end: the day the burn reached the amount, predicted and actual", () => {
    // 10 a day, amount 400, segment of 50 days, origin day 20 (200 burned): exhaustion on day 39 (index 19 from the origin).
    const s = series([{burn: new Array(40).fill(10).concat(new Array(10).fill(0)), amount: 400, end: MONDAY + 50}], MONDAY + 60);
    const end = backtest(s, [], {from: MONDAY + 20, to: MONDAY + 20}).filter((r) => r.horizon === "end");
    for (const r of end) {
      assert.equal(r.actual_exhausts, true);
      assert.equal(r.forecast_exhausts, true);
      assert.equal(r.actual_exhaustion_date, "2026-02-13");
      assert.equal(r.forecast_exhaustion_date, "2026-02-13");
    }
    // v2 stops at the amount as the balance does; the baseline's straight line runs past it (200 + 10·30 = 500).
    assert.equal(end.find((r) => r.method === "v2")!.forecast_minor, 200);
    assert.equal(end.find((r) => r.method === "baseline")!.forecast_minor, 300);
  });
});

describe("forecastNow(series, ratios)", () => {
  it("projects breakage of a prepaid commit and true-up of a postpaid one from a flat burn", () => {
    // 10 a day for 30 days, as of day 30, end day 60: 300 burned, 300 more to come → 600 at the end. Amount 1000:
    // 400 unused. With no past error the default spread is symmetric around 1, so the P50 is 600 exactly.
    const s = series([{burn: new Array(30).fill(10), amount: 1000, end: MONDAY + 60}, {burn: new Array(30).fill(10), amount: 1000, end: MONDAY + 60, type: "postpaid"}], MONDAY + 30);
    const {segments, daily} = forecastNow(s, []);
    const [prepaid, postpaid] = segments;
    assert.ok(Math.abs(prepaid!.end_burn_p50_minor - 600) < 1e-6);
    assert.ok(prepaid!.end_burn_p10_minor < 600 && prepaid!.end_burn_p90_minor > 600);
    assert.equal(prepaid!.projected_true_up_minor, null);
    assert.equal(postpaid!.projected_breakage_minor, null);
    // The expected shortfall is at least the shortfall of the median (the cap makes it convex) and at most the amount.
    assert.ok(prepaid!.projected_breakage_minor! >= 400 - 1e-6 && prepaid!.projected_breakage_minor! <= 1000);
    assert.equal(postpaid!.projected_true_up_minor, prepaid!.projected_breakage_minor);
    assert.equal(prepaid!.exhaust_probability, 0);
    assert.equal(daily.filter((d) => d.balance_id === "b0").length, 30);
  });
  it("gives a segment already exhausted a chance of 1 and its past exhaustion date", () => {
    const s = series([{burn: new Array(30).fill(10), amount: 100, end: MONDAY + 60}], MONDAY + 30);
    const [segment] = forecastNow(s, []).segments;
    assert.equal(segment!.exhaust_probability, 1);
    assert.equal(segment!.exhaustion_date_p50, "2026-01-14");
    assert.equal(segment!.projected_breakage_minor, 0);
  });
});

describe("parseEvery(text) and formatAccuracy(run)", () => {
  it("reads --every as days, with or without the d", async () => {
    const {parseEvery} = await import("../data-loaders/forecast/backtest.js");
    assert.equal(parseEvery("7d"), 7);
    assert.equal(parseEvery("14"), 14);
    assert.throws(() => parseEvery("weekly"), /--every/);
    assert.throws(() => parseEvery("0d"), /--every/);
  });
  it("prints one line per slice × horizon × method, nulls as dashes", async () => {
    const {formatAccuracy} = await import("../data-loaders/forecast/backtest.js");
    const row = {method: "v2", horizon: "30d", slice_kind: "all", slice: "all", origins: 52, pairs: 10, wape_pct: 8.25, bias_pct: -3.2, coverage_p10_p90_pct: 81.5, exhaustion_judged: 0, exhaustion_mae_days: null, exhaustion_precision_pct: null, exhaustion_recall_pct: null};
    const lines = formatAccuracy({asOf: "2026-10-15", rows: [row], seconds: 3, replaySeconds: 1}).split("\n");
    assert.equal(lines[0], "backtest as of 2026-10-15: 52 origins in 3.0 s (staging once and the burn models 2.0 s, replay and scoring 1.0 s)");
    assert.match(lines[2]!, /^all\s+30d\s+v2\s+10\s+8\.3 %\s+-3\.2 %\s+81\.5 %\s+—\s+—\s+—$/);
  });
});
