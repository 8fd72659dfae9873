// Words for the marts' codes: the site's labels (status, flags, balance types) and the words a customer reads in
// reports and decks (pace, commitment names) — never the internal status names or flags in customer documents.

export const STATUS_LABELS: Record<string, string> = {over: "Over pace", under: "Under pace", on_track: "On track"};

export const FLAG_LABELS: Record<string, string> = {
  week1_spike: "Week-1 spike",
  unsustainable: "Unsustainable",
  adoption_risk: "Adoption risk",
  negative_balance: "Negative balance"
};

/** Usage patterns (docs/metrics.md, "Usage patterns"), as pages name them. */
export const PATTERN_LABELS: Record<string, string> = {
  early_spike: "Early spike",
  spike_and_drop: "Spike and drop",
  expansion_candidate: "Expansion candidate",
  gradual_growth: "Gradual growth",
  likely_breakage: "Likely breakage"
};

export const BALANCE_TYPE_LABELS: Record<string, string> = {prepaid: "Prepaid commit", postpaid: "Postpaid commit", credit: "Credit", free_commit: "Free commit"};

/** Invoice line categories (docs/line-categories.md), as pages name them. */
export const CATEGORY_LABELS: Record<string, string> = {
  usage_on_demand: "Usage on demand",
  usage_commit: "Usage drawn from commits",
  usage_credit: "Usage drawn from credits",
  conversion: "Custom-unit conversions",
  scheduled: "Scheduled and fixed charges",
  true_up: "True-ups",
  applied_offset: "Applied commit and credit offsets",
  purchase: "Commit and credit purchases",
  rollover: "Rollovers",
  other: "Unclassified lines"
};

/** Pacing status in a customer's words. */
export const PACE_WORDS: Record<string, {title: string; sentence: string}> = {
  over: {title: "Ahead of plan", sentence: "You are using your commitment faster than an even pace through its term."},
  under: {title: "Behind plan", sentence: "You are using your commitment more slowly than an even pace through its term."},
  on_track: {title: "On plan", sentence: "You are using your commitment at about an even pace through its term."}
};

const COMMITMENT_WORDS: Record<string, string> = {prepaid: "Prepaid commitment", postpaid: "Commitment", credit: "Credit", free_commit: "Commitment"};

/** A balance's name as a customer reads it: its own name, else its kind. */
export function commitmentName(b: {balance_name: string | null; balance_type: string}): string {
  return b.balance_name ?? COMMITMENT_WORDS[b.balance_type] ?? "Commitment";
}

/** The two forecasts the backtest scores (forecast_accuracy.method; docs/forecast.md). */
export const FORECAST_METHOD_LABELS: Record<string, string> = {baseline: "Baseline (30-day mean)", v2: "Forecast v2"};

/** /unit-economics' first view without a cost input (an export and config with no cost files): the page's and its preview's. */
export const NO_COST_INPUT_HTML = "No cost input is configured: add a <code>cost</code> section to meterbook.config.json (docs/unit-economics.md).";
