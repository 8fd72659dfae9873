// Unit economics on hand-computed cases (data-loaders/sources/cost, models/cost.ts): exact allocation, the four marts from a small FOCUS
// file and a minimal cost CSV over hand-made revenue and usage marts, and the bad-cost-file corpus — each bad file
// fails with an InputError naming file, column and row, or is handled as docs/unit-economics.md says.
import assert from "node:assert/strict";
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {before, describe, it} from "node:test";
import type {DuckDBConnection} from "@duckdb/node-api";
import {resolveCost, type CostConfig} from "../data-loaders/config.js";
import {allocateLargestRemainder, fromNano, toNano} from "../data-loaders/models/intermediate/allocate.js";
import {buildCostModels} from "../data-loaders/models/cost.js";
import {stageCost} from "../data-loaders/sources/cost/read.js";
import {InputError} from "../data-loaders/errors.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";

const USD = "2714e483-4ff1-48e4-9e25-ac732e8f24f2";
const EUR = "4f2b1b6e-8c0a-4a5e-9a43-6f1d3c2e9b70";
const FOCUS_HEADER = "ChargePeriodStart,ChargePeriodEnd,BillingCurrency,EffectiveCost,BilledCost,ServiceName,ChargeCategory,ResourceId,Tags";

function files(contents: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cost-"));
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A FOCUS CSV line; Tags as a JSON object (quoted for CSV). */
function focus(start: string, end: string, cost: string, service: string, category: string, resource: string, tags: Record<string, string> | null, currency = "USD"): string {
  const tagText = tags ? `"${JSON.stringify(tags).replaceAll('"', '""')}"` : "";
  return `${start},${end},${currency},${cost},${cost},${service},${category},${resource},${tagText}`;
}

/** The revenue and usage side, as the models would have built it: three customers, four products, March 2026. */
async function marts(connection: DuckDBConnection, asOf = "2026-04-01"): Promise<void> {
  await connection.run(readFileSync("data-loaders/models/macros.sql", "utf8"));
  await connection.run(`
    create table meterbook_params as select date '${asOf}' as as_of, '$.owner' as owner_field, 'name' as label_source;
    create table mart_credit_types as select * from (values ('${USD}', 'USD (cents)', true, 'USD', 100), ('${EUR}', 'EUR', true, 'EUR', 1))
      as t(credit_type_id, name, is_currency, currency_code, minor_per_major);
    create table mart_billable_metrics as select * from (values ('bm_gpu', 'GPU hours', 'SUM'), ('bm_tok', 'Tokens', 'SUM'), ('bm_free', 'Free calls', 'COUNT'), ('bm_sto', 'GB stored', 'SUM'))
      as t(billable_metric_id, billable_metric_name, aggregate);
    create table mart_products as select * from (values ('p_gpu', 'GPU', 'bm_gpu'), ('p_tok', 'Tokens', 'bm_tok'), ('p_free', 'Free tier', 'bm_free'), ('p_sto', 'Storage', 'bm_sto'), ('p_fee', 'Platform fee', null))
      as t(product_id, product_name, billable_metric_id);
    create table mart_customers as select * from (values ('c_a', 'Acme'), ('c_b', 'Beta'), ('c_c', 'Gamma')) as t(customer_id, label);
    create table mart_usage_daily as select date::date as date, customer_id, product_id, billable_metric_id, quantity::decimal(38, 9) as quantity from (values
      ('2026-03-01', 'c_a', 'p_gpu', 'bm_gpu', 30), ('2026-03-01', 'c_b', 'p_gpu', 'bm_gpu', 10),
      ('2026-03-02', 'c_a', 'p_tok', 'bm_tok', 1000), ('2026-03-02', 'c_b', 'p_tok', 'bm_tok', 3000),
      ('2026-03-03', 'c_b', 'p_free', 'bm_free', 5)) as t(date, customer_id, product_id, billable_metric_id, quantity);
    create table mart_revenue_daily as select date::date as date, customer_id, product_id, product_name, credit_type_id, category,
      revenue_minor::decimal(38, 9) as revenue_minor, 0::decimal(38, 9) as contra_revenue_minor, revenue_minor::decimal(38, 9) as gross_minor, quantity::decimal(38, 9) as quantity from (values
      ('2026-03-01', 'c_a', 'p_gpu', 'GPU', '${USD}', 'usage_commit', 60000, 30), ('2026-03-01', 'c_b', 'p_gpu', 'GPU', '${USD}', 'usage_on_demand', 20000, 10),
      ('2026-03-02', 'c_b', 'p_tok', 'Tokens', '${USD}', 'usage_on_demand', 5000, 3000), ('2026-03-01', 'c_c', 'p_fee', 'Platform fee', '${USD}', 'scheduled', 1000, 1))
      as t(date, customer_id, product_id, product_name, credit_type_id, category, revenue_minor, quantity);
  `);
}

const RULES: CostConfig["rules"] = [
  {product: "GPU", tag: "product=gpu"},
  {product: "p_tok", tag: "product=tokens"},
  {product: "Storage", tag: "product=storage"},
  {product: "shared", tag: "team=platform"},
  {product: "shared", costCenter: "support"}
];

function config(dir: string, overrides: Partial<CostConfig> = {}): CostConfig {
  return resolveCost({files: [dir], rules: RULES, sharedAllocationMetric: "Tokens", ...overrides}, "/");
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe("allocateLargestRemainder(total, weights)", () => {
  it("gives the leftover units to the largest remainders, so shares sum exactly to the total", () => {
    // 100/3 = 33.33…: floors 33, 33, 33 (sum 99), one unit left to the first of equal remainders.
    assert.deepEqual(allocateLargestRemainder(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
    // 10 by 1:2:3:4 is exact: 1, 2, 3, 4.
    assert.deepEqual(allocateLargestRemainder(10n, [1n, 2n, 3n, 4n]), [1n, 2n, 3n, 4n]);
    // 7 by 1:1:5 → 1, 1, 5; 7 by 2:2:3 → 2 (r 0), 2 (r 0), 3 (r 0): 7.
    assert.deepEqual(allocateLargestRemainder(7n, [2n, 2n, 3n]), [2n, 2n, 3n]);
    // 5 by 3:3:1 → exact 2.142…, 2.142…, 0.714…: floors 2, 2, 0; the largest remainder (0.714) gets the unit.
    assert.deepEqual(allocateLargestRemainder(5n, [3n, 3n, 1n]), [2n, 2n, 1n]);
  });

  it("splits a negative total (net credits) as its magnitude, negated", () => {
    assert.deepEqual(allocateLargestRemainder(-100n, [1n, 1n, 1n]), [-34n, -33n, -33n]);
  });

  it("sums exactly for token-sized weights past 128-bit products", () => {
    const weights = [935721713843000000000n, 3n, 41937493896000000000n];
    const total = toNano("123456789.123456789");
    const shares = allocateLargestRemainder(total, weights);
    assert.equal(shares.reduce((a, b) => a + b, 0n), total);
  });

  it("refuses a zero or negative weight and returns nothing for no weights", () => {
    assert.throws(() => allocateLargestRemainder(10n, [1n, 0n]), /positive/);
    assert.deepEqual(allocateLargestRemainder(10n, []), []);
  });

  it("toNano and fromNano convert DECIMAL(38,9) text exactly", () => {
    assert.equal(toNano("-0.5"), -500000000n);
    assert.equal(fromNano(toNano("3333.333333334")), "3333.333333334");
    assert.equal(fromNano(-1n), "-0.000000001");
  });
});

describe("buildCostModels on a hand-computed month (March 2026, as of 2026-04-01)", () => {
  let connection: DuckDBConnection;
  before(async () => {
    ({connection} = await openDuckDB());
    await marts(connection);
    const dir = files({
      "focus.csv": [
        FOCUS_HEADER,
        // GPU: 400.00 on Mar 1, less a 40.00 credit over the same day (netted): 360.00 → 36000 cents.
        focus("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "400.00", "Amazon EC2", "Usage", "gpu-pool", {product: "gpu"}),
        focus("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "-40.00", "Amazon EC2", "Credit", "gpu-pool", {product: "gpu"}),
        // Tokens: an hour's charge lands on its day: 10.00 → 1000 cents on Mar 2.
        focus("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", "10.00", "Amazon EC2", "Usage", "token-fleet", {product: "tokens"}),
        // Shared platform over three whole days: 100.00 → 10000 cents, 3333.333333333 + 3333.333333334 + 3333.333333333.
        focus("2026-03-01T00:00:00Z", "2026-03-04T00:00:00Z", "100.00", "Amazon EKS", "Usage", "platform", {team: "platform"}),
        // Untagged DNS: no rule matches → unmapped, 500 cents.
        focus("2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z", "5.00", "Amazon Route 53", "Usage", "dns", null),
        // Storage has cost but nobody used it: 2000 cents, no cost per unit, unallocated ('no usage').
        focus("2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z", "20.00", "Amazon S3", "Usage", "bucket", {product: "storage"}),
        // After as_of: outside the snapshot, reported as a finding.
        focus("2026-04-01T00:00:00Z", "2026-04-02T00:00:00Z", "1.00", "Amazon S3", "Usage", "bucket", {product: "storage"})
      ].join("\n") + "\n",
      // Support: 1.00 → 100 cents, shared.
      "centers.csv": "date,cost_center,amount,currency\n2026-03-03,support,1.00,USD\n"
    });
    await stageCost(connection, config(dir));
    findings = await buildCostModels(connection, config(dir));
  });
  let findings: Awaited<ReturnType<typeof buildCostModels>>;

  it("unit_cost_daily: cost over usage; usage without cost is 0 per unit; cost without usage has none", async () => {
    const got = await rows(connection, `select date::varchar as date, product_id, cost_minor::varchar as cost, quantity::varchar as q, cost_per_unit_minor::varchar as cpu, cost_per_unit_note as note from mart_unit_cost_daily order by date, product_id`);
    assert.deepEqual(got, [
      {date: "2026-03-01", product_id: "p_gpu", cost: "36000.000000000", q: "40.000000000", cpu: "900.000000000", note: null}, // 36000 / 40
      {date: "2026-03-02", product_id: "p_tok", cost: "1000.000000000", q: "4000.000000000", cpu: "0.250000000", note: null}, // 1000 / 4000
      {date: "2026-03-03", product_id: "p_free", cost: "0.000000000", q: "5.000000000", cpu: "0.000000000", note: null},
      {date: "2026-03-06", product_id: "p_sto", cost: "2000.000000000", q: "0.000000000", cpu: null, note: "no usage"}
    ]);
  });

  it("shared cost: usage shares sum to 100 % and allocated amounts sum exactly to the shared cost", async () => {
    // Shared pool: 10000 (platform) + 100 (support) = 10100. Tokens 1000 : 3000 → 25 % : 75 % → 2525 : 7575.
    const got = await rows(connection, `select customer_id, shared_usage_share_pct::varchar as share, shared_cost_minor::varchar as shared from mart_margin_by_customer where shared_usage > 0 order by customer_id`);
    assert.deepEqual(got, [{customer_id: "c_a", share: "25.000000000", shared: "2525.000000000"}, {customer_id: "c_b", share: "75.000000000", shared: "7575.000000000"}]);
    const [sums] = await rows(connection, `select sum(shared_usage_share_pct)::varchar as pct, sum(shared_cost_minor)::varchar as cost from mart_margin_by_customer`);
    assert.deepEqual(sums, {pct: "100.000000000", cost: "10100.000000000"});
  });

  it("margin_by_customer: revenue − (product cost by usage share + shared cost), per month and currency", async () => {
    // Acme: GPU 36000·30/40 = 27000, tokens 1000·1000/4000 = 250, shared 2525 → 29775; 60000 − 29775 = 30225 (50.375 %).
    // Beta: GPU 9000, tokens 750, shared 7575 → 17325; 25000 − 17325 = 7675 (30.7 %).
    // Gamma: revenue but no usage → no cost: 1000, 100 %.
    const got = await rows(connection, `select customer_id, label, month::varchar as month, period_end::varchar as period_end, credit_type_id, revenue_minor::varchar as revenue, direct_cost_minor::varchar as direct,
      allocated_cost_minor::varchar as cost, gross_margin_minor::varchar as margin, gross_margin_pct::varchar as pct, allocation_metric_name as metric from mart_margin_by_customer order by customer_id`);
    const row = (customer_id: string, label: string, revenue: string, direct: string, cost: string, margin: string, pct: string) =>
      ({customer_id, label, month: "2026-03-01", period_end: "2026-04-01", credit_type_id: USD, revenue, direct, cost, margin, pct, metric: "Tokens"});
    assert.deepEqual(got, [
      row("c_a", "Acme", "60000.000000000", "27250.000000000", "29775.000000000", "30225.000000000", "50.375000000"),
      row("c_b", "Beta", "25000.000000000", "9750.000000000", "17325.000000000", "7675.000000000", "30.700000000"),
      row("c_c", "Gamma", "1000.000000000", "0.000000000", "0.000000000", "1000.000000000", "100.000000000")
    ]);
  });

  it("unallocated_cost: unmapped cost and cost nobody used are reported, and everything adds up", async () => {
    const got = await rows(connection, `select reason, product_id, service_name, cost_minor::varchar as cost from mart_unallocated_cost order by reason, cost_minor`);
    assert.deepEqual(got, [{reason: "no usage", product_id: "p_sto", service_name: null, cost: "2000.000000000"}, {reason: "unmapped", product_id: null, service_name: "Amazon Route 53", cost: "500.000000000"}]);
    // 36000 + 1000 + 10000 + 500 + 100 + 2000 = 49600 = 29775 + 17325 (allocated) + 2500 (unallocated).
    const [total] = await rows(connection, `select (select sum(allocated_cost_minor) from mart_margin_by_customer)::varchar as allocated, (select sum(cost_minor) from mart_unallocated_cost)::varchar as unallocated`);
    assert.deepEqual(total, {allocated: "47100.000000000", unallocated: "2500.000000000"});
    assert.deepEqual(findings.map((f) => [f.check, f.rows]), [["unmapped_cost", 1], ["cost_after_as_of", 1]]);
  });

  it("pricing_targets: price = cost / (1 − margin) on the last complete month's cost per unit", async () => {
    // GPU 900 → 1125, 1500, 2250; average price 80000/40 = 2000, margin (2000 − 900)/2000 = 55 %.
    // Tokens 0.25 → 0.3125, 0.416666667, 0.625; average 5000/3000 = 1.666666667 (rounded), so its margin is
    // 100·1.416666667/1.666666667 = 85.000000003. Free tier 0 → 0. Storage: no usage, no price.
    const got = await rows(connection, `select product_id, window_start::varchar as ws, window_end::varchar as we, cost_per_unit_minor::varchar as cpu, price_margin_20_minor::varchar as p20,
      price_margin_40_minor::varchar as p40, price_margin_60_minor::varchar as p60, average_price_minor::varchar as avg, average_margin_pct::varchar as m from mart_pricing_targets order by product_id`);
    const w = {ws: "2026-03-01", we: "2026-04-01"};
    assert.deepEqual(got, [
      {product_id: "p_free", ...w, cpu: "0.000000000", p20: "0.000000000", p40: "0.000000000", p60: "0.000000000", avg: null, m: null},
      {product_id: "p_gpu", ...w, cpu: "900.000000000", p20: "1125.000000000", p40: "1500.000000000", p60: "2250.000000000", avg: "2000.000000000", m: "55.000000000"},
      {product_id: "p_sto", ...w, cpu: null, p20: null, p40: null, p60: null, avg: null, m: null},
      {product_id: "p_tok", ...w, cpu: "0.250000000", p20: "0.312500000", p40: "0.416666667", p60: "0.625000000", avg: "1.666666667", m: "85.000000003"}
    ]);
  });
});

describe("stageCost(connection, cost) and resolveCost(cost, base)", () => {
  it("reads FOCUS Parquet with Tags as a MAP, and BilledCost when configured", async () => {
    const {connection} = await openDuckDB();
    const dir = mkdtempSync(join(tmpdir(), "cost-"));
    await connection.run(`copy (select timestamptz '2026-03-01 00:00:00+00' as ChargePeriodStart, timestamptz '2026-03-02 00:00:00+00' as ChargePeriodEnd, 'USD' as BillingCurrency,
      12.5::decimal(20, 10) as BilledCost, 10.0::decimal(20, 10) as EffectiveCost, 'Amazon EC2' as ServiceName, 'Usage' as ChargeCategory, map(['product'], ['gpu']) as Tags)
      to '${join(dir, "focus.parquet")}' (format parquet)`);
    const [summary] = await stageCost(connection, resolveCost({files: [dir], rules: [], focusCostColumn: "BilledCost"}, "/"));
    assert.deepEqual(summary, {file: `${dir.split("/").at(-1)}/focus.parquet`, kind: "focus", rows: 1});
    const [row] = await rows(connection, `select amount::varchar as amount, tags::varchar as tags, charge_period_start::varchar as start from stg_cost`);
    assert.deepEqual(row, {amount: "12.500000000", tags: '{"product":"gpu"}', start: "2026-03-01 00:00:00"});
  });

  it("resolves cost files against the config's folder and defaults to EffectiveCost", () => {
    assert.deepEqual(resolveCost({files: ["cost", "/abs/x.csv"], rules: [{product: "shared", service: "EKS"}], sharedAllocationMetric: "Tokens"}, "/etc/meterbook"),
      {files: ["/etc/meterbook/cost", "/abs/x.csv"], rules: [{product: "shared", service: "EKS"}], sharedAllocationMetric: "Tokens", focusCostColumn: "EffectiveCost"});
    assert.throws(() => resolveCost({files: [], focusCostColumn: "ListCost" as never}, "/"), /EffectiveCost or BilledCost/);
  });
});

describe("bad cost files", () => {
  /** Stages `contents` and builds the models; resolves to the InputError thrown. */
  async function failure(contents: Record<string, string>, overrides: Partial<CostConfig> = {}): Promise<InputError> {
    const {connection} = await openDuckDB();
    await marts(connection);
    const cost = config(files(contents), overrides);
    try {
      await stageCost(connection, cost);
      await buildCostModels(connection, cost);
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      return error;
    }
    assert.fail("no error");
  }
  const day = (d: string) => [`2026-03-${d}T00:00:00Z`, `2026-03-${String(Number(d) + 1).padStart(2, "0")}T00:00:00Z`] as const;

  it("a FOCUS file missing a required column names it", async () => {
    const e = await failure({"f.csv": "ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ServiceName,ChargeCategory\n2026-03-01,2026-03-02,1,EC2,Usage\n"});
    assert.match(e.message, /FOCUS column missing: BillingCurrency/);
    assert.equal(e.location.column, "BillingCurrency");
    assert.match(e.location.file!, /\/f\.csv$/);
  });

  it("a minimal CSV missing a column names it; a file of neither kind says what was expected", async () => {
    assert.match((await failure({"m.csv": "date,cost_center,currency\n2026-03-01,support,USD\n"})).message, /minimal cost column missing: amount/);
    assert.match((await failure({"x.csv": "foo,bar\n1,2\n"})).message, /not a cost file: expected FOCUS columns/);
  });

  it("an unknown currency is refused with its row", async () => {
    const e = await failure({"f.csv": `${FOCUS_HEADER}\n${focus(...day("01"), "1.00", "EC2", "Usage", "r", {product: "gpu"})}\n${focus(...day("02"), "1.00", "EC2", "Usage", "r", {product: "gpu"}, "XYZ")}\n`});
    assert.match(e.message, /unknown currency .*"XYZ"/);
    assert.equal(e.location.column, "BillingCurrency");
    assert.equal(e.location.row, 2);
  });

  it("a known currency with no credit type in the export is refused: no conversion", async () => {
    const e = await failure({"m.csv": "date,cost_center,amount,currency\n2026-03-01,support,1.00,GBP\n"});
    assert.match(e.message, /cost in GBP, but no credit type of the export is in GBP/);
    assert.deepEqual([e.location.column, e.location.row], ["currency", 1]);
  });

  it("negative cost is netted on Credit rows (see the hand-computed month) and refused on Usage rows", async () => {
    const e = await failure({"f.csv": `${FOCUS_HEADER}\n${focus(...day("01"), "-3.00", "EC2", "Usage", "r", {product: "gpu"})}\n`});
    assert.match(e.message, /negative EffectiveCost on a row whose ChargeCategory is not Credit or Adjustment/);
    assert.deepEqual([e.location.column, e.location.row], ["EffectiveCost", 1]);
  });

  it("the same charge delivered twice for overlapping periods is refused, naming both rows", async () => {
    const row = focus(...day("01"), "1.00", "EC2", "Usage", "r", {product: "gpu"});
    const e = await failure({"a.csv": `${FOCUS_HEADER}\n${row}\n`, "b.csv": `${FOCUS_HEADER}\n${focus("2026-03-01T12:00:00Z", "2026-03-01T13:00:00Z", "1.00", "EC2", "Usage", "r", {product: "gpu"})}\n`});
    assert.match(e.message, /overlapping charge periods: .*\/a\.csv row 1 and .*\/b\.csv row 1/);
    const m = await failure({"m.csv": "date,cost_center,amount,currency\n2026-03-01,support,1.00,USD\n2026-03-01,support,2.00,USD\n"});
    assert.match(m.message, /overlapping charge periods: the same cost_center and currency/);
    assert.equal(m.location.row, 2);
  });

  it("malformed values are refused with file, column and row", async () => {
    const amount = await failure({"m.csv": "date,cost_center,amount,currency\n2026-03-01,support,\"12,50\",USD\n"});
    assert.match(amount.message, /amount is not a decimal number: "12,50"/);
    const date = await failure({"m.csv": "date,cost_center,amount,currency\n03/01/2026,support,1,USD\n"});
    assert.match(date.message, /date is not a date/);
    const tags = await failure({"f.csv": `${FOCUS_HEADER}\n2026-03-01,2026-03-02,USD,1,1,EC2,Usage,r,"[1,2]"\n`});
    assert.deepEqual([tags.location.column, tags.location.row], ["Tags", 1]);
    const span = await failure({"f.csv": `${FOCUS_HEADER}\n${focus("2026-03-01T06:00:00Z", "2026-03-03T06:00:00Z", "1.00", "EC2", "Usage", "r", null)}\n`});
    assert.match(span.message, /must start and end at midnight UTC/);
    const category = await failure({"f.csv": `${FOCUS_HEADER}\n${focus(...day("01"), "1.00", "EC2", "Refund", "r", null)}\n`});
    assert.match(category.message, /unknown ChargeCategory/);
  });

  it("config: a rule naming no known product, or shared cost without an allocation metric, is refused", async () => {
    const ok = {"m.csv": "date,cost_center,amount,currency\n2026-03-01,support,1.00,USD\n"};
    assert.match((await failure(ok, {rules: [{product: "Nope", costCenter: "support"}]})).message, /no product with id or name "Nope"/);
    assert.match((await failure(ok, {sharedAllocationMetric: null})).message, /sharedAllocationMetric is needed/);
    assert.throws(() => resolveCost({files: [], rules: [{product: "GPU"}]}, "/"), /needs tag, service or costCenter/);
  });
});
