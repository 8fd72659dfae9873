// `meterbook digest --week YYYY-Www`: the weekly leadership email (multipart text + HTML) — at-risk accounts as of the
// snapshot, what changed since the snapshot a week earlier (from the alerts state's observations, when given), and
// revenue week over week by category. Figures come from figures.ts (SQL over the marts); delivery from delivery/.
import type {Config} from "../config.js";
import {secretNames, smtpFromEnv} from "../delivery/destinations.js";
import type {EmailMessage} from "../delivery/email.js";
import {dryRunOutbox, liveOutbox} from "../delivery/outbox.js";
import type {RetryOptions} from "../delivery/retry.js";
import {DeliveryError, redact, secretsOf} from "../delivery/secrets.js";
import {evaluate, type Evaluation} from "../alerts/evaluate.js";
import {ruleTitle, customerUrl} from "../alerts/messages.js";
import {readState} from "../alerts/state.js";
import {InputError} from "../errors.js";
import {addDays} from "../../src/core/periods.js";
import {money, percent, type CreditTypes} from "../../src/core/format.js";
import {esc} from "../../src/core/escape.js";
import {BALANCE_TYPE_LABELS, CATEGORY_LABELS, STATUS_LABELS} from "../../src/core/vocabulary.js";
import {atRisk, isoWeek, weekRevenue, type AtRisk, type Week, type WeekRevenue} from "./figures.js";


const REASON_WORDS: Record<string, string> = {negative_balance: "negative balance", exhausts_before_end: "runs out before the term ends", over: "over pace", under: "under pace"};

/** A segment whose pacing status differs from the one a week earlier; `was` null: not known then (not observed). */
export interface StatusChange {
  subject_id: string;
  customer_id: string;
  label: string;
  commitment: string;
  was: string;
  now: string;
}

export interface Changes {
  /** The as_of of the earlier snapshot compared with; null: none in the state. */
  since: string | null;
  status: StatusChange[];
  /** Alert conditions holding now and not then, and the reverse: `rule title · label` lines. */
  started: string[];
  ended: string[];
}

export interface Digest {
  asOf: string;
  week: Week;
  atRisk: AtRisk[];
  revenue: WeekRevenue[];
  changes: Changes;
  creditTypes: CreditTypes;
}

/**
 * Status changes since the latest observation at least 7 days before as_of. The state records which rule conditions
 * held; a segment's status then is `over` (or `under`) where a status rule for it held, else on track.
 */
export function changesSince(evaluation: Evaluation, stateDir: string | null, config: Config): Changes {
  const asOf = evaluation.as_of;
  const earlier = stateDir ? readState(stateDir).observations.filter((o) => o.as_of <= addDays(asOf, -7)).at(-1) : undefined;
  if (!earlier) return {since: null, status: [], started: [], ended: []};
  const rules = new Map(config.alerts.rules.map((r) => [r.id, r]));
  const statusThen = new Map<string, string>();
  for (const h of earlier.holding) {
    const rule = rules.get(h.rule_id);
    if (rule?.kind === "status") statusThen.set(h.subject_id, String(rule.threshold));
  }
  const status: StatusChange[] = [];
  for (const s of evaluation.segments.values()) {
    const was = statusThen.get(s.subject_id) ?? "on_track";
    if (was !== s.status) status.push({subject_id: s.subject_id, customer_id: s.customer_id, label: s.label, commitment: s.commitment, was, now: s.status});
  }
  status.sort((a, b) => a.label.localeCompare(b.label) || a.subject_id.localeCompare(b.subject_id));
  const key = (h: {rule_id: string; subject_id: string}) => `${h.rule_id}|${h.subject_id}`;
  const then = new Set(earlier.holding.map(key));
  const now = new Set(evaluation.holding.map(key));
  const line = (h: {rule_id: string; subject_id: string}) => {
    const rule = rules.get(h.rule_id);
    const s = evaluation.segments.get(h.subject_id);
    return `${rule ? ruleTitle(rule) : h.rule_id} · ${s ? `${s.label} — ${s.commitment}` : h.subject_id}`;
  };
  const started = evaluation.holding.filter((h) => !then.has(key(h)) && rules.get(h.rule_id)?.kind !== "status").map(line);
  const ended = earlier.holding.filter((h) => !now.has(key(h)) && rules.get(h.rule_id) && rules.get(h.rule_id)!.kind !== "status").map(line);
  return {since: earlier.as_of, status, started: [...new Set(started)].sort(), ended: [...new Set(ended)].sort()};
}

export async function digestData(snapshotDir: string, weekLabel: string, stateDir: string | null, config: Config): Promise<Digest> {
  const evaluation = await evaluate(snapshotDir, config.alerts.rules);
  try {
    let week: Week;
    try {
      week = isoWeek(weekLabel, evaluation.as_of);
    } catch (error) {
      throw new InputError((error as Error).message);
    }
    return {
      asOf: evaluation.as_of,
      week,
      atRisk: await atRisk(evaluation.connection),
      revenue: await weekRevenue(evaluation.connection, week),
      changes: changesSince(evaluation, stateDir, config),
      creditTypes: evaluation.creditTypes
    };
  } finally {
    evaluation.close();
  }
}

const commitmentOf = (r: AtRisk) => r.balance_name ?? BALANCE_TYPE_LABELS[r.balance_type] ?? r.balance_type;
const signed = (minor: number, ct: string, cts: CreditTypes) => (minor > 0 ? `+${money(minor, ct, cts)}` : money(minor, ct, cts));
const signedPct = (v: number | null) => (v === null ? "new" : v > 0 ? `+${percent(v)}` : percent(v));

export function digestMessage(d: Digest, {from, to, siteUrl}: {from: string; to: string[]; siteUrl: string | null}): EmailMessage {
  const m = (minor: number, ct: string) => money(minor, ct, d.creditTypes);
  const span = `${d.week.start} to ${addDays(d.week.start, d.week.days - 1)}`;
  const subject = `Meterbook weekly digest ${d.week.label}: ${d.atRisk.length} at-risk segment${d.atRisk.length === 1 ? "" : "s"}`;
  const weekWords = `${d.week.label} (${span}${d.week.partial ? `, the ${d.week.days} day${d.week.days === 1 ? "" : "s"} before as_of` : ""}) against the same days of the week before`;
  const changeWords = d.changes.since === null ? "No earlier snapshot: the alerts state holds none a week or more before this one." : `Since the snapshot as of ${d.changes.since}:`;

  const text = [
    `${subject} · data as of ${d.asOf}`,
    "",
    `AT-RISK ACCOUNTS (${d.atRisk.length})`,
    ...(d.atRisk.length ? d.atRisk.map((r) => `- ${r.label} — ${commitmentOf(r)}: ${r.reasons.map((x) => REASON_WORDS[x]).join(", ")}; ${m(r.remaining_minor, r.credit_type_id)} of ${m(r.amount_minor, r.credit_type_id)} left, burn ${percent(r.burn_rate_pct)}${r.projected_exhaustion_date ? `, runs out ${r.projected_exhaustion_date}` : ""}${r.owner ? ` (owner ${r.owner})` : ""}`) : ["None."]),
    "",
    "WHAT CHANGED",
    changeWords,
    ...(d.changes.since === null ? [] : [
      ...(d.changes.status.length ? d.changes.status.map((c) => `- ${c.label} — ${c.commitment}: ${STATUS_LABELS[c.was] ?? c.was} → ${STATUS_LABELS[c.now] ?? c.now}`) : ["- No pacing status changed."]),
      ...d.changes.started.map((l) => `- New: ${l}`),
      ...d.changes.ended.map((l) => `- No longer: ${l}`)
    ]),
    "",
    `REVENUE WEEK OVER WEEK: ${weekWords}`,
    ...(d.revenue.length ? d.revenue.map((r) => `- ${r.category === null ? `Total (${d.creditTypes.get(r.credit_type_id)?.currency_code ?? d.creditTypes.get(r.credit_type_id)?.name ?? r.credit_type_id})` : CATEGORY_LABELS[r.category] ?? r.category}: ${r.category === "usage_credit" ? `${m(r.contra_revenue_minor, r.credit_type_id)} (was ${m(r.previous_contra_revenue_minor, r.credit_type_id)})` : `${m(r.revenue_minor, r.credit_type_id)} (was ${m(r.previous_revenue_minor, r.credit_type_id)}; ${signed(r.change_minor, r.credit_type_id, d.creditTypes)}, ${signedPct(r.change_pct)})`}`) : ["No revenue in either week."]),
    "",
    "Revenue is net of usage drawn from credits (contra-revenue, shown apart). Definitions: docs/metrics.md."
  ].join("\n");

  const link = (r: {customer_id: string; label: string}) => {
    const url = customerUrl(siteUrl, r.customer_id);
    return url ? `<a href="${esc(url)}">${esc(r.label)}</a>` : esc(r.label);
  };
  const td = `style="padding:4px 10px 4px 0;vertical-align:top"`;
  const tdr = `style="padding:4px 10px 4px 0;vertical-align:top;text-align:right"`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#222">
<h2 style="font-size:18px">Meterbook weekly digest · ${esc(d.week.label)}</h2>
<p>Data as of ${esc(d.asOf)}.</p>
<h3 style="font-size:16px">At-risk accounts (${d.atRisk.length})</h3>
${d.atRisk.length ? `<table style="border-collapse:collapse"><tr><th ${td}>Customer</th><th ${td}>Why</th><th ${tdr}>Remaining</th><th ${tdr}>Burn</th><th ${td}>Runs out</th><th ${td}>Owner</th></tr>
${d.atRisk.map((r) => `<tr><td ${td}>${link(r)}<br><small>${esc(commitmentOf(r))}</small></td><td ${td}>${esc(r.reasons.map((x) => REASON_WORDS[x]).join(", "))}</td><td ${tdr}>${esc(m(r.remaining_minor, r.credit_type_id))} of ${esc(m(r.amount_minor, r.credit_type_id))}</td><td ${tdr}>${esc(percent(r.burn_rate_pct))}</td><td ${td}>${esc(r.projected_exhaustion_date ?? "—")}</td><td ${td}>${esc(r.owner ?? "Unassigned")}</td></tr>`).join("\n")}</table>` : "<p>None.</p>"}
<h3 style="font-size:16px">What changed</h3>
<p>${esc(changeWords)}</p>
${d.changes.since === null ? "" : `<ul>${[
    ...(d.changes.status.length ? d.changes.status.map((c) => `<li>${link(c)} — ${esc(c.commitment)}: ${esc(STATUS_LABELS[c.was] ?? c.was)} → <b>${esc(STATUS_LABELS[c.now] ?? c.now)}</b></li>`) : ["<li>No pacing status changed.</li>"]),
    ...d.changes.started.map((l) => `<li>New: ${esc(l)}</li>`),
    ...d.changes.ended.map((l) => `<li>No longer: ${esc(l)}</li>`)
  ].join("")}</ul>`}
<h3 style="font-size:16px">Revenue week over week</h3>
<p>${esc(weekWords)}.</p>
${d.revenue.length ? `<table style="border-collapse:collapse"><tr><th ${td}>Category</th><th ${tdr}>This week</th><th ${tdr}>Week before</th><th ${tdr}>Change</th></tr>
${d.revenue.map((r) => {
    const contra = r.category === "usage_credit";
    const [now, was] = contra ? [r.contra_revenue_minor, r.previous_contra_revenue_minor] : [r.revenue_minor, r.previous_revenue_minor];
    const name = r.category === null ? `<b>Total (${esc(d.creditTypes.get(r.credit_type_id)?.currency_code ?? d.creditTypes.get(r.credit_type_id)?.name ?? r.credit_type_id)})</b>` : esc(CATEGORY_LABELS[r.category] ?? r.category);
    return `<tr><td ${td}>${name}</td><td ${tdr}>${esc(m(now, r.credit_type_id))}</td><td ${tdr}>${esc(m(was, r.credit_type_id))}</td><td ${tdr}>${contra ? "" : `${esc(signed(r.change_minor, r.credit_type_id, d.creditTypes))} (${esc(signedPct(r.change_pct))})`}</td></tr>`;
  }).join("\n")}</table>` : "<p>No revenue in either week.</p>"}
<p><small>Revenue is net of usage drawn from credits (contra-revenue, shown apart). Definitions: docs/metrics.md.</small></p>
</body></html>`;
  return {from, to, subject, text, html};
}

export interface DigestOptions {
  snapshotDir: string;
  week: string;
  stateDir?: string | null;
  dryRun?: string | null;
  config: Config;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  out?: (message: string) => void;
  delivery?: {timeoutMs?: number; retry?: RetryOptions};
}

/** Builds and sends (or writes) the digest; returns the failures (empty: delivered). */
export async function runDigest({snapshotDir, week, stateDir = null, dryRun = null, config, env = process.env, log = () => {}, out = () => {}, delivery = {}}: DigestOptions): Promise<{failures: string[]; written: string[]; digest: Digest}> {
  if (!config.digest.to.length) throw new InputError("digest.to in meterbook.config.json lists no address: nobody to send the digest to");
  const secrets = secretsOf(env, secretNames(config.alerts));
  const digest = await digestData(snapshotDir, week, stateDir, config);
  const message = digestMessage(digest, {from: config.digest.from ?? config.alerts.email.from, to: config.digest.to, siteUrl: config.siteUrl});
  const outbox = dryRun ? dryRunOutbox(dryRun) : liveOutbox(delivery);
  const failures: string[] = [];
  try {
    await outbox.email(smtpFromEnv(env), message);
    out(`digest ${digest.week.label} as of ${digest.asOf}: ${digest.atRisk.length} at-risk segments, to ${config.digest.to.join(", ")} — ${dryRun ? `written to ${dryRun}` : "delivered"}`);
  } catch (error) {
    const text = redact(error instanceof DeliveryError ? error.message : `METERBOOK_SMTP_URL: ${(error as Error).message}`, secrets);
    failures.push(text);
    log(`meterbook digest: not delivered: ${text}`);
  }
  return {failures, written: dryRun ? (outbox as ReturnType<typeof dryRunOutbox>).written : [], digest};
}
