// `meterbook report --month M --all --send` on loopback SMTP: three customers of the pace fixture — Pace Co with an
// admin address in its custom field, Zeta Corp with a value that is no address, Yarrow Ltd with none. One email per
// customer that has an address, carrying only its own report; the others listed on stdout, exit status 0.
import assert from "node:assert/strict";
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {simpleParser} from "mailparser";
import {main} from "../data-loaders/cli.js";
import {readRecipientsFile} from "../data-loaders/documents/send.js";
import {ledgerEntry, withLedger} from "./fixtures/ledger-export.js";
import {smtpServer} from "./fixtures/loopback.js";
import {paceTables, snapshotMarts} from "./fixtures/pace-export.js";

const PASSWORD = "report-Pa55word";
let snapshotDir = "";
const dir = mkdtempSync(join(tmpdir(), "report-send-"));

function config(reports: object): string {
  const path = join(mkdtempSync(join(dir, "config-")), "meterbook.config.json");
  writeFileSync(path, JSON.stringify({reports, branding: {companyName: "Meterbook Inc."}}));
  return path;
}

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {out: (m) => out.push(m), log: (m) => err.push(m), env});
  return {code, out: out.join("\n"), err: err.join("\n")};
}

before(async () => {
  const burns = Array.from({length: 10}, (_, i) => ({date: `2026-01-${String(i + 1).padStart(2, "0")}`, total: 300, segment: "seg_1"}));
  const tables = withLedger(paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2026-04-11", amount: 10000}], burns}), "bal_1", [ledgerEntry("segment_start", "2026-01-01", 10000, {segment_id: "seg_1"})]);
  const first = tables.customer![0]!;
  first.custom_fields = {owner: "Dana", admin_email: "admin@paceco.example"};
  tables.customer!.push({...first, id: "cus_2", name: "Zeta Corp", custom_fields: {admin_email: "ask Dana"}}, {...first, id: "cus_3", name: "Yarrow Ltd", custom_fields: {}});
  snapshotDir = (await snapshotMarts(tables, "2026-01-21")).out;
});

describe("meterbook report --send", () => {
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => (smtp = await smtpServer({user: "meterbook", password: PASSWORD})));
  after(() => smtp.close());

  it("emails each customer with an address its own report only, lists the others, and exits 0", async () => {
    const r = await cli(["report", "--month", "2026-01", "--all", "--no-pdf", "--out", join(dir, "a"), "--snapshot", snapshotDir, "--send"], {METERBOOK_CONFIG: config({emailField: "admin_email"}), METERBOOK_SMTP_URL: smtp.url});
    assert.equal(r.code, 0, r.err);
    assert.equal(smtp.messages.length, 1);
    const {to, mail} = smtp.messages[0]!;
    assert.deepEqual(to, ["admin@paceco.example"]);
    assert.equal(mail.subject, "Meterbook Inc. usage report · January 2026 · Pace Co");
    assert.deepEqual(mail.attachments.map((a) => a.filename), ["index.html"]);
    const attached = mail.attachments[0]!.content.toString("utf8");
    assert.match(attached, /Pace Co/);
    assert.doesNotMatch(attached + mail.text + mail.html, /Zeta|Yarrow|cus_2|cus_3/);
    assert.match(r.out, /no address: cus_2 Zeta Corp: not one email address in custom field "admin_email"/);
    assert.match(r.out, /no address: cus_3 Yarrow Ltd: no address in custom field "admin_email"/);
    assert.match(r.out, /1 email delivered, 2 customers without an address/);
  });

  it("takes addresses from a mapping file instead, and with --dry-run writes one .eml per customer and sends nothing", async () => {
    const csv = join(dir, "admins.csv");
    writeFileSync(csv, "customer_id,email\ncus_2,ops@zeta.example\ncus_1,billing@paceco.example\n");
    const dry = join(dir, "dry");
    const before = smtp.messages.length;
    const r = await cli(["report", "--month", "2026-01", "--all", "--no-pdf", "--out", join(dir, "b"), "--snapshot", snapshotDir, "--send", "--dry-run", dry], {METERBOOK_CONFIG: config({recipients: csv})});
    assert.equal(r.code, 0, r.err);
    assert.equal(smtp.messages.length, before);
    assert.deepEqual(readdirSync(dry).sort(), ["1-email-billing@paceco.example.eml", "2-email-ops@zeta.example.eml"]);
    const zeta = await simpleParser(readFileSync(join(dry, "2-email-ops@zeta.example.eml")));
    assert.match(zeta.subject!, /Zeta Corp$/);
    assert.equal(zeta.attachments.length, 1);
    assert.doesNotMatch(zeta.attachments[0]!.content.toString("utf8") + zeta.text, /Pace Co|Yarrow/);
    assert.match(r.out, /no address: cus_3 Yarrow Ltd: no address in admins\.csv/);
  });

  it("exits 1 naming METERBOOK_SMTP_URL when the server is down, the password nowhere", async () => {
    const r = await cli(["report", "--month", "2026-01", "--customer", "cus_1", "--no-pdf", "--out", join(dir, "c"), "--snapshot", snapshotDir, "--send"], {METERBOOK_CONFIG: config({emailField: "admin_email"}), METERBOOK_SMTP_URL: `smtp://u:${PASSWORD}@127.0.0.1:9`});
    assert.equal(r.code, 1);
    assert.match(r.err, /cus_1 \(admin@paceco\.example\) not delivered: METERBOOK_SMTP_URL/);
    assert.doesNotMatch(r.out + r.err, new RegExp(PASSWORD));
  });
});

describe("readRecipientsFile(path)", () => {
  it("reads JSON objects and CSVs with an address column, and refuses a customer listed twice", () => {
    const json = join(dir, "r.json");
    writeFileSync(json, JSON.stringify({cus_1: " a@b.example "}));
    assert.deepEqual([...readRecipientsFile(json)], [["cus_1", "a@b.example"]]);
    const csv = join(dir, "r.csv");
    writeFileSync(csv, "customer_id,address\ncus_1,a@b.example\ncus_1,c@d.example\n");
    assert.throws(() => readRecipientsFile(csv), /line 3: customer cus_1 is listed twice/);
  });
});
