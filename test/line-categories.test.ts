// Line classification (docs/line-categories.md) on hand-built invoices of the guide's table set (no breakdowns): the
// API's line-type names, the export's class-style names and no line types at all must read the same, applied
// offsets must never count as negative revenue, and a line type no rule knows lands in `other`, counted and logged.
import assert from "node:assert/strict";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {DEFAULT_CONFIG, type Config} from "../data-loaders/config.js";
import {openDuckDB, rows} from "../data-loaders/lib/duckdb.js";
import {checkLineRules, DEFAULT_LINE_RULES, lineRules} from "../data-loaders/models/lineRules.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";
import {T0, USD, writeExport, type Row} from "./fixtures/export-builder.js";

const env = {environment_type: "PRODUCTION", updated_at: "2026-02-01T06:00:00Z"};
const JAN = {start_timestamp: T0, end_timestamp: "2026-02-01T00:00:00Z"};
const ct = {credit_type_id: USD.id, credit_type_name: USD.name};

type Kind = "usage" | "applied" | "purchase" | "scheduled" | "true_up";
const VOCABULARIES: Record<string, Record<Kind, string | null>> = {
  api: {usage: "usage", applied: "applied_commit_or_credit", purchase: "commit_purchase", scheduled: "scheduled", true_up: "true_up"},
  "class-style": {usage: "ContractUsageLineItem", applied: "ContractAppliedCommitOrCreditLineItem", purchase: "ContractCommitPurchaseLineItem", scheduled: "ContractScheduledChargeLineItem", true_up: "ContractTrueUpLineItem"},
  none: {usage: null, applied: null, purchase: null, scheduled: null, true_up: null}
};

/**
 * One customer with a prepaid commit (bal_c, 100000 for 2026) and a credit (bal_k, 10000), and January's invoices:
 * usage of 5000 drawn from the commit with its −5000 offset, 3000 on demand, 620 drawn from the credit with its
 * −620 offset, a 31000 platform fee and the commit's 100000 purchase on a scheduled invoice, a 7000 true-up on a
 * true-up invoice, and a line of a type no rule knows (−100, "promo_adjustment") when the vocabulary has types.
 */
function january(vocabulary: Record<Kind, string | null>): Record<string, Row[]> {
  const segment = (id: string, amount: number) => ({credit_type_id: USD.id, credit_type_name: USD.name, schedule_items: [{id, date: T0, end_date: "2027-01-01T00:00:00Z", amount}]});
  const line = (id: string, invoice: string, kind: Kind, total: number, extra: Row = {}): Row =>
    ({...env, ...ct, id, invoice_id: invoice, name: id, total, quantity: kind === "usage" ? total : null, line_item_type: vocabulary[kind], starting_at: T0, ending_before: JAN.end_timestamp, ...extra});
  const invoice = (id: string, label: string, total: number): Row => ({...env, ...ct, ...JAN, id, status: "FINALIZED", total, customer_id: "cus_1", contract_id: "con_1", invoice_label: label, issued_at: JAN.end_timestamp});
  return {
    customer: [{...env, id: "cus_1", name: "Acme", custom_fields: {}, created_at: T0}],
    credit_type: [{...env, id: USD.id, name: USD.name, is_currency: true}],
    contracts_contracts: [{...env, id: "con_1", customer_id: "cus_1", starting_at: T0, ending_before: "2027-01-01T00:00:00Z"}],
    contracts_balances: [
      {...env, id: "bal_c", customer_id: "cus_1", contract_id: "con_1", type: "prepaid", name: "Commit", access_schedule: segment("seg_c", 100000), invoice_schedule: {credit_type_id: USD.id, schedule_items: [{id: "is_1", date: T0, amount: 100000}]}},
      {...env, id: "bal_k", customer_id: "cus_1", contract_id: "con_1", type: "credit", name: "Credit", access_schedule: segment("seg_k", 10000), invoice_schedule: null}
    ],
    invoice: [invoice("inv_usage", "CONTRACT_USAGE", 3000), invoice("inv_sched", "CONTRACT_SCHEDULED", 131000), invoice("inv_trueup", "CONTRACT_TRUEUP", 7000)],
    line_item: [
      line("gpu_commit", "inv_usage", "usage", 5000, {product_id: "prod_gpu", commit_id: "bal_c"}),
      line("gpu_commit_applied", "inv_usage", "applied", -5000, {product_id: "prod_gpu", commit_id: "bal_c"}),
      line("gpu_on_demand", "inv_usage", "usage", 3000, {product_id: "prod_gpu"}),
      line("storage_credit", "inv_usage", "usage", 620, {product_id: "prod_storage", commit_id: "bal_k"}),
      line("storage_credit_applied", "inv_usage", "applied", -620, {product_id: "prod_storage", commit_id: "bal_k"}),
      ...(vocabulary.usage === null ? [] : [line("promo", "inv_usage", "usage", -100, {line_item_type: "promo_adjustment"})]),
      line("platform_fee", "inv_sched", "scheduled", 31000, {product_id: "prod_platform"}),
      line("commit_purchase", "inv_sched", "purchase", 100000, {product_id: "prod_commit", commit_id: "bal_c"}),
      line("true_up", "inv_trueup", "true_up", 7000, {product_id: "prod_trueup"})
    ]
  };
}

async function snap(tables: Record<string, Row[]>, config: Config = DEFAULT_CONFIG) {
  const exportDir = await writeExport(tables, {dt: "2026-02-01"});
  const out = mkdtempSync(join(tmpdir(), "lines-"));
  const log: string[] = [];
  const manifest = await snapshot({exportDir, out, asOf: "2026-02-01", config, now: () => new Date("2026-02-01T12:00:00Z"), log: (m) => log.push(m), cache: false});
  const {connection} = await openDuckDB();
  const read = <T = Record<string, unknown>>(sql: string) =>
    rows<T>(connection, sql.replace(/\b(marts|staging)\/(\w+)/g, (_, dir, name) => `read_parquet('${join(out, dir, `${name}.parquet`)}')`));
  return {manifest, log, read};
}

const byCategory = (read: Awaited<ReturnType<typeof snap>>["read"]) =>
  read<{category: string; revenue: string; contra: string}>(`select category, sum(revenue_minor)::decimal(38, 2)::varchar as revenue, sum(contra_revenue_minor)::decimal(38, 2)::varchar as contra
    from marts/revenue_daily group by all order by all`);

for (const [name, vocabulary] of Object.entries(VOCABULARIES)) {
  describe(`line classification, ${name === "none" ? "no line_item_type" : `${name} line types`}`, () => {
    it("reads revenue by category, and never counts an applied offset as negative revenue", async () => {
      const {read} = await snap(january(vocabulary));
      assert.deepEqual(await byCategory(read), [
        {category: "scheduled", revenue: "31000.00", contra: "0.00"},
        {category: "true_up", revenue: "7000.00", contra: "0.00"},
        {category: "usage_commit", revenue: "5000.00", contra: "0.00"},
        {category: "usage_credit", revenue: "0.00", contra: "620.00"},
        {category: "usage_on_demand", revenue: "3000.00", contra: "0.00"}
      ]);
    });

    it("burns the commit and the credit by the usage drawn from them, once", async () => {
      const {read} = await snap(january(vocabulary));
      assert.deepEqual(await read(`select balance_id, burned_to_date_minor::decimal(38, 2)::varchar as burned from marts/pacing order by balance_id`), [
        {balance_id: "bal_c", burned: "5000.00"},
        {balance_id: "bal_k", burned: "620.00"}
      ]);
    });

    it("counts only usage lines' quantities as usage", async () => {
      const {read} = await snap(january(vocabulary));
      assert.deepEqual(await read(`select product_id, sum(quantity)::decimal(38, 2)::varchar as quantity from marts/usage_daily group by all order by all`), [
        {product_id: "prod_gpu", quantity: "8000.00"},
        {product_id: "prod_storage", quantity: "620.00"}
      ]);
    });

    it("lists every line under the rule that read it", async () => {
      const {read} = await snap(january(vocabulary));
      const lines = await read<{category: string; line_count: string; total: string}>(`select category, sum(line_count)::varchar as line_count, sum(total_minor)::decimal(38, 2)::varchar as total
        from marts/line_categories group by all order by all`);
      assert.deepEqual(lines, [
        {category: "applied_offset", line_count: "2", total: "-5620.00"},
        ...(vocabulary.usage === null ? [] : [{category: "other", line_count: "1", total: "-100.00"}]),
        {category: "purchase", line_count: "1", total: "100000.00"},
        {category: "scheduled", line_count: "1", total: "31000.00"},
        {category: "true_up", line_count: "1", total: "7000.00"},
        {category: "usage_commit", line_count: "1", total: "5000.00"},
        {category: "usage_credit", line_count: "1", total: "620.00"},
        {category: "usage_on_demand", line_count: "1", total: "3000.00"}
      ]);
    });
  });
}

describe("a line type no rule knows", () => {
  it("lands in other under rule none, is named in the log and in a finding", async () => {
    const {read, log, manifest} = await snap(january(VOCABULARIES.api!));
    assert.deepEqual(await read(`select rule, line_item_type, line_count::integer as n from marts/line_categories where category = 'other'`), [{rule: "none", line_item_type: "promo_adjustment", n: 1}]);
    assert.ok(log.some((m) => m.includes("line category other") && m.includes('"promo_adjustment"')), log.join("\n"));
    assert.equal(manifest.findings.find((f) => f.check === "unclassified_lines")?.rows, 1);
    assert.equal(manifest.findings.find((f) => f.check === "unclassified_lines")?.severity, "warning");
  });

  it("reads as the config's rule says once one is added", async () => {
    const config = {...DEFAULT_CONFIG, lineCategories: {rules: checkLineRules([{rule: "promotions", lineItemType: ["PromoAdjustment"], category: "scheduled"}], "test")}};
    const {read} = await snap(january(VOCABULARIES.api!), config);
    assert.deepEqual(await read(`select rule, category from marts/line_categories where line_item_type = 'promo_adjustment'`), [{rule: "promotions", category: "scheduled"}]);
    assert.deepEqual((await byCategory(read)).find((c) => c.category === "scheduled"), {category: "scheduled", revenue: "30900.00", contra: "0.00"});
  });
});

describe("lineRules(configRules, burnLineItemTypes)", () => {
  it("puts the config's new rules first and replaces a default of the same name in place", () => {
    const replaced = {rule: "scheduled", lineItemType: ["scheduled"], category: "other" as const};
    const rules = lineRules([{rule: "mine", lineItemType: ["x"], category: "true_up"}, replaced]);
    assert.equal(rules[0]!.rule, "mine");
    assert.equal(rules.length, DEFAULT_LINE_RULES.length + 1);
    assert.equal(rules.indexOf(replaced), 1 + DEFAULT_LINE_RULES.findIndex((r) => r.rule === "scheduled"));
  });

  it("turns the old burnLineItemTypes setting into usage-drawn rules ahead of everything", () => {
    const rules = lineRules([], ["MyBurn"]);
    assert.deepEqual(rules.slice(0, 2).map((r) => [r.rule, r.category]), [["burnLineItemTypes_credit", "usage_credit"], ["burnLineItemTypes", "usage_commit"]]);
  });
});

describe("checkLineRules(rules, where)", () => {
  it("rejects an unknown category, naming the rule and the file", () =>
    assert.throws(() => checkLineRules([{rule: "r", category: "revenue"}], "meterbook.config.json"), /lineCategories\.rules\[0\] in meterbook\.config\.json: category must be one of/));
  it("rejects an unknown field", () => assert.throws(() => checkLineRules([{rule: "r", category: "other", lineType: ["x"]}], "c"), /unknown field lineType/));
});

describe("line_type_key(t)", () => {
  it("meets the class-style and the API names", async () => {
    const {connection} = await openDuckDB();
    await connection.run(readFileSync(new URL("../data-loaders/models/macros.sql", import.meta.url), "utf8"));
    const keys = await rows<{k: string | null}>(connection, `select line_type_key(t) as k from unnest(['ContractUsageLineItem', 'usage', 'USAGE', 'applied_commit_or_credit', 'ContractAppliedCommitOrCreditLineItem', 'cpu_conversion', null]) as u(t)`);
    assert.deepEqual(keys.map((r) => r.k), ["usage", "usage", "usage", "appliedcommitorcredit", "appliedcommitorcredit", "cpuconversion", null]);
  });
});

describe("docs/line-categories.md", () => {
  it("lists every default rule, in order, with its category", () => {
    const doc = readFileSync(new URL("../docs/line-categories.md", import.meta.url), "utf8");
    const listed = [...doc.matchAll(/^\| (\d+) \| `([a-z_]+)` \|.*\| `([a-z_]+)` \| [^|]*\|$/gm)].map((m) => [Number(m[1]), m[2], m[3]]);
    assert.deepEqual(listed, DEFAULT_LINE_RULES.map((r, i) => [i + 1, r.rule, r.category]));
  });
});

describe("an export whose usage lines no rule reads as burn", () => {
  const unknownUsage = () => {
    const tables = january(VOCABULARIES.api!);
    tables.line_item = tables.line_item!.map((l) => (l.line_item_type === "usage" ? {...l, line_item_type: "ConsumptionRecord"} : l));
    return tables;
  };

  it("is the error-level finding no_burn_lines, naming the line type", async () => {
    const {manifest} = await snap(unknownUsage());
    const finding = manifest.findings.find((f) => f.check === "no_burn_lines");
    assert.equal(finding?.severity, "error");
    assert.ok(finding!.examples.some((e) => e.includes("line_item_type=ConsumptionRecord")), finding!.examples.join("; "));
  });

  it("fails a --strict snapshot", async () => {
    const exportDir = await writeExport(unknownUsage(), {dt: "2026-02-01"});
    const out = mkdtempSync(join(tmpdir(), "lines-strict-"));
    await assert.rejects(snapshot({exportDir, out, asOf: "2026-02-01", config: DEFAULT_CONFIG, now: () => new Date("2026-02-01T12:00:00Z"), strict: true}), /--strict: .*no_burn_lines/);
  });
});
