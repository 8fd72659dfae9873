// `meterbook alerts` end to end, on loopback only: a hand-built export snapshotted at two as-of dates, a Slack
// stand-in and an SMTP server with auth. Issue 19's acceptance 1 (fired, then nothing, then exactly what changed) and
// 2 (a destination down: non-zero exit naming it, the missed alerts delivered next time, no secret anywhere).
//
// The segment: $100.00 (10,000 cents) over [2026-01-01, 2026-04-11), 100 days; $3.00 burned on each of Jan 1–10.
// As of 2026-01-11: elapsed 10, expected 1,000, burned 3,000 → 300 % (over, unsustainable), remaining 7,000 (70 %);
//   run rate 300/day → ceil(7000/300) = 24 days → exhaustion 2026-01-11 + 23 = 2026-02-03, 23 days away (< 30).
// As of 2026-01-21: elapsed 20, expected 2,000 → 150 % (over; not > 150, so no longer unsustainable), remaining
//   7,000; run rate 3000/20 = 150/day → ceil(7000/150) = 47 → 2026-03-08, 46 days away (not < 30: resolved).
// The export's files are all dt=2026-01-01: table invoice lags 10 days on Jan 11, 20 on Jan 21 (> 15: stale).
import assert from "node:assert/strict";
import {existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {main} from "../data-loaders/cli.js";
import {ledgerEntry, withLedger} from "./fixtures/ledger-export.js";
import {slackServer, smtpServer, type Captured, type SlackPost} from "./fixtures/loopback.js";
import {paceTables, snapshotMarts} from "./fixtures/pace-export.js";

const PASSWORD = "s3cret-Pa55word";
const DANA_TOKEN = "/services/T000/B111/danaTOKENxyz123";
const DEFAULT_TOKEN = "/services/T000/B222/defaultTOKENabc789";

const CONFIG = {
  siteUrl: "https://meterbook.example.com/",
  alerts: {
    rules: [
      {id: "exhaustion_within_30_days", threshold: 30},
      {id: "over_pace"},
      {id: "unsustainable"},
      {id: "low_remaining_usd", kind: "low_remaining_amount", threshold: {"USD (cents)": 8000}, severity: "warning"},
      {id: "stale_data", tables: ["invoice"], threshold: 15},
      {id: "low_remaining_pct", enabled: false},
      {id: "under_pace", enabled: false},
      {id: "week1_spike", enabled: false},
      {id: "adoption_risk", enabled: false}
    ],
    slack: {owners: {Dana: "METERBOOK_SLACK_WEBHOOK_DANA"}},
    email: {owners: {Dana: "dana@example.com"}, to: ["ops@example.com"], from: "Meterbook <alerts@example.com>"}
  }
};

let snapshotA = "";
let snapshotB = "";
let configPath = "";
/** Everything any run printed, and every folder it wrote: scanned for secrets at the end. */
const printed: string[] = [];
const folders: string[] = [];

async function alerts(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; out: string; err: string}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["alerts", ...args], {out: (m) => out.push(m), log: (m) => err.push(m), env: {METERBOOK_CONFIG: configPath, ...env}});
  printed.push(...out, ...err);
  return {code, out: out.join("\n"), err: err.join("\n")};
}

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
};

/** Each section of a Slack message after the header: "Fired · <rule>" or "Resolved · <rule>" lines and more. */
const sections = (post: SlackPost) => post.body.blocks.filter((b) => b.type === "section").map((b) => b.text!.text);
const heads = (post: SlackPost) => sections(post).map((t) => t.split("\n")[0]!.replace(/^:[a-z_]+: /, "").replace(/\*/g, ""));

before(async () => {
  const burns = Array.from({length: 10}, (_, i) => ({date: `2026-01-${String(i + 1).padStart(2, "0")}`, total: 300, segment: "seg_1"}));
  // A ledger entry keeps the ledger check of this base satisfied (it compares sums, null without entries).
  const tables = withLedger(paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2026-04-11", amount: 10000}], burns}), "bal_1", [ledgerEntry("segment_start", "2026-01-01", 10000, {segment_id: "seg_1"})]);
  snapshotA = (await snapshotMarts(tables, "2026-01-11")).out;
  snapshotB = (await snapshotMarts(tables, "2026-01-21")).out;
  configPath = join(tempDir("alerts-config-"), "meterbook.config.json");
  writeFileSync(configPath, JSON.stringify(CONFIG));
});

describe("meterbook alerts: two consecutive snapshots (acceptance 1)", () => {
  let slack: Awaited<ReturnType<typeof slackServer>>;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let env: NodeJS.ProcessEnv;
  let state: string;
  const emails = (to: string): Captured[] => smtp.messages.filter((m) => m.to.includes(to));

  before(async () => {
    slack = await slackServer();
    smtp = await smtpServer({user: "meterbook", password: PASSWORD});
    env = {METERBOOK_SLACK_WEBHOOK_URL: slack.url(DEFAULT_TOKEN), METERBOOK_SLACK_WEBHOOK_DANA: slack.url(DANA_TOKEN), METERBOOK_SMTP_URL: smtp.url};
    state = tempDir("alerts-state-");
  });
  after(async () => {
    await slack.close();
    await smtp.close();
  });

  it("sends, on the first snapshot, the alerts that hold, and holds back the two-snapshot ones", async () => {
    const run = await alerts(["--snapshot", snapshotA, "--state", state], env);
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(slack.posts.map((p) => p.path), [DANA_TOKEN]);
    assert.deepEqual(heads(slack.posts[0]!), ["Fired · Runs out soon (critical)", "Fired · Low remaining balance (warning)"]);
    const [exhaustion, low] = sections(slack.posts[0]!);
    assert.match(exhaustion!, /<https:\/\/meterbook\.example\.com\/customers\/cus_1\|Pace Co> — Commit/);
    assert.match(exhaustion!, /projected to run out on 2026-02-03, in 23 days, before the term ends on 2026-04-10; alert within 30 days/);
    assert.match(low!, /\$70\.00 of \$100\.00 remaining; alert below \$80\.00/);
    assert.deepEqual(smtp.messages.map((m) => m.to), [["dana@example.com"]]);
  });

  it("emails the owner a text and HTML message with the burn chart inline", () => {
    const [mail] = emails("dana@example.com").map((m) => m.mail);
    assert.equal(mail!.subject, "Meterbook alerts as of 2026-01-11: 2 fired");
    assert.equal(mail!.from?.value[0]?.address, "alerts@example.com");
    assert.match(mail!.text!, /FIRED \(critical\) · Runs out soon · Pace Co — Commit\n {2}projected to run out on 2026-02-03/);
    assert.match(mail!.text!, /https:\/\/meterbook\.example\.com\/customers\/cus_1/);
    const chart = mail!.attachments.find((a) => a.contentType === "image/svg+xml");
    assert.ok(chart?.cid, "an inline SVG with a content id");
    assert.match(String(mail!.html), new RegExp(`<img src="cid:${chart!.cid}"`));
    assert.match(chart!.content.toString("utf8"), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("sends nothing when run again on the same snapshot", async () => {
    const run = await alerts(["--snapshot", snapshotA, "--state", state], env);
    assert.equal(run.code, 0, run.err);
    assert.equal(slack.posts.length, 1);
    assert.equal(smtp.messages.length, 1);
    assert.match(run.out, /0 messages delivered/);
  });

  it("sends, on the next snapshot, exactly what fired or resolved between the two", async () => {
    const run = await alerts(["--snapshot", snapshotB, "--state", state], env);
    assert.equal(run.code, 0, run.err);
    const posts = slack.posts.slice(1);
    assert.deepEqual(posts.map((p) => p.path).sort(), [DANA_TOKEN, DEFAULT_TOKEN].sort());
    assert.deepEqual(heads(posts.find((p) => p.path === DANA_TOKEN)!), ["Fired · Over pace (warning)", "Resolved · Runs out soon"]);
    assert.deepEqual(heads(posts.find((p) => p.path === DEFAULT_TOKEN)!), ["Fired · Stale data (warning)"]);
    assert.match(sections(posts.find((p) => p.path === DEFAULT_TOKEN)!)[0]!, /\*export table invoice\*\nnewest transfer dt=2026-01-01, 20 days before as_of 2026-01-21; alert after 15 days/);
    assert.match(sections(posts.find((p) => p.path === DANA_TOKEN)!)[1]!, /projected to run out on 2026-03-08, in 46 days.*\n_fired as of 2026-01-11 \(projected to run out on 2026-02-03, in 23 days/);
    assert.deepEqual(smtp.messages.slice(1).map((m) => [m.to[0], m.mail.subject]).sort(), [
      ["dana@example.com", "Meterbook alerts as of 2026-01-21: 1 fired, 1 resolved"],
      ["ops@example.com", "Meterbook alerts as of 2026-01-21: 1 fired"]
    ]);
  });

  it("keeps an append-only log of what each destination was sent, keyed by rule, subject and snapshot", () => {
    const events = readFileSync(join(state, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => `${e.as_of} ${e.event} ${e.destination} ${e.rule_id} ${e.subject_id}`), [
      "2026-01-11 fired email:dana@example.com exhaustion_within_30_days cus_1/bal_1/seg_1",
      "2026-01-11 fired email:dana@example.com low_remaining_usd cus_1/bal_1/seg_1",
      "2026-01-11 fired slack:METERBOOK_SLACK_WEBHOOK_DANA exhaustion_within_30_days cus_1/bal_1/seg_1",
      "2026-01-11 fired slack:METERBOOK_SLACK_WEBHOOK_DANA low_remaining_usd cus_1/bal_1/seg_1",
      "2026-01-21 fired email:dana@example.com over_pace cus_1/bal_1/seg_1",
      "2026-01-21 resolved email:dana@example.com exhaustion_within_30_days cus_1/bal_1/seg_1",
      "2026-01-21 fired email:ops@example.com stale_data table:invoice",
      "2026-01-21 fired slack:METERBOOK_SLACK_WEBHOOK_DANA over_pace cus_1/bal_1/seg_1",
      "2026-01-21 resolved slack:METERBOOK_SLACK_WEBHOOK_DANA exhaustion_within_30_days cus_1/bal_1/seg_1",
      "2026-01-21 fired slack:METERBOOK_SLACK_WEBHOOK_URL stale_data table:invoice"
    ]);
    assert.ok(events.every((e) => e.content_hash.length === 64));
  });

  it("refuses a snapshot older than the newest the state has observed, sending nothing", async () => {
    const before = [slack.requests, smtp.messages.length];
    const run = await alerts(["--snapshot", snapshotA, "--state", state], env);
    assert.equal(run.code, 1);
    assert.match(run.err, /is as of 2026-01-11, older than the latest the state .* has seen \(2026-01-21\): alerts run forward in time/);
    assert.deepEqual([slack.requests, smtp.messages.length], before);
  });

  it("records each snapshot observed once, with the conditions that held", () => {
    const observations = readFileSync(join(state, "observations.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(observations.map((o) => [o.as_of, o.holding.map((h: {rule_id: string}) => h.rule_id).sort()]), [
      ["2026-01-11", ["exhaustion_within_30_days", "low_remaining_usd", "over_pace", "unsustainable"]],
      ["2026-01-21", ["low_remaining_usd", "over_pace", "stale_data"]]
    ]);
  });
});

describe("meterbook alerts --dry-run", () => {
  it("writes every message that would be sent, as .json and .eml, and neither sends nor records", async () => {
    const out = tempDir("alerts-dry-");
    const state = join(tempDir("alerts-dry-state-"), "state");
    // Destinations named but not set: a dry run previews without secrets, and nothing can be sent.
    const run = await alerts(["--snapshot", snapshotA, "--state", state, "--dry-run", out], {});
    assert.equal(run.code, 0, run.err);
    assert.deepEqual(readdirSync(out).sort(), ["1-email-dana@example.com.eml", "2-slack-Dana.json"]);
    const slack = JSON.parse(readFileSync(join(out, "2-slack-Dana.json"), "utf8"));
    assert.equal(slack.destination, "METERBOOK_SLACK_WEBHOOK_DANA");
    assert.equal(slack.message.blocks.filter((b: {type: string}) => b.type === "section").length, 2);
    assert.match(readFileSync(join(out, "1-email-dana@example.com.eml"), "utf8"), /^Subject: Meterbook alerts as of 2026-01-11: 2 fired$/m);
    assert.equal(existsSync(state), false);
  });
});

describe("meterbook alerts with the SMTP server down (acceptance 2)", () => {
  let slack: Awaited<ReturnType<typeof slackServer>>;
  let smtp: Awaited<ReturnType<typeof smtpServer>> | null = null;
  let port = 0;
  let env: NodeJS.ProcessEnv;
  let state: string;

  before(async () => {
    slack = await slackServer();
    // A port the OS gave and nobody listens on any more: connections are refused until the server comes back on it.
    const probe = await smtpServer({user: "meterbook", password: PASSWORD});
    port = probe.port;
    await probe.close();
    env = {METERBOOK_SLACK_WEBHOOK_URL: slack.url(DEFAULT_TOKEN), METERBOOK_SLACK_WEBHOOK_DANA: slack.url(DANA_TOKEN), METERBOOK_SMTP_URL: probe.url};
    state = tempDir("alerts-down-state-");
  });
  after(async () => {
    await slack.close();
    await smtp?.close();
  });

  it("exits non-zero naming the destination, and still delivers to the others", async () => {
    const run = await alerts(["--snapshot", snapshotA, "--state", state], env);
    assert.equal(run.code, 1);
    assert.match(run.err, /^meterbook alerts: not delivered: METERBOOK_SMTP_URL: cannot reach the SMTP server \((ECONNECTION|ESOCKET)\) \(email:dana@example\.com, for Dana\)/);
    assert.equal(slack.posts.length, 1);
    assert.match(run.out, /email:dana@example\.com \(Dana\): 2 fired, 0 resolved — NOT DELIVERED/);
  });

  it("delivers what was missed on the next run, once the server is up, and nothing twice", async () => {
    smtp = await smtpServer({user: "meterbook", password: PASSWORD, port});
    const run = await alerts(["--snapshot", snapshotA, "--state", state], env);
    assert.equal(run.code, 0, run.err);
    assert.equal(slack.posts.length, 1);
    assert.deepEqual(smtp.messages.map((m) => [m.to, m.mail.subject]), [[["dana@example.com"], "Meterbook alerts as of 2026-01-11: 2 fired"]]);
  });

  it("names a webhook that fails by its variable, never its URL, after retrying a server error", async () => {
    slack.queue.push(500, 500, 500, 500);
    const run = await alerts(["--snapshot", snapshotB, "--state", state], env);
    assert.equal(run.code, 1);
    assert.equal(slack.requests, 1 + 4 + 1, "the first run's post, one failing post tried four times, the other webhook's");
    assert.match(run.err, /not delivered: METERBOOK_SLACK_WEBHOOK_(DANA|URL): Slack answered HTTP 500 \(error for \[redacted\]\)/);
  });

  it("leaves the SMTP password and the webhook URLs in no output and no file", () => {
    const secrets = [PASSWORD, encodeURIComponent(PASSWORD), DANA_TOKEN, DEFAULT_TOKEN, "danaTOKENxyz123", "defaultTOKENabc789"];
    const files = folders.flatMap((dir) => walk(dir));
    assert.ok(files.some((f) => f.endsWith("events.jsonl")) && files.some((f) => f.endsWith(".eml")), "state and dry-run files are scanned");
    for (const secret of secrets) {
      for (const line of printed) assert.ok(!line.includes(secret), `printed: ${line}`);
      for (const file of files) assert.ok(!readFileSync(file, "utf8").includes(secret), `${file} holds a secret`);
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}
