// Posting a Block Kit message to a Slack incoming webhook with the official client (@slack/webhook), under a timeout,
// retried by our own policy (retry.ts: 5xx, 429 and connection errors; the client alone would not retry 429), every
// failure turned into a DeliveryError that names the webhook's environment variable and never its URL.
import {IncomingWebhook, IncomingWebhookHTTPError, type IncomingWebhookSendArguments} from "@slack/webhook";
import type {SlackDestination} from "./destinations.js";
import {retryableStatus, withRetry, type RetryOptions} from "./retry.js";
import {DeliveryError, secretParts} from "./secrets.js";

export type SlackMessage = IncomingWebhookSendArguments & {text: string};

export interface SendOptions {
  timeoutMs?: number;
  retry?: RetryOptions;
}

export async function postSlack(destination: SlackDestination, message: SlackMessage, {timeoutMs = 10_000, retry}: SendOptions = {}): Promise<void> {
  const {name, url} = destination;
  if (!url) throw new DeliveryError(name, "not set in the environment", [], false);
  const secrets = secretParts(url);
  const webhook = new IncomingWebhook(url, {timeout: timeoutMs, retryConfig: {retries: 0}});
  await withRetry(
    async () => {
      try {
        await webhook.send(message);
      } catch (error) {
        if (error instanceof IncomingWebhookHTTPError) {
          // Slack's body is a short reason (`invalid_payload`, `no_service`); kept, redacted, without the URL.
          throw new DeliveryError(name, `Slack answered HTTP ${error.statusCode}${error.body ? ` (${error.body.slice(0, 200)})` : ""}`, secrets, retryableStatus(error.statusCode));
        }
        const cause = (error as {original?: {name?: string; cause?: {code?: string}}}).original;
        const reason = cause?.name === "TimeoutError" || cause?.name === "AbortError" ? `no answer within ${timeoutMs} ms` : `connection failed${cause?.cause?.code ? ` (${cause.cause.code})` : ""}`;
        throw new DeliveryError(name, reason, secrets, true);
      }
    },
    (error) => error instanceof DeliveryError && error.retryable,
    retry
  );
}
