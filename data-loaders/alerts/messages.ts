// The words of alert messages: one Slack Block Kit message and one email (text + HTML, burn charts inline) per
// destination, listing each alert that fired or resolved with the customer, the figure, the change, and a link to
// the customer's page. Figures come formatted from evaluate.ts; nothing here computes one.
import {JSDOM} from "jsdom";
import {burnChart} from "../../src/core/charts/burnChart.js";
import {toMajor, type CreditTypes} from "../../src/core/format.js";
import {esc} from "../../src/core/escape.js";
import {FLAG_LABELS} from "../../src/core/vocabulary.js";
import type {EmailMessage} from "../delivery/email.js";
import type {SlackMessage} from "../delivery/slack.js";
import type {SegmentFacts} from "./evaluate.js";
import type {AlertRule} from "./rules.js";

export interface AlertItem {
  event: "fired" | "resolved";
  rule: AlertRule;
  subject_id: string;
  customer_id: string | null;
  /** The customer's label, or the subject (an export table) when there is no customer. */
  label: string;
  owner: string | null;
  /** The figure now. */
  figure: string;
  /** What changed: new since …, or was … when it fired. */
  change: string;
  value: number | null;
  /** The segment, when the subject is one active on as_of. */
  segment: SegmentFacts | null;
}

export interface MessageContext {
  asOf: string;
  siteUrl: string | null;
  /** Who the message is for: an owner, or "everyone else". */
  audience: string;
  creditTypes: CreditTypes;
  /** Each fired segment's burn curve (minor units), by subject id: the email's charts. */
  curves: Map<string, BurnCurve>;
}

export type BurnCurve = {date: string; actual: number | null; expected: number | null; forecast: number | null}[];

const MAX_SLACK_ITEMS = 40;
const MAX_CHARTS = 6;
const SEVERITY_MARK: Record<string, string> = {critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:"};

/** The rule's condition in a few words. */
export function ruleTitle(rule: AlertRule): string {
  switch (rule.kind) {
    case "low_remaining_amount":
      return "Low remaining balance";
    case "low_remaining_pct":
      return "Low remaining percentage";
    case "low_days_to_exhaustion":
      return "Runs out soon";
    case "status":
      return rule.threshold === "over" ? "Over pace" : "Under pace";
    case "flag":
      return FLAG_LABELS[String(rule.threshold)] ?? String(rule.threshold);
    case "negative_balance":
      return "Negative balance";
    case "stale_data":
      return "Stale data";
  }
}

export const customerUrl = (siteUrl: string | null, customerId: string | null) => (siteUrl && customerId ? `${siteUrl}/customers/${encodeURIComponent(customerId)}` : null);

const counts = (items: AlertItem[]) => {
  const fired = items.filter((i) => i.event === "fired").length;
  const resolved = items.length - fired;
  return [fired && `${fired} fired`, resolved && `${resolved} resolved`].filter(Boolean).join(", ");
};

/** Slack's mrkdwn needs only these three escaped. */
const slackEsc = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function slackMessage(items: AlertItem[], ctx: MessageContext): SlackMessage {
  const shown = items.slice(0, MAX_SLACK_ITEMS);
  const blocks: NonNullable<SlackMessage["blocks"]> = [
    {type: "header", text: {type: "plain_text", text: `Meterbook alerts · as of ${ctx.asOf}`}},
    {type: "context", elements: [{type: "mrkdwn", text: slackEsc(`For ${ctx.audience} · ${counts(items)}`)}]}
  ];
  for (const item of shown) {
    const url = customerUrl(ctx.siteUrl, item.customer_id);
    const who = url ? `<${url}|${slackEsc(item.label)}>` : `*${slackEsc(item.label)}*`;
    const what = item.segment ? ` — ${slackEsc(item.segment.commitment)}` : "";
    const head = item.event === "fired" ? `${SEVERITY_MARK[item.rule.severity] ?? ""} *Fired · ${slackEsc(ruleTitle(item.rule))}* (${item.rule.severity})` : `:white_check_mark: *Resolved · ${slackEsc(ruleTitle(item.rule))}*`;
    blocks.push({type: "divider"});
    blocks.push({type: "section", text: {type: "mrkdwn", text: `${head}\n${who}${what}\n${slackEsc(item.figure)}\n_${slackEsc(item.change)}_`.slice(0, 3000)}});
  }
  if (items.length > shown.length) blocks.push({type: "context", elements: [{type: "mrkdwn", text: `…and ${items.length - shown.length} more (see \`meterbook alerts --dry-run\`)`}]});
  return {text: `Meterbook alerts as of ${ctx.asOf} for ${ctx.audience}: ${counts(items)}`, blocks};
}

export function emailMessage(items: AlertItem[], ctx: MessageContext, {from, to}: {from: string; to: string[]}): EmailMessage {
  const subject = `Meterbook alerts as of ${ctx.asOf}: ${counts(items)}`;
  const charts = burnCharts(items, ctx);
  const text = [
    `${subject} (for ${ctx.audience})`,
    "",
    ...items.flatMap((i) => {
      const url = customerUrl(ctx.siteUrl, i.customer_id);
      return [`${i.event === "fired" ? `FIRED (${i.rule.severity})` : "RESOLVED"} · ${ruleTitle(i.rule)} · ${i.label}${i.segment ? ` — ${i.segment.commitment}` : ""}`, `  ${i.figure}`, `  ${i.change}`, ...(url ? [`  ${url}`] : []), ""];
    })
  ].join("\n");
  const rows = items.map((i) => {
    const url = customerUrl(ctx.siteUrl, i.customer_id);
    const name = url ? `<a href="${esc(url)}">${esc(i.label)}</a>` : esc(i.label);
    const chart = i.segment ? charts.find((c) => c.subject_id === i.subject_id) : undefined;
    return `<tr><td style="padding:8px 12px 8px 0;vertical-align:top;white-space:nowrap"><b style="color:${i.event === "fired" ? (i.rule.severity === "critical" ? "#c0392b" : i.rule.severity === "warning" ? "#b9770e" : "#2e86c1") : "#1e8449"}">${i.event === "fired" ? "Fired" : "Resolved"}</b><br><small>${esc(i.rule.severity)}</small></td>
<td style="padding:8px 0;vertical-align:top"><b>${esc(ruleTitle(i.rule))}</b> · ${name}${i.segment ? ` — ${esc(i.segment.commitment)}` : ""}<br>${esc(i.figure)}<br><i>${esc(i.change)}</i>${chart ? `<br><img src="cid:${chart.cid}" width="560" alt="Cumulative burn of ${esc(i.segment!.commitment)} against the even pace">` : ""}</td></tr>`;
  });
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#222">
<h2 style="font-size:18px">Meterbook alerts · as of ${esc(ctx.asOf)}</h2>
<p>For ${esc(ctx.audience)} · ${esc(counts(items))}</p>
<table style="border-collapse:collapse">${rows.join("\n")}</table>
</body></html>`;
  return {
    from,
    to,
    subject,
    text,
    html,
    attachments: charts.map((c) => ({filename: `${c.cid.split("@")[0]}.svg`, content: c.svg, contentType: "image/svg+xml", cid: c.cid}))
  };
}

/** The burn chart of each fired alert's segment (the site's burnChart, drawn into SVG with jsdom), a few at most. */
function burnCharts(items: AlertItem[], ctx: MessageContext): {subject_id: string; cid: string; svg: string}[] {
  const segments = [...new Map(items.filter((i) => i.event === "fired" && i.segment && i.segment.end_date && ctx.curves.has(i.subject_id)).map((i) => [i.subject_id, i.segment!])).values()].slice(0, MAX_CHARTS);
  if (!segments.length) return [];
  const {document} = new JSDOM("").window;
  return segments.map((s, n) => {
    const ct = ctx.creditTypes.get(s.credit_type_id);
    const major = (v: number | null) => (v === null ? null : toMajor(v, ct));
    const points = ctx.curves.get(s.subject_id)!.map((r) => ({date: new Date(`${r.date}T00:00:00Z`), actual: major(r.actual), expected: major(r.expected), forecast: major(r.forecast)}));
    const svg = burnChart(points, {document, width: 560, height: 240, amount: major(s.amount_minor)!, asOf: new Date(`${ctx.asOf}T00:00:00Z`), yLabel: `Cumulative burn (${ct?.currency_code ?? ct?.name ?? ""})`, colors: {actual: "#4269d0", expected: "#9498a0", forecast: "#efb118"}, ariaLabel: `Burn of ${s.commitment}`});
    const markup = svg.outerHTML.startsWith("<svg") && !svg.outerHTML.includes("xmlns=") ? svg.outerHTML.replace("<svg", `<svg xmlns="http://www.w3.org/2000/svg"`) : svg.outerHTML;
    return {subject_id: s.subject_id, cid: `burn-${n + 1}@meterbook`, svg: markup};
  });
}
