// `meterbook report --month M --all --send`: each built monthly report emailed to its customer's admin address — one
// email per customer with only that customer's own document attached (the PDF, or index.html without one). Addresses
// come from a mapping file (`reports.recipients`, CSV or JSON of customer_id → address) or a customer custom field
// (`reports.emailField`, read from the snapshot's customers like `ownerField`); a customer with neither is listed, never
// guessed. Delivery through delivery/ (retries, redaction, --dry-run .eml files).
import {existsSync, readFileSync} from "node:fs";
import {basename, join} from "node:path";
import {csvParse} from "d3-dsv";
import type {Config} from "../config.js";
import {secretNames, smtpFromEnv} from "../delivery/destinations.js";
import type {EmailMessage} from "../delivery/email.js";
import {dryRunOutbox, liveOutbox} from "../delivery/outbox.js";
import type {RetryOptions} from "../delivery/retry.js";
import {DeliveryError, redact, secretsOf} from "../delivery/secrets.js";
import {InputError} from "../errors.js";
import {openDuckDB, rows, sqlString} from "../lib/duckdb.js";
import {monthPeriod} from "../../src/core/periods.js";
import {esc} from "../../src/core/escape.js";
import type {Built} from "./build.js";

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** The mapping file: CSV with `customer_id` and `email` (or `address`) columns, or JSON {customer_id: address}. */
export function readRecipientsFile(path: string): Map<string, string> {
  if (!existsSync(path)) throw new InputError(`reports.recipients: file not found: ${path}`);
  const text = readFileSync(path, "utf8");
  const out = new Map<string, string>();
  if (/\.json$/i.test(path)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${path}: not JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError(`${path}: expected an object {"<customer_id>": "<address>"}`);
    for (const [id, address] of Object.entries(parsed)) {
      if (typeof address !== "string") throw new InputError(`${path}: ${id}: the address must be a string`);
      out.set(id, address.trim());
    }
    return out;
  }
  const table = csvParse(text.replace(/^\uFEFF/, ""));
  const column = ["email", "address"].find((c) => table.columns.includes(c));
  if (!table.columns.includes("customer_id") || !column) throw new InputError(`${path}: a CSV needs the columns customer_id and email (or address)`);
  table.forEach((row, i) => {
    const id = row.customer_id?.trim();
    if (!id) throw new InputError(`${path}: line ${i + 2}: no customer_id`);
    if (out.has(id)) throw new InputError(`${path}: line ${i + 2}: customer ${id} is listed twice`);
    out.set(id, (row[column] ?? "").trim());
  });
  return out;
}

/** Each customer's name and its admin address (null: none, or not an address — listed, not guessed). */
export async function reportRecipients(snapshotDir: string, reports: Config["reports"]): Promise<Map<string, {name: string; address: string | null; problem: string | null}>> {
  if (!reports.recipients && !reports.emailField) throw new InputError("report --send needs reports.emailField (a customer custom field) or reports.recipients (a CSV/JSON file) in meterbook.config.json");
  const file = reports.recipients ? readRecipientsFile(reports.recipients) : null;
  const {instance, connection} = await openDuckDB();
  try {
    // The custom field is read from the snapshot's staged customers the way mart_customers reads ownerField.
    const customers = `read_parquet(${sqlString(join(snapshotDir, "marts", "customers.parquet"))})`;
    const found = await rows<{customer_id: string; name: string | null; field: string | null}>(
      connection,
      reports.emailField
        ? `select c.customer_id, c.name, s.custom_fields ->> $1 as field
           from ${customers} as c left join read_parquet(${sqlString(join(snapshotDir, "staging", "customer.parquet"))}) as s on s.id = c.customer_id`
        : `select customer_id, name, null as field from ${customers}`,
      reports.emailField ? [`$.${JSON.stringify(reports.emailField)}`] : []
    );
    const out = new Map<string, {name: string; address: string | null; problem: string | null}>();
    for (const r of found) {
      const raw = file ? file.get(r.customer_id) ?? null : reports.emailField ? r.field : null;
      const value = raw === null || raw === undefined ? "" : String(raw).trim();
      const source = file ? `in ${basename(reports.recipients!)}` : `in custom field ${JSON.stringify(reports.emailField)}`;
      const problem = value === "" ? `no address ${source}` : EMAIL.test(value) ? null : `not one email address ${source}`;
      out.set(r.customer_id, {name: String(r.name ?? r.customer_id), address: problem ? null : value, problem});
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The email carrying one customer's report: its name, the month, and its own document only. */
export function reportEmail(b: Built, {name, address, month, asOf, from, companyName}: {name: string; address: string; month: string; asOf: string; from: string; companyName: string}): EmailMessage {
  const period = monthPeriod(month, asOf);
  const file = b.pdf && existsSync(b.pdf) ? b.pdf : join(b.dir, "index.html");
  const partial = period.partial ? ` (to date: figures through the day before ${asOf})` : "";
  const subject = `${companyName} usage report · ${period.label} · ${name}`;
  const text = `Hello,\n\nAttached is ${name}'s usage report for ${period.label}${partial}: ${basename(file)}.\n\n${companyName}\n`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:14px;color:#222"><p>Hello,</p><p>Attached is ${esc(name)}'s usage report for ${esc(period.label)}${esc(partial)}: <b>${esc(basename(file))}</b>.</p><p>${esc(companyName)}</p></body></html>`;
  return {from, to: [address], subject, text, html, attachments: [{filename: basename(file), content: readFileSync(file), contentType: file.endsWith(".pdf") ? "application/pdf" : "text/html"}]};
}

export interface SendOptions {
  built: Built[];
  month: string;
  snapshotDir: string;
  dryRun?: string | null;
  config: Config;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  out?: (message: string) => void;
  delivery?: {timeoutMs?: number; retry?: RetryOptions};
}

export interface SendResult {
  sent: {customer_id: string; address: string}[];
  /** Customers with no usable address: listed, not a failure. */
  missing: {customer_id: string; name: string; problem: string}[];
  failures: {customer_id: string; message: string}[];
  written: string[];
}

export async function sendReports({built, month, snapshotDir, dryRun = null, config, env = process.env, log = () => {}, out = () => {}, delivery = {}}: SendOptions): Promise<SendResult> {
  const secrets = secretsOf(env, secretNames(config.alerts));
  const asOf = JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8")).as_of as string;
  const recipients = await reportRecipients(snapshotDir, config.reports);
  const outbox = dryRun ? dryRunOutbox(dryRun) : liveOutbox(delivery);
  const smtp = smtpFromEnv(env);
  const from = config.reports.from ?? config.alerts.email.from;
  const result: SendResult = {sent: [], missing: [], failures: [], written: []};
  for (const b of [...built].sort((x, y) => x.customer_id.localeCompare(y.customer_id))) {
    const who = recipients.get(b.customer_id)!;
    if (!who.address) {
      result.missing.push({customer_id: b.customer_id, name: who.name, problem: who.problem!});
      continue;
    }
    try {
      await outbox.email(smtp, reportEmail(b, {name: who.name, address: who.address, month, asOf, from, companyName: config.branding.companyName}));
      result.sent.push({customer_id: b.customer_id, address: who.address});
    } catch (error) {
      const message = redact(error instanceof DeliveryError ? error.message : `METERBOOK_SMTP_URL: ${(error as Error).message}`, secrets);
      result.failures.push({customer_id: b.customer_id, message});
      log(`meterbook report --send: ${b.customer_id} (${who.address}) not delivered: ${message}`);
    }
  }
  for (const m of result.missing) out(`no address: ${m.customer_id} ${m.name}: ${m.problem}`);
  out(`report ${month} --send: ${result.sent.length} email${result.sent.length === 1 ? "" : "s"} ${dryRun ? `written to ${dryRun}` : "delivered"}, ${result.missing.length} customer${result.missing.length === 1 ? "" : "s"} without an address${result.failures.length ? `, ${result.failures.length} not delivered` : ""}`);
  result.written = dryRun ? (outbox as ReturnType<typeof dryRunOutbox>).written : [];
  return result;
}
