// Meterbook's settings: defaults, overridden by meterbook.config.json (or $METERBOOK_CONFIG), then by environment
// variables. Everything a real user may need to read differently from the sample lives here.
import {existsSync, readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {checkLineRules, type LineRule} from "./models/lineRules.js";
import {checkAlertRules, type AlertRule} from "./alerts/rules.js";
import {checkPatterns, PATTERN_DEFAULTS, type PatternThresholds} from "./models/patterns.js";
import {DEFAULT_MEMORY_LIMIT, MEMORY_SIZE, useMemoryLimit} from "./lib/duckdb.js";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface Branding {
  companyName: string;
  logo: string | null;
  primaryColor: string;
  accentColor: string;
  footer: string;
}

export interface Config {
  /** Where data comes from: a Data Export folder (`exportDir`), or a folder written by `meterbook pull` (`apiDir`). */
  source: "export" | "api";
  /** Export folder; null means the embedded sample export (generated on first use). */
  exportDir: string | null;
  /** With source "api": the folder `meterbook pull --out` wrote (its `export/` subfolder is read). */
  apiDir: string | null;
  /**
   * The snapshot's as-of date (YYYY-MM-DD; data complete for the days before it). Null: the export's latest transfer
   * date, or today for a flat export with no dt= partitions, or the sample's fixed date.
   */
  asOf: string | null;
  /** Rows of other environments are dropped (Metronome sends SANDBOX and PRODUCTION to one destination). */
  environment: string;
  /** How invoice lines are read (docs/line-categories.md): rules ahead of, or replacing, the defaults. */
  lineCategories: {rules: LineRule[]};
  /**
   * The setting before line rules: `line_item_type` values that, naming a commit, burn it. Empty by default; when
   * set, they become the first rules (lineRules.ts).
   */
  burnLineItemTypes: string[];
  /** The custom field holding the customer's owner (CSM). */
  ownerField: string;
  /** How customers are labelled: by name, first ingest alias, or id; duplicates get an id suffix. */
  labelSource: "name" | "ingest_alias" | "id";
  branding: Branding;
  /** Infrastructure cost for unit economics (docs/unit-economics.md); null: none, except the sample's own. */
  cost: CostConfig | null;
  /** The published site's base URL (`https://meterbook.example.com`), for links in alert messages; null: no links. */
  siteUrl: string | null;
  /** `meterbook alerts` (docs/alerts.md): rules and where each owner's alerts go. Secrets stay in the environment. */
  alerts: AlertsConfig;
  /** `meterbook digest` (docs/alerts.md): the weekly leadership email's recipients; `from` defaults to alerts.email.from. */
  digest: {to: string[]; from: string | null};
  /**
   * `meterbook report --send` (docs/alerts.md): each customer's admin address, from the customer custom field
   * `emailField` or the CSV/JSON file `recipients` (customer_id → address; relative to the config file). The file wins.
   */
  reports: {emailField: string | null; recipients: string | null; from: string | null};
  /** The usage patterns' thresholds (docs/metrics.md, "Usage patterns"), over the defaults. */
  patterns: PatternThresholds;
  /**
   * The memory budget of each Meterbook process that opens DuckDB (snapshot, site files, reports, doctor): a size
   * such as "1.5GB" or "256MB". DuckDB's buffers get two fifths of it (at least 256 MB, or all of a smaller
   * budget; duckdbMemory), past which DuckDB spills to a temporary folder beside the output; the rest is what the
   * process holds beside them (docs/scaling.md).
   * METERBOOK_MEMORY_LIMIT overrides it, and `meterbook snapshot --memory-limit` overrides both.
   */
  memoryLimit: string;
}

export interface AlertsConfig {
  rules: AlertRule[];
  /** Per owner, the NAME of the environment variable holding their Slack webhook; others use METERBOOK_SLACK_WEBHOOK_URL. */
  slack: {owners: Record<string, string>};
  /** Per owner, their email address; others get `to`. `from` is the sender. */
  email: {owners: Record<string, string>; to: string[]; from: string};
  /** The /alerts page's replayed history: this many as-of dates, a week apart, ending at the snapshot's. */
  history: {weeks: number};
}

/** A mapping rule: every condition given must hold; the first rule that matches a cost row wins. */
export interface CostRule {
  /** A product's name or id, or "shared" for cost allocated across customers by `sharedAllocationMetric`. */
  product: string;
  /** `key=value` (or `key` for any value) in a FOCUS row's Tags. */
  tag?: string;
  /** FOCUS ServiceName. */
  service?: string;
  /** The minimal CSV's cost_center. */
  costCenter?: string;
}

export interface CostConfig {
  /** FOCUS exports or minimal cost CSVs (.csv or .parquet), or folders of them; relative to the config file. */
  files: string[];
  rules: CostRule[];
  /** Billable metric or product (name or id) whose usage share splits shared cost. Required when a rule says "shared". */
  sharedAllocationMetric: string | null;
  /** The FOCUS column read as cost: EffectiveCost (amortized, the default) or BilledCost (as invoiced). */
  focusCostColumn: "EffectiveCost" | "BilledCost";
}

export const DEFAULT_CONFIG: Config = {
  source: "export",
  exportDir: null,
  apiDir: null,
  asOf: null,
  environment: "PRODUCTION",
  lineCategories: {rules: []},
  burnLineItemTypes: [],
  ownerField: "owner",
  labelSource: "name",
  branding: {
    companyName: "Meterbook",
    logo: null,
    primaryColor: "#4269d0",
    accentColor: "#efb118",
    footer: "Figures are in the currency of your contract. Usage for the current period is provisional until the invoice is finalized."
  },
  cost: null,
  siteUrl: null,
  alerts: {rules: checkAlertRules(undefined, "defaults"), slack: {owners: {}}, email: {owners: {}, to: [], from: "Meterbook <meterbook@localhost>"}, history: {weeks: 6}},
  digest: {to: [], from: null},
  reports: {emailField: null, recipients: null, from: null},
  patterns: PATTERN_DEFAULTS,
  memoryLimit: DEFAULT_MEMORY_LIMIT
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = PROJECT_ROOT): Config {
  const path = env.METERBOOK_CONFIG ? resolve(env.METERBOOK_CONFIG) : join(root, "meterbook.config.json");
  let file: Partial<Config> = {};
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new Error(`invalid config file ${path}: ${(error as Error).message}`);
    }
  } else if (env.METERBOOK_CONFIG) {
    throw new Error(`config file not found: ${path}`);
  }
  const config: Config = {...DEFAULT_CONFIG, ...file, branding: {...DEFAULT_CONFIG.branding, ...file.branding}};
  if (file.exportDir) config.exportDir = resolve(dirname(path), file.exportDir);
  if (env.METERBOOK_EXPORT_DIR) config.exportDir = resolve(env.METERBOOK_EXPORT_DIR);
  config.lineCategories = {rules: checkLineRules(file.lineCategories?.rules ?? [], path)};
  if (!Array.isArray(config.burnLineItemTypes) || config.burnLineItemTypes.some((t) => typeof t !== "string")) throw new Error(`invalid burnLineItemTypes in ${path}: a list of line_item_type values`);
  if (file.cost) config.cost = resolveCost(file.cost, dirname(path), path);
  if (file.apiDir) config.apiDir = resolve(dirname(path), file.apiDir);
  if (env.METERBOOK_API_DIR) config.apiDir = resolve(env.METERBOOK_API_DIR);
  if (env.METERBOOK_SOURCE) config.source = env.METERBOOK_SOURCE as Config["source"];
  if (env.METERBOOK_ENVIRONMENT) config.environment = env.METERBOOK_ENVIRONMENT;
  if (env.METERBOOK_AS_OF) config.asOf = env.METERBOOK_AS_OF;
  if (!["export", "api"].includes(config.source)) throw new Error(`invalid source in ${path}: ${config.source} (expected "export" or "api")`);
  if (config.source === "api" && !config.apiDir) throw new Error(`source "api" needs apiDir (the folder meterbook pull --out wrote) in ${path} or $METERBOOK_API_DIR`);
  if (!["name", "ingest_alias", "id"].includes(config.labelSource)) throw new Error(`invalid labelSource in ${path}: ${config.labelSource}`);
  config.alerts = checkAlerts(file.alerts, path);
  config.digest = checkDigest(file.digest, path);
  config.reports = checkReports(file.reports, dirname(path), path);
  config.patterns = checkPatterns(file.patterns, path);
  if (config.siteUrl !== null && (typeof config.siteUrl !== "string" || !/^https?:\/\/[^\s]+$/.test(config.siteUrl))) throw new Error(`invalid siteUrl in ${path}: an http(s) URL, e.g. "https://meterbook.example.com"`);
  if (config.siteUrl) config.siteUrl = config.siteUrl.replace(/\/+$/, "");
  if (env.METERBOOK_MEMORY_LIMIT) config.memoryLimit = env.METERBOOK_MEMORY_LIMIT;
  if (typeof config.memoryLimit !== "string" || !MEMORY_SIZE.test(config.memoryLimit.trim())) throw new Error(`invalid memoryLimit in ${path}: a size such as "1.5GB" or "256MB"`);
  // The budget holds for every DuckDB this process opens from now on, whoever opens it.
  useMemoryLimit(config.memoryLimit);
  return config;
}

/** Checks a cost section and resolves its file paths against `base`. */
export function resolveCost(cost: Partial<CostConfig>, base: string, where = "config"): CostConfig {
  if (!Array.isArray(cost.files) || cost.files.some((f) => typeof f !== "string")) throw new Error(`invalid cost.files in ${where}: a list of paths`);
  const rules = cost.rules ?? [];
  if (!Array.isArray(rules)) throw new Error(`invalid cost.rules in ${where}: a list of rules`);
  rules.forEach((r, i) => {
    if (typeof r?.product !== "string" || !r.product) throw new Error(`invalid cost.rules[${i}] in ${where}: needs a product (name, id or "shared")`);
    if (r.tag === undefined && r.service === undefined && r.costCenter === undefined) throw new Error(`invalid cost.rules[${i}] in ${where}: needs tag, service or costCenter`);
  });
  const column = cost.focusCostColumn ?? "EffectiveCost";
  if (column !== "EffectiveCost" && column !== "BilledCost") throw new Error(`invalid cost.focusCostColumn in ${where}: EffectiveCost or BilledCost`);
  return {files: cost.files.map((f) => resolve(base, f)), rules, sharedAllocationMetric: cost.sharedAllocationMetric ?? null, focusCostColumn: column};
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** Checks the alerts section: rules (alerts/rules.ts), Slack webhooks by environment variable NAME, email addresses. */
export function checkAlerts(alerts: Partial<AlertsConfig> | undefined, where = "config"): AlertsConfig {
  const defaults = DEFAULT_CONFIG.alerts;
  if (alerts === undefined) return {...defaults, rules: checkAlertRules(undefined, where)};
  if (typeof alerts !== "object" || alerts === null) throw new Error(`invalid alerts in ${where}: an object with rules, slack, email`);
  const slackOwners = alerts.slack?.owners ?? {};
  for (const [owner, name] of Object.entries(slackOwners)) {
    // A URL here would put the secret in a file: only the name of the variable that holds it belongs in the config.
    if (typeof name !== "string" || !ENV_NAME.test(name)) throw new Error(`invalid alerts.slack.owners.${owner} in ${where}: the NAME of an environment variable holding the webhook (e.g. METERBOOK_SLACK_WEBHOOK_DANA), never the URL`);
  }
  const emailOwners = alerts.email?.owners ?? {};
  for (const [owner, address] of Object.entries(emailOwners)) {
    if (typeof address !== "string" || !EMAIL.test(address)) throw new Error(`invalid alerts.email.owners.${owner} in ${where}: an email address`);
  }
  const to = alerts.email?.to ?? [];
  if (!Array.isArray(to) || to.some((a) => typeof a !== "string" || !EMAIL.test(a))) throw new Error(`invalid alerts.email.to in ${where}: a list of email addresses`);
  const from = alerts.email?.from ?? defaults.email.from;
  if (typeof from !== "string" || !from.includes("@")) throw new Error(`invalid alerts.email.from in ${where}: a sender address`);
  const weeks = alerts.history?.weeks ?? defaults.history.weeks;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) throw new Error(`invalid alerts.history.weeks in ${where}: a whole number of weeks, 1 to 104`);
  return {rules: checkAlertRules(alerts.rules, where), slack: {owners: {...slackOwners}}, email: {owners: {...emailOwners}, to: [...to], from}, history: {weeks}};
}

/** Checks the digest section: a list of addresses, and an optional sender. */
export function checkDigest(digest: Partial<Config["digest"]> | undefined, where = "config"): Config["digest"] {
  if (digest === undefined) return {to: [], from: null};
  const to = digest.to ?? [];
  if (!Array.isArray(to) || to.some((a) => typeof a !== "string" || !EMAIL.test(a))) throw new Error(`invalid digest.to in ${where}: a list of email addresses`);
  const from = digest.from ?? null;
  if (from !== null && (typeof from !== "string" || !from.includes("@"))) throw new Error(`invalid digest.from in ${where}: a sender address`);
  return {to: [...to], from};
}

/** Checks the reports section: the custom field or the mapping file (resolved against `base`) holding admin addresses. */
export function checkReports(reports: Partial<Config["reports"]> | undefined, base: string, where = "config"): Config["reports"] {
  if (reports === undefined) return {emailField: null, recipients: null, from: null};
  const {emailField = null, recipients = null, from = null} = reports;
  if (emailField !== null && (typeof emailField !== "string" || !emailField)) throw new Error(`invalid reports.emailField in ${where}: the name of a customer custom field`);
  if (recipients !== null && (typeof recipients !== "string" || !/\.(csv|json)$/i.test(recipients))) throw new Error(`invalid reports.recipients in ${where}: the path of a .csv or .json file mapping customer_id to address`);
  if (from !== null && (typeof from !== "string" || !from.includes("@"))) throw new Error(`invalid reports.from in ${where}: a sender address`);
  return {emailField, recipients: recipients === null ? null : resolve(base, recipients), from};
}
