// Alert rules: the kinds Meterbook can evaluate from a snapshot (Metronome's own alert types that the export lets us
// compute — low remaining balance, low remaining percentage, days to exhaustion — plus pacing status, flags, a
// negative balance and stale data), the default rule set, and the check of `alerts.rules` in meterbook.config.json.
// Each kind's condition is defined once, in conditions.ts; docs/alerts.md explains them.

export const ALERT_KINDS = [
  "low_remaining_amount",
  "low_remaining_pct",
  "low_days_to_exhaustion",
  "status",
  "flag",
  "negative_balance",
  "stale_data"
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PACING_FLAGS = ["week1_spike", "unsustainable", "adoption_risk", "negative_balance"] as const;

export interface AlertRule {
  /** Names the rule in messages and in the state; a config rule with a default's id replaces that default. */
  id: string;
  kind: AlertKind;
  /**
   * low_remaining_amount: {credit type name or id: amount in its minor unit (cents for USD)}; low_remaining_pct: a
   * percentage; low_days_to_exhaustion: days; status: "over" or "under"; flag: a pacing flag; stale_data: days a
   * table may lag behind as_of; negative_balance: none.
   */
  threshold?: number | string | Record<string, number>;
  severity: Severity;
  /** The condition must hold on this many consecutive snapshots before the alert fires ("wait 24 hours"). */
  consecutive: number;
  /** stale_data only: the tables checked (default: the invoice and breakdown tables the export delivers). */
  tables?: string[];
  /** false drops a default rule of the same id. */
  enabled?: boolean;
}

/** Spike-type rules — a burst of (possibly backdated) usage — wait for a second snapshot by default. */
const SPIKE = 2;

export const DEFAULT_ALERT_RULES: AlertRule[] = [
  {id: "low_remaining_pct", kind: "low_remaining_pct", threshold: 20, severity: "warning", consecutive: 1},
  {id: "exhaustion_within_30_days", kind: "low_days_to_exhaustion", threshold: 30, severity: "critical", consecutive: 1},
  {id: "over_pace", kind: "status", threshold: "over", severity: "warning", consecutive: SPIKE},
  {id: "under_pace", kind: "status", threshold: "under", severity: "info", consecutive: 1},
  {id: "week1_spike", kind: "flag", threshold: "week1_spike", severity: "warning", consecutive: SPIKE},
  {id: "unsustainable", kind: "flag", threshold: "unsustainable", severity: "warning", consecutive: SPIKE},
  {id: "adoption_risk", kind: "flag", threshold: "adoption_risk", severity: "info", consecutive: 1},
  {id: "negative_balance", kind: "negative_balance", severity: "critical", consecutive: 1},
  {id: "stale_data", kind: "stale_data", threshold: 2, severity: "warning", consecutive: 1}
];

const RULE_KEYS = new Set(["id", "kind", "threshold", "severity", "consecutive", "tables", "enabled"]);
const SAFE_ID = /^[A-Za-z0-9_.-]+$/;

/** Checks `alerts.rules` and returns the rules in force: defaults (replaced in place by id), then the config's others. */
export function checkAlertRules(rules: unknown, where: string): AlertRule[] {
  if (rules === undefined) return DEFAULT_ALERT_RULES.map((r) => ({...r}));
  if (!Array.isArray(rules)) throw new Error(`invalid alerts.rules in ${where}: a list of rules`);
  const given = rules.map((r, i) => checkRule(r, `alerts.rules[${i}] in ${where}`));
  const ids = new Set<string>();
  for (const [i, r] of given.entries()) {
    if (ids.has(r.id)) throw new Error(`invalid alerts.rules[${i}] in ${where}: id ${r.id} is given twice`);
    ids.add(r.id);
  }
  const byId = new Map(given.map((r) => [r.id, r]));
  const merged = DEFAULT_ALERT_RULES.map((d) => byId.get(d.id) ?? {...d});
  for (const r of given) if (!DEFAULT_ALERT_RULES.some((d) => d.id === r.id)) merged.push(r);
  return merged.filter((r) => r.enabled !== false);
}

function checkRule(r: unknown, at: string): AlertRule {
  if (typeof r !== "object" || r === null || Array.isArray(r)) throw new Error(`invalid ${at}: a rule object`);
  for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) throw new Error(`invalid ${at}: unknown field ${key} (expected ${[...RULE_KEYS].join(", ")})`);
  const given = r as Partial<AlertRule>;
  if (typeof given.id !== "string" || !SAFE_ID.test(given.id)) throw new Error(`invalid ${at}: needs an id of letters, digits, _ . -`);
  const fallback = DEFAULT_ALERT_RULES.find((d) => d.id === given.id);
  // A rule named like a default may give only what it changes (e.g. the threshold, or enabled: false).
  const rule = {...fallback, ...given} as AlertRule;
  if (rule.enabled === false) return rule;
  if (!ALERT_KINDS.includes(rule.kind)) throw new Error(`invalid ${at}: kind must be one of ${ALERT_KINDS.join(", ")}`);
  rule.severity ??= "warning";
  if (!SEVERITIES.includes(rule.severity)) throw new Error(`invalid ${at}: severity must be one of ${SEVERITIES.join(", ")}`);
  rule.consecutive ??= isSpike(rule) ? SPIKE : 1;
  if (!Number.isInteger(rule.consecutive) || rule.consecutive < 1 || rule.consecutive > 30) throw new Error(`invalid ${at}: consecutive must be a whole number of snapshots, 1 to 30`);
  const t = rule.threshold;
  const number = (what: string, min: number, max: number) => {
    if (typeof t !== "number" || !Number.isFinite(t) || t < min || t > max) throw new Error(`invalid ${at}: threshold must be ${what} (${min} to ${max})`);
  };
  switch (rule.kind) {
    case "low_remaining_amount":
      if (typeof t !== "object" || t === null || Array.isArray(t) || !Object.keys(t).length || Object.values(t).some((v) => typeof v !== "number" || !Number.isFinite(v)))
        throw new Error(`invalid ${at}: threshold must map credit types to amounts in their minor unit, e.g. {"USD (cents)": 500000} for $5,000`);
      break;
    case "low_remaining_pct":
      number("a percentage of the commit", 0, 100);
      break;
    case "low_days_to_exhaustion":
      number("a number of days", 0, 3660);
      break;
    case "stale_data":
      number("a number of days", 0, 366);
      if (rule.tables !== undefined && (!Array.isArray(rule.tables) || rule.tables.some((x) => typeof x !== "string"))) throw new Error(`invalid ${at}: tables must be a list of export table names`);
      break;
    case "status":
      if (t !== "over" && t !== "under") throw new Error(`invalid ${at}: threshold must be "over" or "under"`);
      break;
    case "flag":
      if (!PACING_FLAGS.includes(t as never)) throw new Error(`invalid ${at}: threshold must be one of the pacing flags ${PACING_FLAGS.join(", ")}`);
      break;
    case "negative_balance":
      if (t !== undefined) throw new Error(`invalid ${at}: negative_balance takes no threshold`);
      break;
  }
  if (rule.tables !== undefined && rule.kind !== "stale_data") throw new Error(`invalid ${at}: tables is for stale_data rules only`);
  return rule;
}

function isSpike(rule: AlertRule): boolean {
  return (rule.kind === "status" && rule.threshold === "over") || (rule.kind === "flag" && (rule.threshold === "week1_spike" || rule.threshold === "unsustainable"));
}
