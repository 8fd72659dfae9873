// Email through SMTP with nodemailer: the transport from METERBOOK_SMTP_URL (smtp://user:pass@host:port) with
// timeouts, sending retried on connection errors and SMTP's temporary (4xx) replies — in SMTP it is 4xx that may
// pass and 5xx that is final — and the .eml bytes of a message for --dry-run (nodemailer's stream transport).
// Every failure is a DeliveryError naming METERBOOK_SMTP_URL, never its value.
import nodemailer, {type Transporter} from "nodemailer";
import type {SmtpDestination} from "./destinations.js";
import {withRetry, type RetryOptions} from "./retry.js";
import {DeliveryError, secretParts} from "./secrets.js";

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Inline images (referenced from the HTML as `cid:<cid>`) and other attachments. */
  attachments?: {filename: string; content: Buffer | string; contentType: string; cid?: string}[];
}

export interface SendOptions {
  timeoutMs?: number;
  retry?: RetryOptions;
}

const CONNECTION_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "EPIPE"]);

export async function sendEmail(destination: SmtpDestination, message: EmailMessage, {timeoutMs = 15_000, retry}: SendOptions = {}): Promise<void> {
  const secrets = secretParts(destination.url);
  let transport: Transporter;
  try {
    transport = nodemailer.createTransport(destination.url, {connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs} as never);
  } catch {
    throw new DeliveryError(destination.name, "not an SMTP URL (expected smtp://user:password@host:port)", secrets, false);
  }
  try {
    await withRetry(
      async () => {
        try {
          await transport.sendMail(message);
        } catch (error) {
          const e = error as {code?: string; responseCode?: number; command?: string};
          if (e.responseCode) {
            // The server's reply code and the command; its text may quote what we sent, so it is not shown.
            throw new DeliveryError(destination.name, `SMTP server answered ${e.responseCode}${e.command ? ` to ${e.command.split(" ")[0]}` : ""}${e.code === "EAUTH" ? " (authentication failed)" : ""}`, secrets, e.responseCode >= 400 && e.responseCode < 500);
          }
          const connection = e.code !== undefined && CONNECTION_CODES.has(e.code);
          throw new DeliveryError(destination.name, connection ? `cannot reach the SMTP server (${e.code})` : `sending failed (${e.code ?? "unknown error"})`, secrets, connection);
        }
      },
      (error) => error instanceof DeliveryError && error.retryable,
      retry
    );
  } finally {
    transport.close();
  }
}

/** The message as an .eml file's bytes: exactly what would be sent. */
export async function emlOf(message: EmailMessage): Promise<Buffer> {
  const transport = nodemailer.createTransport({streamTransport: true, buffer: true, newline: "unix"});
  const info = await transport.sendMail(message);
  return info.message as Buffer;
}
