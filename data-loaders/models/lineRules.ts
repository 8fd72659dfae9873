// How invoice lines are read: the one table of rules (docs/line-categories.md) that gives every line a category,
// from whatever columns the export has. The first rule whose conditions all hold wins; a line no rule matches is
// `other` (counted in the line_categories mart, named in the snapshot log, never dropped silently).
//
// `line_item_type` is matched by its key: lowercased, everything but letters removed, then a leading "contract" and a
// trailing "lineitem" removed (the SQL macro line_type_key in macros.sql). So the export's class-style names and the
// API's names meet: `ContractUsageLineItem` and `usage` are both `usage`; `applied_commit_or_credit` and a class-style
// `ContractAppliedCommitOrCreditLineItem` are both `appliedcommitorcredit`. (Metronome documents only
// `ContractUsageLineItem` for the export and the API's names for the API: reference §3, §7.)

export const LINE_CATEGORIES = [
  "usage_on_demand",
  "usage_commit",
  "usage_credit",
  "conversion",
  "applied_offset",
  "purchase",
  "scheduled",
  "true_up",
  "rollover",
  "other"
] as const;
export type LineCategory = (typeof LINE_CATEGORIES)[number];

/** Categories whose lines are usage (quantities count in usage_daily). */
export const USAGE_CATEGORIES: LineCategory[] = ["usage_on_demand", "usage_commit", "usage_credit"];
/** Categories that burn the commit or credit named by the line's commit_id. */
export const BURN_CATEGORIES: LineCategory[] = ["usage_commit", "usage_credit"];
/** Categories counted in revenue_daily (usage_credit as contra-revenue). */
export const REVENUE_CATEGORIES: LineCategory[] = ["usage_on_demand", "usage_commit", "usage_credit", "conversion", "scheduled", "true_up"];

export interface LineRule {
  /** The rule's name, shown in line_categories; a config rule with a default's name replaces it in place. */
  rule: string;
  /** line_item_type values (any spelling; matched by key). Absent: any line type, or none. */
  lineItemType?: string[];
  /** true: only lines with no line_item_type (the export's reference lists none on line_item). */
  untyped?: boolean;
  /** The invoice's type or label (invoice.invoice_label, draft_invoice.label, breakdowns type), any of, case-insensitive. */
  invoiceType?: string[];
  /** Whether the line has a product_id. */
  product?: boolean;
  /** Whether the line names a commit or credit (commit_id). */
  commit?: boolean;
  /** The kind of balance its commit_id names in contracts_balances: a credit, or a commit (prepaid/postpaid). */
  balance?: "commit" | "credit";
  /** The sign of the line's total over its invoice (positive includes zero). */
  sign?: "positive" | "negative";
  category: LineCategory;
  /** Why the rule says so (docs/line-categories.md). */
  note?: string;
}

const USAGE = ["usage", "ContractUsageLineItem"];
const APPLIED = ["applied_commit_or_credit", "applied_commit", "applied_credit", "commit_applied", "credit_applied"];
const PURCHASE = ["commit_purchase", "credit_purchase", "ContractCommitLineItem", "prepaid_commit"];
const SCHEDULED = ["scheduled", "scheduled_charge", "subscription", "fixed"];
const TRUE_UP = ["true_up", "trueup", "postpaid_trueup", "postpaid_commit_trueup"];
const ROLLOVER = ["rollover", "commit_rollover", "credit_rollover"];
const SCHEDULED_INVOICES = ["CONTRACT_SCHEDULED", "SCHEDULED", "PLAN_ADVANCE"];
const TRUE_UP_INVOICES = ["CONTRACT_TRUEUP", "TRUEUP"];

/** The default rules, in order. Both vocabularies; then lines with no line_item_type, read from their shape. */
export const DEFAULT_LINE_RULES: LineRule[] = [
  {rule: "applied_commit_or_credit", lineItemType: APPLIED, category: "applied_offset", note: "The negative line that offsets usage drawn from a commit or credit; not revenue."},
  {rule: "usage_from_credit", lineItemType: USAGE, commit: true, balance: "credit", category: "usage_credit", note: "Usage drawn from a credit: burns it; contra-revenue."},
  {rule: "usage_from_commit", lineItemType: USAGE, commit: true, category: "usage_commit", note: "Usage drawn from a prepaid or postpaid commit: burns it; revenue."},
  {rule: "usage_on_demand", lineItemType: USAGE, category: "usage_on_demand", note: "Usage with no commit_id: on demand (or overage); revenue."},
  {rule: "cpu_conversion", lineItemType: ["cpu_conversion"], category: "conversion", note: "Custom pricing units converted to fiat; revenue in the fiat credit type, no usage quantity."},
  {rule: "commit_purchase", lineItemType: PURCHASE, category: "purchase", note: "Paying for a commit or credit: billings, not revenue."},
  {rule: "true_up", lineItemType: TRUE_UP, category: "true_up", note: "A postpaid commit's shortfall, billed at the end of its term; revenue."},
  {rule: "rollover", lineItemType: ROLLOVER, category: "rollover", note: "A balance carried into a new term; not revenue."},
  {rule: "scheduled", lineItemType: SCHEDULED, category: "scheduled", note: "Scheduled, subscription and fixed charges; revenue."},
  {rule: "untyped_applied", untyped: true, commit: true, sign: "negative", category: "applied_offset", note: "No line type: a negative line naming a commit is its offset."},
  {rule: "untyped_true_up", untyped: true, invoiceType: TRUE_UP_INVOICES, category: "true_up", note: "No line type, on a true-up invoice."},
  {rule: "untyped_purchase", untyped: true, invoiceType: SCHEDULED_INVOICES, commit: true, category: "purchase", note: "No line type, on a scheduled invoice, naming the commit it pays for."},
  {rule: "untyped_scheduled", untyped: true, invoiceType: SCHEDULED_INVOICES, category: "scheduled", note: "No line type, on a scheduled (or plans-era in-advance) invoice."},
  {rule: "untyped_usage_from_credit", untyped: true, product: true, commit: true, balance: "credit", category: "usage_credit", note: "No line type: a product line drawing on a credit."},
  {rule: "untyped_usage_from_commit", untyped: true, product: true, commit: true, category: "usage_commit", note: "No line type: a product line drawing on a commit."},
  {rule: "untyped_usage_on_demand", untyped: true, product: true, commit: false, category: "usage_on_demand", note: "No line type: a product line with no commit (plans-era usage invoices read this way)."}
];

const RULE_KEYS = new Set(["rule", "lineItemType", "untyped", "invoiceType", "product", "commit", "balance", "sign", "category", "note"]);

/** Checks the config's rules (`lineCategories.rules`); `where` names the config file in messages. */
export function checkLineRules(rules: unknown, where: string): LineRule[] {
  if (!Array.isArray(rules)) throw new Error(`invalid lineCategories.rules in ${where}: a list of rules`);
  return rules.map((r, i) => {
    const at = `lineCategories.rules[${i}] in ${where}`;
    if (typeof r !== "object" || r === null) throw new Error(`invalid ${at}: a rule object`);
    for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) throw new Error(`invalid ${at}: unknown field ${key} (expected ${[...RULE_KEYS].join(", ")})`);
    const rule = r as LineRule;
    if (typeof rule.rule !== "string" || !rule.rule) throw new Error(`invalid ${at}: needs a rule name`);
    if (!LINE_CATEGORIES.includes(rule.category)) throw new Error(`invalid ${at}: category must be one of ${LINE_CATEGORIES.join(", ")}`);
    for (const key of ["lineItemType", "invoiceType"] as const) {
      const value = rule[key];
      if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) throw new Error(`invalid ${at}: ${key} must be a list of strings`);
    }
    for (const key of ["untyped", "product", "commit"] as const) {
      if (rule[key] !== undefined && typeof rule[key] !== "boolean") throw new Error(`invalid ${at}: ${key} must be true or false`);
    }
    if (rule.balance !== undefined && rule.balance !== "commit" && rule.balance !== "credit") throw new Error(`invalid ${at}: balance must be "commit" or "credit"`);
    if (rule.sign !== undefined && rule.sign !== "positive" && rule.sign !== "negative") throw new Error(`invalid ${at}: sign must be "positive" or "negative"`);
    if (rule.untyped && rule.lineItemType) throw new Error(`invalid ${at}: untyped and lineItemType exclude each other`);
    return rule;
  });
}

/**
 * The rules in force: the config's rules first, in their order, except that one named like a default replaces that
 * default in place; then the defaults. `burnLineItemTypes` (the setting before rules existed) becomes two rules
 * ahead of everything: those types, naming a commit, are usage drawn from it.
 */
export function lineRules(configRules: LineRule[] = [], burnLineItemTypes: string[] = []): LineRule[] {
  const replacing = new Map(configRules.filter((r) => DEFAULT_LINE_RULES.some((d) => d.rule === r.rule)).map((r) => [r.rule, r]));
  const added = configRules.filter((r) => !replacing.has(r.rule));
  const legacy: LineRule[] = burnLineItemTypes.length
    ? [
        {rule: "burnLineItemTypes_credit", lineItemType: burnLineItemTypes, commit: true, balance: "credit", category: "usage_credit", note: "burnLineItemTypes (config)"},
        {rule: "burnLineItemTypes", lineItemType: burnLineItemTypes, commit: true, category: "usage_commit", note: "burnLineItemTypes (config)"}
      ]
    : [];
  return [...legacy, ...added, ...DEFAULT_LINE_RULES.map((d) => replacing.get(d.rule) ?? d)];
}

/** The rules as rows of the meterbook_line_rules parameter table (build.ts). */
export function lineRuleRows(rules: LineRule[]): Array<Array<string | number | boolean | null>> {
  return rules.map((r, i) => [
    i + 1, r.rule, r.lineItemType ? JSON.stringify(r.lineItemType) : null, r.untyped ?? null,
    r.invoiceType ? JSON.stringify(r.invoiceType.map((t) => t.toUpperCase())) : null,
    r.product ?? null, r.commit ?? null, r.balance ?? null, r.sign ?? null, r.category
  ]);
}
