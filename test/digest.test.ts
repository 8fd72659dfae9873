// `meterbook digest` end to end on loopback SMTP: the pace fixture of test/alerts.test.ts snapshotted as of
// 2026-01-11 and 2026-01-21 (one $100.00 segment over [2026-01-01, 2026-04-11), $3.00 burned a day on Jan 1–10).
// As of Jan 21: burn 150 % (over) and the run rate 150/day reaches the remaining 7,000 on 2026-03-08, before the
// term ends: at risk twice over. A week earlier (Jan 11) it was over, unsustainable and 23 days from running out.
import assert from "node:assert/strict";
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {simpleParser} from "mailparser";
import {main} from "../data-loaders/cli.js";
import {ledgerEntry, withLedger} from "./fixtures/ledger-export.js";
import {smtpServer} from "./fixtures/loopback.js";
import {paceTables, snapshotMarts} from "./fixtures/pace-export.js";

const PASSWORD = "digest-Pa55word";
let snapshotA = "";
let snapshotB = "";
let configPath = "";
const CONFIG = {
  siteUrl: "https://meterbook.example.com",
  alerts: {rules: [{id: "exhaustion_within_30_days", threshold: 30}, {id: "stale_data", enabled: false}]},
  digest: {to: ["ceo@example.com", "cfo@example.com"], from: "Meterbook <digest@example.com>"}
};

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {out: (m) => out.push(m), log: (m) => err.push(m), env: {METERBOOK_CONFIG: configPath, ...env}});
  return {code, out: out.join("\n"), err: err.join("\n")};
}

before(async () => {
  const burns = Array.from({length: 10}, (_, i) => ({date: `2026-01-${String(i + 1).padStart(2, "0")}`, total: 300, segment: "seg_1"}));
  const tables = withLedger(paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2026-04-11", amount: 10000}], burns}), "bal_1", [ledgerEntry("segment_start", "2026-01-01", 10000, {segment_id: "seg_1"})]);
  snapshotA = (await snapshotMarts(tables, "2026-01-11")).out;
  snapshotB = (await snapshotMarts(tables, "2026-01-21")).out;
  configPath = join(mkdtempSync(join(tmpdir(), "digest-config-")), "meterbook.config.json");
  writeFileSync(configPath, JSON.stringify(CONFIG));
});

describe("meterbook digest --week", () => {
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => (smtp = await smtpServer({user: "meterbook", password: PASSWORD})));
  after(() => smtp.close());

  it("sends one multipart email to digest.to: the at-risk segment, 'no earlier snapshot' without a state, revenue by category", async () => {
    const r = await cli(["digest", "--week", "2026-W03", "--snapshot", snapshotB], {METERBOOK_SMTP_URL: smtp.url});
    assert.equal(r.code, 0, r.err);
    assert.equal(smtp.messages.length, 1);
    const {mail, to} = smtp.messages[0]!;
    assert.deepEqual(to, ["ceo@example.com", "cfo@example.com"]);
    assert.equal(mail.subject, "Meterbook weekly digest 2026-W03: 1 at-risk segment");
    assert.ok(mail.html && mail.text);
    assert.match(mail.text!, /runs out before the term ends, over pace; \$70\.00 of \$100\.00 left, burn 150\.0%, runs out 2026-03-08/);
    assert.match(mail.text!, /No earlier snapshot/);
    // W03 is [2026-01-12, 2026-01-19): no burn; the week before [01-05, 01-12) has $3.00 × 6 days (Jan 5–10).
    assert.match(mail.text!, /Total \(USD\): \$0\.00 \(was \$18\.00; -\$18\.00, -100\.0%\)/);
    assert.match(mail.html as string, /href="https:\/\/meterbook\.example\.com\/customers\//);
    assert.doesNotMatch(r.out + r.err, new RegExp(PASSWORD));
  });

  it("says what changed since the snapshot a week earlier, read from the alerts state", async () => {
    const state = mkdtempSync(join(tmpdir(), "digest-state-"));
    // Alerts with no destination record their observation and exit 1 (nothing routed): enough for the digest.
    assert.equal((await cli(["alerts", "--state", state, "--snapshot", snapshotA])).code, 1);
    const dry = mkdtempSync(join(tmpdir(), "digest-dry-"));
    const r = await cli(["digest", "--week", "2026-W03", "--snapshot", snapshotB, "--state", state, "--dry-run", dry]);
    assert.equal(r.code, 0, r.err);
    const files = readdirSync(dry);
    assert.deepEqual(files, ["1-email-ceo@example.com_cfo@example.com.eml"]);
    const mail = await simpleParser(readFileSync(join(dry, files[0]!)));
    assert.match(mail.text!, /Since the snapshot as of 2026-01-11:/);
    assert.match(mail.text!, /No pacing status changed\./); // over then, over now
    assert.match(mail.text!, /No longer: Runs out soon · /);
    assert.match(mail.text!, /No longer: Unsustainable · /);
  });

  it("exits 1 naming METERBOOK_SMTP_URL when the server is unreachable, and refuses a week with no data", async () => {
    const down = await cli(["digest", "--week", "2026-W03", "--snapshot", snapshotB], {METERBOOK_SMTP_URL: `smtp://u:${PASSWORD}@127.0.0.1:9`});
    assert.equal(down.code, 1);
    assert.match(down.err, /METERBOOK_SMTP_URL/);
    assert.doesNotMatch(down.err + down.out, new RegExp(PASSWORD));
    const late = await cli(["digest", "--week", "2026-W05", "--snapshot", snapshotB]);
    assert.equal(late.code, 1);
    assert.match(late.err, /2026-W05 starts on 2026-01-26, on or after the snapshot.s as-of date 2026-01-21/);
  });
});
