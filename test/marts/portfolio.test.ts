// The portfolio marts (data-loaders/models/marts/mart_*.sql) on hand-computed exports: commit under
// management, customer status, revenue month to date, movers, usage growth and top customers. Worked out in comments.
import assert from "node:assert/strict";
import {before, describe, it} from "node:test";
import type {Row} from "../fixtures/export-builder.js";
import {EUR, paceTables, snapshotMarts, type Burn, type MartRows} from "../fixtures/pace-export.js";

const env = {environment_type: "PRODUCTION", updated_at: "2026-01-01T00:00:00Z"};
const round = (v: unknown, digits = 6) => (v === null ? null : Math.round(Number(v) * 10 ** digits) / 10 ** digits);

/** Revenue and usage lines that burn no commit (commit null), so any day and credit type may carry them. */
const line = (date: string, total: number, extra: Partial<Burn> = {}): Burn => ({date, total, commit: null, ...extra});

/** Moves the lines of the invoices named `inv_c2*` to a second customer, cus_2, and sets metrics by product. */
function withSecondCustomer(tables: Record<string, Row[]>, metricOf: (line: Row) => string = () => "bm_1"): Record<string, Row[]> {
  tables.customer!.push({...env, id: "cus_2", name: "Second Co"});
  tables.billable_metric!.push({...env, id: "bm_2", name: "Requests"});
  for (const table of ["invoice", "breakdowns_invoices"]) for (const r of tables[table]!) if (String(r.invoice_id ?? r.id).startsWith("inv_c2")) r.customer_id = "cus_2";
  for (const r of tables.breakdowns_line_items!) r.billable_metric_id = metricOf(r);
  return tables;
}

describe("portfolio_commit and customer_status", () => {
  // Three segments of one balance active on 2026-03-11 (elapsed 10 of 100 days; expected 10 % of the amount), burn
  // tagged to each: a 1000 → expected 100, burned 150 (150 %: over); b 1000 → burned 50 (50 %: under);
  // c 2000 → expected 200, burned 200 (100 %: on track). A fourth ended on 2026-03-01: not active.
  let commit: MartRows;
  let status: MartRows;
  before(async () => {
    const segments = [
      {id: "a", start: "2026-03-01", end: "2026-06-09", amount: 1000},
      {id: "b", start: "2026-03-01", end: "2026-06-09", amount: 1000},
      {id: "c", start: "2026-03-01", end: "2026-06-09", amount: 2000},
      {id: "old", start: "2026-02-01", end: "2026-03-01", amount: 500}
    ];
    const burns = [{date: "2026-03-02", total: 150, segment: "a"}, {date: "2026-03-02", total: 50, segment: "b"}, {date: "2026-03-02", total: 200, segment: "c"}];
    const {mart} = await snapshotMarts(paceTables({segments, burns}), "2026-03-11");
    commit = await mart("portfolio_commit");
    status = await mart("customer_status");
  });

  it("portfolio_commit: amount and burn of the active segments only, per credit type", () => {
    // 1000 + 1000 + 2000 = 4000; burned 150 + 50 + 200 = 400: 10 %.
    assert.deepEqual(commit.map((r) => [r.amount_minor, r.burned_to_date_minor, r.active_segments, round(r.burned_pct)]), [["4000.000000000", "400.000000000", 3, 10]]);
  });

  it("customer_status: the worst active segment's status — over beats under and on track", () => {
    assert.deepEqual(status.map((r) => [r.customer_id, r.status, r.active_segments, r.over_segments, r.under_segments]), [["cus_1", "over", 3, 1, 1]]);
  });

  it("customer_status: under beats on track; a customer with no active segment has no row", async () => {
    const segments = [{id: "b", start: "2026-03-01", end: "2026-06-09", amount: 1000}, {id: "c", start: "2026-03-01", end: "2026-06-09", amount: 2000}];
    const {mart} = await snapshotMarts(paceTables({segments, burns: [{date: "2026-03-02", total: 50, segment: "b"}, {date: "2026-03-02", total: 200, segment: "c"}]}), "2026-03-11");
    assert.deepEqual((await mart("customer_status")).map((r) => r.status), ["under"]);
    const ended = await snapshotMarts(paceTables({segments: [{id: "old", start: "2026-02-01", end: "2026-03-01", amount: 500}], burns: []}), "2026-03-11");
    assert.deepEqual(await ended.mart("customer_status"), []);
  });
});

describe("revenue_month_to_date", () => {
  const segments = [{id: "s", start: "2026-01-01", end: "2027-01-01", amount: 36500}];

  it("mid-month: [month start, as_of) against the same days of the previous month", async () => {
    // as_of 2026-03-15: this month [03-01, 03-15), 14 days: 200 (03-01) + 10 (03-14) = 210; 03-15 is not counted.
    // Last month [02-01, 02-15): 100 (02-01) + 50 (02-14) = 150; 02-15 is not counted. Change 60 = +40 %.
    const burns = [line("2026-02-01", 100), line("2026-02-14", 50), line("2026-02-15", 7), line("2026-03-01", 200), line("2026-03-14", 10), line("2026-03-15", 999)];
    const {mart} = await snapshotMarts(paceTables({segments, burns}), "2026-03-15");
    const [r] = await mart("revenue_month_to_date");
    assert.deepEqual([r!.month_start_date, r!.days, r!.previous_start_date, r!.previous_end_date, r!.month_to_date_minor, r!.previous_minor, r!.change_minor, round(r!.change_pct)],
      ["2026-03-01", 14, "2026-02-01", "2026-02-15", "210.000000000", "150.000000000", "60.000000000", 40]);
  });

  it("on a month's last day the previous window is capped at the previous month's end", async () => {
    // as_of 2026-03-31: 30 days of March [03-01, 03-31); February has 28, so last month is all of it [02-01, 03-01):
    // 100 + 50 = 150 (02-28 counts). March: 200 + 10 (03-30) = 210; 03-31 is as_of.
    const burns = [line("2026-02-01", 100), line("2026-02-28", 50), line("2026-03-01", 200), line("2026-03-30", 10), line("2026-03-31", 999)];
    const {mart} = await snapshotMarts(paceTables({segments, burns}), "2026-03-31");
    const [r] = await mart("revenue_month_to_date");
    assert.deepEqual([r!.days, r!.previous_start_date, r!.previous_end_date, r!.month_to_date_minor, r!.previous_minor], [30, "2026-02-01", "2026-03-01", "210.000000000", "150.000000000"]);
  });

  it("a credit type with no revenue last month: previous 0, change % null (not infinite); as_of on the 1st: empty windows", async () => {
    // EUR revenue only in March; as_of 2026-03-15 → previous 0, change_pct null.
    const burns = [line("2026-02-03", 100), line("2026-03-02", 30, {creditType: EUR, invoice: "inv_eur"}), line("2026-03-03", 100)];
    const {mart} = await snapshotMarts(paceTables({segments, burns}), "2026-03-15");
    const eur = (await mart("revenue_month_to_date")).find((r) => r.credit_type_id === EUR.id)!;
    assert.deepEqual([eur.month_to_date_minor, eur.previous_minor, eur.change_minor, eur.change_pct], ["30.000000000", "0.000000000", "30.000000000", null]);
    // as_of 2026-03-01: this month has 0 days before as_of; last month's window [02-01, 02-01) is empty too.
    const first = await snapshotMarts(paceTables({segments, burns}), "2026-03-01");
    const usd = (await first.mart("revenue_month_to_date")).find((r) => r.credit_type_id !== EUR.id)!;
    assert.deepEqual([usd.days, usd.previous_end_date, usd.month_to_date_minor, usd.previous_minor, usd.change_pct], [0, "2026-02-01", "0.000000000", "0.000000000", null]);
  });
});

describe("revenue_movers", () => {
  // as_of 2026-03-15. Window 7: current [03-08, 03-15), previous [03-01, 03-08).
  // p_a: previous 100 (03-01), current 300 (03-08): +200, +200 %. p_b: previous 0, current 200 (03-14): +200, null %.
  // p_c: previous 50 (03-07), current 0: −50. p_a and p_b tie on |change| = 200: by name, p_a first.
  // 03-15 (as_of) and 02-28 (before the previous window) count in neither.
  // The customer cus_1: current 300 + 200 = 500, previous 100 + 50 = 150: +350.
  let rows: MartRows;
  before(async () => {
    const burns = [
      line("2026-02-28", 1000, {product: "p_a"}), line("2026-03-01", 100, {product: "p_a"}), line("2026-03-08", 300, {product: "p_a"}),
      line("2026-03-14", 200, {product: "p_b"}), line("2026-03-07", 50, {product: "p_c"}), line("2026-03-15", 999, {product: "p_c"})
    ];
    const {mart} = await snapshotMarts(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns}), "2026-03-15");
    rows = await mart("revenue_movers", "true", "window_days, dimension, change_rank");
  });

  it("the 7-day window's periods, inclusive first and last days", () => {
    const r = rows.find((r) => r.window_days === 7)!;
    assert.deepEqual([r.current_start_date, r.current_last_date, r.previous_start_date, r.previous_last_date], ["2026-03-08", "2026-03-14", "2026-03-01", "2026-03-07"]);
  });

  it("products: change, change % (null without previous revenue), rank with ties broken by name", () => {
    const products = rows.filter((r) => r.window_days === 7 && r.dimension === "product");
    assert.deepEqual(products.map((r) => [r.entity_name, r.previous_minor, r.current_minor, r.change_minor, round(r.change_pct), r.change_rank]), [
      ["p_a", "100.000000000", "300.000000000", "200.000000000", 200, 1],
      ["p_b", "0.000000000", "200.000000000", "200.000000000", null, 2],
      ["p_c", "50.000000000", "0.000000000", "-50.000000000", -100, 3]
    ]);
  });

  it("customers: one row per customer with the customer's label", () => {
    const customers = rows.filter((r) => r.window_days === 7 && r.dimension === "customer");
    assert.deepEqual(customers.map((r) => [r.entity_id, r.entity_name, r.previous_minor, r.current_minor, r.change_minor]), [["cus_1", "Pace Co", "150.000000000", "500.000000000", "350.000000000"]]);
  });

  it("the 30-day window: current [02-13, 03-15) takes in 02-28's 1000; previous [01-14, 02-13) holds nothing", () => {
    // Window 30: current [2026-02-13, 2026-03-15), previous [2026-01-14, 2026-02-13): p_a current 1000 + 100 + 300 = 1400.
    const pa = rows.find((r) => r.window_days === 30 && r.entity_id === "p_a")!;
    assert.deepEqual([pa.current_start_date, pa.previous_start_date, pa.current_minor, pa.previous_minor, pa.change_pct], ["2026-02-13", "2026-01-14", "1400.000000000", "0.000000000", null]);
  });
});

describe("usage_growth and usage_top_customers", () => {
  // as_of 2026-03-15: last complete month February, the month before January.
  // p_a, metric bm_1: Jan 100 + 30 = 130, Feb 150 (+15.38 %); metric bm_2: Jan 10, Feb 20 (+100 %: fastest).
  // Product totals 140 → 170.
  // p_b: Feb 40 only: growth null (not infinite), still its product's one (fastest) row.
  // p_d: Jan 0 (a line of quantity 0), Feb 5: growth null.
  // March is partial: not in growth. Top customers (p_a): cus_1 70 on 03-02 and 30 on 01-10; cus_2 70 on 03-03.
  let growth: MartRows;
  let top: MartRows;
  before(async () => {
    const q = (date: string, quantity: number, product: string, extra: Partial<Burn> = {}) => line(date, 1, {quantity, product, ...extra});
    const burns = [
      q("2026-01-05", 100, "p_a"), q("2026-02-05", 150, "p_a"), q("2026-01-06", 10, "p_a"), q("2026-02-06", 20, "p_a"),
      q("2026-02-07", 40, "p_b"), q("2026-01-08", 0, "p_d"), q("2026-02-08", 5, "p_d"),
      q("2026-03-02", 70, "p_a"), q("2026-01-10", 30, "p_a"), q("2026-03-03", 70, "p_a", {invoice: "inv_c2_03"})
    ];
    // The lines of 01-06 and 02-06 measure the second metric, bm_2.
    const bm2 = (r: Row) => ["2026-01-06", "2026-02-06"].includes(String(r.breakdown_start_timestamp).slice(0, 10));
    const tables = withSecondCustomer(paceTables({segments: [{id: "s", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns}), (r) => (bm2(r) ? "bm_2" : "bm_1"));
    const {mart} = await snapshotMarts(tables, "2026-03-15");
    growth = await mart("usage_growth", "true", "product_id, billable_metric_id");
    top = await mart("usage_top_customers", "product_id = 'p_a'", "window_months, quantity_rank");
  });

  it("usage_growth: per metric, the product's totals, and the fastest-growing metric", () => {
    // bm_1: 130 → 150 = +15.384615 %; bm_2: 10 → 20 = +100 %.
    assert.deepEqual(growth.filter((r) => r.product_id === "p_a").map((r) => [r.billable_metric_id, r.billable_metric_name, r.month_before_quantity, r.last_month_quantity, round(r.growth_pct), r.is_fastest_growing]), [
      ["bm_1", "Tokens", "130.000000000", "150.000000000", 15.384615, false],
      ["bm_2", "Requests", "10.000000000", "20.000000000", 100, true]
    ]);
    const pa = growth.find((r) => r.product_id === "p_a")!;
    // Totals 140 → 170: +21.428571 %.
    assert.deepEqual([pa.last_month_date, pa.month_before_date, pa.product_month_before_quantity, pa.product_last_month_quantity, round(pa.product_growth_pct)], ["2026-02-01", "2026-01-01", "140.000000000", "170.000000000", 21.428571]);
  });

  it("usage_growth: no usage (or zero usage) the month before gives null growth, never infinity", () => {
    assert.deepEqual(growth.filter((r) => r.product_id !== "p_a").map((r) => [r.product_id, r.month_before_quantity, r.last_month_quantity, r.growth_pct, r.product_growth_pct, r.is_fastest_growing]), [
      ["p_b", "0.000000000", "40.000000000", null, null, true],
      ["p_d", "0.000000000", "5.000000000", null, null, true]
    ]);
  });

  it("usage_top_customers: the 1-month window is the partial month [03-01, 03-15), 14 days; a tie is ranked by customer id", () => {
    // cus_1 70, cus_2 70: 50 % each, 70 / 14 = 5 a day.
    assert.deepEqual(top.filter((r) => r.window_months === 1).map((r) => [r.window_start_date, r.window_days, r.customer_id, r.quantity, r.daily_average_quantity, round(r.share_pct), r.quantity_rank]), [
      ["2026-03-01", 14, "cus_1", "70.000000000", "5.000000000", 50, 1],
      ["2026-03-01", 14, "cus_2", "70.000000000", "5.000000000", 50, 2]
    ]);
  });

  it("usage_top_customers: the 3- and 12-month windows start on a month's first day; average over calendar days", () => {
    // 3 months: [01-01, 03-15) = 31 + 28 + 14 = 73 days. cus_1: 100 + 10 + 150 + 20 + 70 + 30 = 380; 380/73 =
    // 5.205479452 (9 decimals, half away from zero); cus_2: 70. Shares 380/450 and 70/450.
    const three = top.filter((r) => r.window_months === 3);
    assert.deepEqual(three.map((r) => [r.window_start_date, r.window_days, r.customer_id, r.quantity, r.daily_average_quantity, round(r.share_pct)]), [
      ["2026-01-01", 73, "cus_1", "380.000000000", "5.205479452", 84.444444],
      ["2026-01-01", 73, "cus_2", "70.000000000", "0.958904110", 15.555556]
    ]);
    // 12 months: [2025-04-01, 2026-03-15) = 275 days to the end of 2025 + 73 = 348.
    assert.deepEqual(top.filter((r) => r.window_months === 12).map((r) => [r.window_start_date, r.window_days]), [["2025-04-01", 348], ["2025-04-01", 348]]);
  });
});
