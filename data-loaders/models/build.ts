// Builds the models of a snapshot after staging: parameter tables from the config, then the intermediate models and
// marts (models/run.ts, in dependency order), the cost models (models/cost.ts), the findings (models/findings/) and
// their mart, and every declared check.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../config.js";
import {buildCostModels} from "./cost.js";
import type {Finding, Observation} from "../errors.js";
import {loadTable, rows, type AppendType} from "../lib/duckdb.js";
import {lineRuleRows, lineRules} from "./lineRules.js";
import {PATTERN_DEFAULTS} from "./patterns.js";
import {INTERMEDIATE} from "./intermediate/schema.js";
import {MART_MODELS} from "./marts/schema.js";
import {dependencies, runChecks, runModels} from "./run.js";
import {describe, findingSql, runFindingChecks, sortFindings, writeFindingsTable} from "./findings/findings.js";
import {FINDING_CHECKS, type FindingCheck} from "./findings/schema.js";

export {MARTS, type Mart} from "./marts/schema.js";

export type DailySource = "breakdowns" | "draft_history" | "even_spread";

/** Which path made a mart's daily figures (docs/metrics.md, "Daily figures"): one, "mixed", or null (no invoices). */
export interface MartDailySource {
  daily_source: DailySource | "mixed" | null;
  /** Invoices per path. */
  invoices: Partial<Record<DailySource, number>>;
}

export interface ModelResult {
  checks: {name: string; passed: boolean}[];
  /** Every finding, staging's included, by severity (findings/findings.ts); also the `findings` mart. */
  findings: Finding[];
  /** For each mart made from the daily lines (by mart name, as in MARTS). */
  daily_sources: Record<string, MartDailySource>;
}

/** meterbook_line_rules: the line rules in force, in order (lineRules.ts), its lists loaded as JSON text. */
const LINE_RULE_COLUMNS: Array<[string, AppendType]> = [
  ["ordinal", "INTEGER"], ["rule", "VARCHAR"], ["line_types_json", "VARCHAR"], ["untyped", "BOOLEAN"], ["invoice_types_json", "VARCHAR"],
  ["product", "BOOLEAN"], ["commit", "BOOLEAN"], ["balance", "VARCHAR"], ["sign", "VARCHAR"], ["category", "VARCHAR"]
];

/** Every model after staging, in declared order (the runner orders them by what they read). */
export const MODELS = [...INTERMEDIATE, ...MART_MODELS];

/** Built after every other model: it reads what the finding checks found over them. */
const FINDINGS_MART = "mart_findings";

export interface BuildOptions {
  asOf: string;
  config: Config;
  log?: (message: string) => void;
  /** What staging observed (orphans, repeated deliveries), to describe and write with the models' findings. */
  staged?: Observation[];
  /** The findings catalog (tests raise a severity to exercise --strict). */
  findingChecks?: FindingCheck[];
  /**
   * Only these models are wanted (`meterbook doctor`): they are built with what they read, what the finding checks
   * and the log read, and the findings mart; the other marts and the cost models are not. Default: every model.
   */
  only?: string[];
  /** Where models materialized as Parquet go (models/run.ts); none: they are tables. */
  scratch?: string | null;
  /** The snapshot's marts folder: the SQL marts are written there as they are built (models/run.ts, writeMart). */
  marts?: string | null;
}

/** The models `names` read, with everything they are built from, in declared order. */
export function modelsFor(names: string[]): typeof MODELS {
  const all = new Set(MODELS.map((m) => m.name));
  const byName = new Map(MODELS.map((m) => [m.name, m]));
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const d of dependencies(byName.get(name)!, all)) visit(d);
  };
  for (const name of names) visit(name);
  return MODELS.filter((m) => needed.has(m.name));
}

/** The models to build for `only`: those named, the finding checks' and the log's reads, and all they read in turn. */
export function modelClosure(only: string[], findingChecks: FindingCheck[] = FINDING_CHECKS): Set<string> {
  const names = new Set(MODELS.map((m) => m.name));
  const reads = (sql: string) => (sql.replace(/--[^\n]*/g, "").match(/\b(?:stg|int|mart)_[a-z0-9_]+\b/g) ?? []).filter((n) => names.has(n));
  const roots = [...only, ...findingChecks.filter((c) => (c.source ?? "sql") === "sql").flatMap((c) => reads(findingSql(c))), "mart_line_categories", "int_invoice_daily_sources", FINDINGS_MART];
  return new Set(modelsFor(roots).map((m) => m.name));
}

export async function buildModels(connection: DuckDBConnection, {asOf, config, log = () => {}, staged = [], findingChecks = FINDING_CHECKS, only, scratch = null, marts = null}: BuildOptions): Promise<ModelResult> {
  await writeParams(connection, asOf, config);
  const wanted = only ? modelClosure(only, findingChecks) : null;
  const built = MODELS.filter((m) => !wanted || wanted.has(m.name));
  await runModels(connection, built.filter((m) => m.source !== "cost" && m.name !== FINDINGS_MART), {log, scratch, marts});
  const costFindings = wanted ? [] : await buildCostModels(connection, config.cost, {log});
  await logUnclassifiedLines(connection, log);
  const observed = [...staged, ...(await runFindingChecks(connection, findingChecks, log)), ...costFindings];
  const findings = sortFindings(observed.map((o) => describe(o, findingChecks)));
  await writeFindingsTable(connection, findings);
  await runModels(connection, MODELS.filter((m) => m.name === FINDINGS_MART), {log});
  const checks = await runChecks(connection, built, log);
  return {checks, findings, daily_sources: await dailySources(connection)};
}

/** The parameter tables every model reads (as_of, owner field, label source, line rules); also used by the alert replay. */
export async function writeParams(connection: DuckDBConnection, asOf: string, config: Config): Promise<void> {
  await connection.run(`create or replace table meterbook_params (as_of date, owner_field varchar, label_source varchar)`);
  await connection.run(`insert into meterbook_params values ($1::date, $2, $3)`, [asOf, `$.${JSON.stringify(config.ownerField)}`, config.labelSource] as never);
  // The usage patterns' thresholds (patterns.ts), one row, columns in snake case.
  const thresholds = config.patterns ?? PATTERN_DEFAULTS;
  await connection.run(`create or replace table meterbook_pattern_params as select ${Object.entries(thresholds).map(([k, v]) => `${Number(v)}::double as ${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`).join(", ")}`);
  await loadTable(connection, "meterbook_line_rules_json", LINE_RULE_COLUMNS, lineRuleRows(lineRules(config.lineCategories.rules, config.burnLineItemTypes)));
  await connection.run(`create or replace table meterbook_line_rules as
    select * exclude (line_types_json, invoice_types_json),
      from_json(line_types_json, '["VARCHAR"]') as line_types, from_json(invoice_types_json, '["VARCHAR"]') as invoice_types
    from meterbook_line_rules_json`);
}

/** Every mart that reads the daily lines, directly or through other models. */
export function martsFromDailyLines(): string[] {
  const names = new Set(MODELS.map((m) => m.name));
  const reads = new Map(MODELS.map((m) => [m.name, dependencies(m, names)]));
  const fromDaily = (name: string, seen = new Set<string>()): boolean =>
    name === "int_daily_lines" || (!seen.has(name) && (seen.add(name), (reads.get(name) ?? []).some((d) => fromDaily(d, seen))));
  return MART_MODELS.filter((m) => fromDaily(m.name)).map((m) => m.name);
}

async function dailySources(connection: DuckDBConnection): Promise<Record<string, MartDailySource>> {
  const counts = await rows<{daily_source: DailySource; n: number}>(connection, `select daily_source, count(*)::integer as n from int_invoice_daily_sources group by all order by all`);
  const invoices = Object.fromEntries(counts.map((c) => [c.daily_source, c.n])) as Partial<Record<DailySource, number>>;
  const daily_source = counts.length === 0 ? null : counts.length === 1 ? counts[0]!.daily_source : "mixed";
  return Object.fromEntries(martsFromDailyLines().map((m) => [m.replace(/^mart_/, ""), {daily_source, invoices}]));
}

/** Each line type (or untyped shape) no rule knows, named in the log (the finding unclassified_lines counts them). */
async function logUnclassifiedLines(connection: DuckDBConnection, log: (message: string) => void): Promise<void> {
  const other = await rows<{line_item_type: string | null; invoice_type: string | null; credit_type_id: string; line_count: string; total_minor: string}>(connection, `
    select line_item_type, invoice_type, credit_type_id, sum(line_count)::bigint as line_count, sum(total_minor)::decimal(38, 9) as total_minor
    from mart_line_categories where category = 'other' group by all order by all`);
  for (const o of other) {
    const type = o.line_item_type === null ? "no line_item_type" : `line_item_type ${JSON.stringify(o.line_item_type)}`;
    log(`snapshot: line category other — ${type} on ${o.invoice_type ?? "untyped"} invoices: ${o.line_count} line${o.line_count === "1" ? "" : "s"}, total ${o.total_minor} (credit type ${o.credit_type_id}); counted in no figure (docs/line-categories.md: add a rule)`);
  }
}
