// Sending or writing: one interface for the commands that deliver (alerts, and later digests and reports). The live
// outbox posts and mails; the dry-run outbox writes each message it is given into a folder instead — Slack messages
// as `<n>-slack-<who>.json`, emails as `<n>-email-<to>.eml` — and sends nothing.
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import type {SlackDestination, SmtpDestination} from "./destinations.js";
import {emlOf, sendEmail, type EmailMessage} from "./email.js";
import type {RetryOptions} from "./retry.js";
import {DeliveryError} from "./secrets.js";
import {postSlack, type SlackMessage} from "./slack.js";

export interface Outbox {
  readonly dryRun: boolean;
  /** `who` names the message in the dry-run file (the owner, or "default"). Throws a DeliveryError. */
  slack(destination: SlackDestination, who: string, message: SlackMessage): Promise<void>;
  email(smtp: SmtpDestination | null, message: EmailMessage): Promise<void>;
}

export function liveOutbox({timeoutMs, retry}: {timeoutMs?: number; retry?: RetryOptions} = {}): Outbox {
  return {
    dryRun: false,
    slack: (destination, _who, message) => postSlack(destination, message, {timeoutMs, retry}),
    email: (smtp, message) => {
      if (!smtp) throw new DeliveryError("METERBOOK_SMTP_URL", "not set in the environment", [], false);
      return sendEmail(smtp, message, {timeoutMs, retry});
    }
  };
}

/** Writes into `dir` (created if missing), numbering files in the order messages are given. */
export function dryRunOutbox(dir: string): Outbox & {written: string[]} {
  const written: string[] = [];
  const file = async (name: string, content: string | Buffer) => {
    await mkdir(dir, {recursive: true});
    const path = join(dir, `${written.length + 1}-${name}`);
    written.push(path);
    await writeFile(path, content);
  };
  return {
    dryRun: true,
    written,
    // The destination is named by its variable only: a dry run is safe to share.
    slack: (destination, who, message) => file(`slack-${safeName(who)}.json`, JSON.stringify({destination: destination.name, message}, null, 2) + "\n"),
    email: async (_smtp, message) => file(`email-${safeName(message.to.join(","))}.eml`, await emlOf(message))
  };
}

/** A file-name-safe form of an owner or address. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9@._-]+/g, "_").slice(0, 80) || "_";
}
