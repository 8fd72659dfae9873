// `meterbook alerts`: evaluate the rules on a snapshot, compare with the state, and deliver only what FIRED (holds —
// on `consecutive` snapshots — and is not active at that destination) or RESOLVED (active there, no longer holds):
// one Slack message per owner and webhook, one email per address. Each destination keeps its own state, so one that
// failed gets what it missed on the next run and the others get nothing twice. With `dryRun`, messages are written
// to a folder and neither sent nor recorded.
import type {Config} from "../config.js";
import {emailFor, secretNames, slackFor, smtpFromEnv, type SlackDestination} from "../delivery/destinations.js";
import {dryRunOutbox, liveOutbox, type Outbox} from "../delivery/outbox.js";
import type {RetryOptions} from "../delivery/retry.js";
import {DeliveryError, redact, secretsOf} from "../delivery/secrets.js";
import {InputError} from "../errors.js";
import {burnCurve, evaluate, figureOf, type Holding} from "./evaluate.js";
import {emailMessage, slackMessage, type AlertItem, type BurnCurve} from "./messages.js";
import {alertKey, heldConsecutively, readState, recordEvents, recordObservation, type AlertEvent} from "./state.js";

export interface AlertsOptions {
  snapshotDir: string;
  stateDir: string;
  /** Write the messages into this folder instead of sending them; the state is read, not written. */
  dryRun?: string | null;
  config: Config;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Progress and problems (stderr). */
  log?: (message: string) => void;
  /** What was fired, resolved and delivered (stdout). */
  out?: (message: string) => void;
  delivery?: {timeoutMs?: number; retry?: RetryOptions};
}

export interface AlertsResult {
  as_of: string;
  /** Alerts firing on this snapshot (whether new or not). */
  firing: Holding[];
  sent: {destination: string; items: AlertItem[]}[];
  failures: {destination: string; message: string}[];
  /** Dry run: the files written. */
  written: string[];
}

interface Group {
  /** State key: `slack:<VAR>` or `email:<address>`. */
  destination: string;
  /** What logs and errors name: the variable, or the address. */
  name: string;
  audience: string;
  slack?: SlackDestination;
  address?: string;
  items: AlertItem[];
}

export async function runAlerts({snapshotDir, stateDir, dryRun = null, config, env = process.env, now = () => new Date(), log = () => {}, out = () => {}, delivery = {}}: AlertsOptions): Promise<AlertsResult> {
  const secrets = secretsOf(env, secretNames(config.alerts));
  const say = (m: string) => out(redact(m, secrets));
  const warn = (m: string) => log(redact(m, secrets));
  const rules = new Map(config.alerts.rules.map((r) => [r.id, r]));
  const state = readState(stateDir);
  const evaluation = await evaluate(snapshotDir, config.alerts.rules);
  try {
    const asOf = evaluation.as_of;
    const latest = state.observations.at(-1)?.as_of;
    if (latest && latest > asOf) throw new InputError(`snapshot ${snapshotDir} is as of ${asOf}, older than the latest the state ${stateDir} has seen (${latest}): alerts run forward in time`);
    for (const s of evaluation.skipped) warn(`alerts: rule ${s.rule_id} skipped: ${s.reason}`);
    const holdingKeys = new Set(evaluation.holding.map(alertKey));
    const skippedRules = new Set(evaluation.skipped.map((s) => s.rule_id));
    const firing = evaluation.holding.filter((h) => heldConsecutively(state, asOf, alertKey(h), rules.get(h.rule_id)!.consecutive));
    const outbox: Outbox = dryRun ? dryRunOutbox(dryRun) : liveOutbox(delivery);
    const smtp = smtpFromEnv(env);
    const groups = new Map<string, Group>();
    const failures: AlertsResult["failures"] = [];
    const unrouted = new Set<string>();

    // Where an alert about `owner` goes: their Slack webhook (or the default) and their address (or `to`). Live, a
    // channel whose default variable is unset is off; a variable named for an owner but unset is a failure.
    const route = (owner: string | null, item: AlertItem, onlyDestination?: string) => {
      const audience = owner ?? "unassigned customers";
      let routed = false;
      const slack = slackFor(owner, config.alerts, env);
      const slackKey = `slack:${slack.name}`;
      if ((dryRun || slack.url || slack.name !== "METERBOOK_SLACK_WEBHOOK_URL") && (!onlyDestination || onlyDestination === slackKey)) {
        const key = `${slackKey}\0${audience}`;
        const group = groups.get(key) ?? {destination: slackKey, name: slack.name, audience, slack, items: []};
        groups.set(key, group);
        group.items.push(item);
        routed = true;
      }
      for (const address of emailFor(owner, config.alerts)) {
        const emailKey = `email:${address}`;
        if ((!dryRun && !smtp) || (onlyDestination && onlyDestination !== emailKey)) continue;
        const group = groups.get(emailKey) ?? {destination: emailKey, name: address, audience: "", address, items: []};
        group.audience = [...new Set([...group.audience.split(", ").filter(Boolean), audience])].join(", ");
        groups.set(emailKey, group);
        group.items.push(item);
        routed = true;
      }
      if (!routed && !onlyDestination) unrouted.add(audience);
    };

    const previous = state.observations.filter((o) => o.as_of < asOf).at(-1);
    for (const h of firing) {
      const rule = rules.get(h.rule_id)!;
      const segment = evaluation.segments.get(h.subject_id) ?? null;
      const since = state.observations.filter((o) => o.as_of < asOf && o.holding.some((x) => alertKey(x) === alertKey(h))).map((o) => o.as_of);
      const change = rule.consecutive > 1
        ? `held on ${rule.consecutive} consecutive snapshots (first seen as of ${since.at(-(rule.consecutive - 1)) ?? asOf})`
        : previous && !since.includes(previous.as_of) ? `new since the snapshot as of ${previous.as_of}` : since.length ? `holding since the snapshot as of ${since[0]}` : "new: first snapshot evaluated";
      const item: AlertItem = {event: "fired", rule, subject_id: h.subject_id, customer_id: h.customer_id, label: segment?.label ?? h.subject_id.replace(/^table:/, "export table "), owner: segment?.owner ?? null, figure: h.figure, change, value: h.value, segment};
      route(item.owner, item);
    }
    // Drop what each destination already has: an alert fires once per destination until it resolves.
    for (const group of groups.values()) group.items = group.items.filter((i) => !state.active.get(group.destination)?.has(alertKey({rule_id: i.rule.id, subject_id: i.subject_id})));
    for (const [destination, active] of state.active) {
      for (const [key, fired] of active) {
        const rule = rules.get(fired.rule_id);
        // A rule no longer configured, or not evaluated this time, cannot say it resolved.
        if (!rule || skippedRules.has(rule.id) || holdingKeys.has(key)) continue;
        const segment = evaluation.segments.get(fired.subject_id) ?? null;
        const figure = segment ? figureOf(rule, segment, evaluation.creditTypes) : rule.kind === "stale_data" ? `${fired.label}: newer transfers arrived` : `no longer active as of ${asOf}`;
        const item: AlertItem = {event: "resolved", rule, subject_id: fired.subject_id, customer_id: fired.customer_id, label: segment?.label ?? fired.label, owner: segment?.owner ?? fired.owner, figure, change: `fired as of ${fired.as_of} (${fired.figure})`, value: null, segment};
        route(fired.owner, item, destination);
      }
    }
    for (const audience of unrouted) failures.push({destination: `(none for ${audience})`, message: `alerts for ${audience} have no destination: set METERBOOK_SLACK_WEBHOOK_URL, or METERBOOK_SMTP_URL with alerts.email.to or alerts.email.owners`});

    const curves = new Map<string, BurnCurve>();
    for (const group of groups.values()) for (const i of group.items) if (i.event === "fired" && i.segment && group.address && !curves.has(i.subject_id)) curves.set(i.subject_id, await burnCurve(evaluation.connection, i.segment));

    const events: AlertEvent[] = [];
    const sent: AlertsResult["sent"] = [];
    const ordered = [...groups.values()].filter((g) => g.items.length).sort((a, b) => a.destination.localeCompare(b.destination) || a.audience.localeCompare(b.audience));
    for (const group of ordered) {
      group.items.sort((a, b) => (a.event === b.event ? 0 : a.event === "fired" ? -1 : 1) || severityRank(a) - severityRank(b) || a.label.localeCompare(b.label) || a.rule.id.localeCompare(b.rule.id) || a.subject_id.localeCompare(b.subject_id));
      const ctx = {asOf, siteUrl: config.siteUrl, audience: group.audience, creditTypes: evaluation.creditTypes, curves};
      const what = `${group.items.filter((i) => i.event === "fired").length} fired, ${group.items.filter((i) => i.event === "resolved").length} resolved`;
      try {
        if (group.slack) await outbox.slack(group.slack, group.audience, slackMessage(group.items, ctx));
        else await outbox.email(smtp, emailMessage(group.items, ctx, {from: config.alerts.email.from, to: [group.address!]}));
      } catch (error) {
        const message = `${error instanceof DeliveryError ? error.message : `${group.name}: ${(error as Error).message}`} (${group.destination}, for ${group.audience})`;
        failures.push({destination: group.name, message});
        say(`${group.destination} (${group.audience}): ${what} — NOT DELIVERED`);
        continue;
      }
      sent.push({destination: group.destination, items: group.items});
      say(`${group.destination} (${group.audience}): ${what} — ${dryRun ? "written" : "delivered"}`);
      for (const i of group.items) {
        say(`  ${i.event} ${i.rule.id} ${i.label}${i.segment ? ` — ${i.segment.commitment}` : ""}: ${i.figure}`);
        const fired = i.event === "fired" ? evaluation.holding.find((h) => h.rule_id === i.rule.id && h.subject_id === i.subject_id) : undefined;
        events.push({event: i.event, destination: group.destination, rule_id: i.rule.id, subject_id: i.subject_id, customer_id: i.customer_id, label: i.label, owner: i.owner, severity: i.rule.severity, as_of: asOf, content_hash: evaluation.content_hash, value: fired?.value ?? null, figure: i.figure, delivered_at: now().toISOString()});
      }
    }
    if (!dryRun) {
      await recordObservation(stateDir, state, {as_of: asOf, content_hash: evaluation.content_hash, observed_at: now().toISOString(), holding: evaluation.holding.map((h) => ({rule_id: h.rule_id, subject_id: h.subject_id, value: h.value}))});
      await recordEvents(stateDir, events);
    }
    for (const f of failures) warn(`meterbook alerts: not delivered: ${f.message}`);
    say(`alerts as of ${asOf}: ${firing.length} firing (${evaluation.holding.length} conditions hold); ${sent.length} message${sent.length === 1 ? "" : "s"} ${dryRun ? `written to ${dryRun}` : "delivered"}${failures.length ? `, ${failures.length} not delivered` : ""}`);
    return {as_of: asOf, firing, sent, failures: failures.map((f) => ({...f, message: redact(f.message, secrets)})), written: dryRun ? (outbox as ReturnType<typeof dryRunOutbox>).written : []};
  } finally {
    evaluation.close();
  }
}

const severityRank = (i: AlertItem) => ["critical", "warning", "info"].indexOf(i.rule.severity);
