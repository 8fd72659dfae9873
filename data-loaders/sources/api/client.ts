// The Metronome API client for `meterbook pull`: the official SDK with the token and base URL from the SDK's own
// variables, a request counter, and errors that say which access a token lacks — never the token itself.
//
// What the SDK does: retries 408/409/429/5xx and connection errors/timeouts up to `maxRetries` times, honouring
// `Retry-After` (and `retry-after-ms`) on 429, else exponential backoff 0.5 s·2ⁿ capped at 8 s with jitter; aborts
// a request after `timeout` ms. What Meterbook adds: a hard cap on a server-requested wait (a `Retry-After` longer
// than `maxRetryAfterMs` fails the run instead of sleeping for it), the count of HTTP requests sent, bounded
// concurrency (pull.ts), and messages naming the missing access.
import Metronome, {APIConnectionError, APIError, AuthenticationError, PermissionDeniedError} from "@metronome/sdk";
import {InputError} from "../../errors.js";

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Per-request timeout (ms); default 30 s. */
  timeoutMs?: number;
  /** Retries per request after the first attempt; default 4. */
  maxRetries?: number;
  /** Longest `Retry-After` honoured (ms); default 60 s. */
  maxRetryAfterMs?: number;
  /** The fetch to use (tests); default the global fetch. */
  fetch?: typeof fetch;
}

export interface ApiClient {
  client: Metronome;
  /** HTTP requests sent so far, retries included. */
  requests: () => number;
  /** Removes the token from any text before it is logged or thrown. */
  redact: (text: string) => string;
}

/** An API problem a user must fix (token, access, base URL): printed as one line by the CLI, like bad input. */
export class ApiError extends InputError {}

export function createClient({env = process.env, timeoutMs = 30_000, maxRetries = 4, maxRetryAfterMs = 60_000, fetch: baseFetch = globalThis.fetch}: ClientOptions = {}): ApiClient {
  const token = env.METRONOME_BEARER_TOKEN?.trim();
  if (!token) throw new ApiError("METRONOME_BEARER_TOKEN is not set: create an API token in Metronome (Connections → API tokens) and export it");
  const redact = (text: string) => text.split(token).join("[token]");
  let count = 0;
  const counting: typeof fetch = async (input, init) => {
    count += 1;
    const response = await baseFetch(input, init);
    const after = response.headers.get("retry-after");
    if (response.status === 429 && after !== null) {
      const seconds = Number(after);
      const waitMs = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
      if (waitMs > maxRetryAfterMs) {
        // Tell the SDK not to retry (its own header), and explain() what happened.
        const headers = new Headers(response.headers);
        headers.set("x-should-retry", "false");
        headers.set(TOO_LONG, String(Math.round(waitMs / 1000)));
        return new Response(response.body, {status: 429, statusText: response.statusText, headers});
      }
    }
    return response;
  };
  const client = new Metronome({
    bearerToken: token,
    ...(env.METRONOME_BASE_URL ? {baseURL: env.METRONOME_BASE_URL} : {}),
    timeout: timeoutMs,
    maxRetries,
    fetch: counting,
    // The SDK's own logging could print request details; Meterbook reports progress itself.
    logLevel: "off"
  });
  return {client, requests: () => count, redact};
}

const TOO_LONG = "x-meterbook-retry-after-too-long";

/** The access each validation call needs, as Metronome's token settings and docs name it. */
export type Access = "customers" | "billable metrics" | "invoice breakdowns" | "invoices" | "usage" | "contracts and balances" | "products" | "credit types";

/** Turn an SDK error into a message naming what was being read and what to fix; the token is removed. */
export function explain(error: unknown, access: Access, what: string, redact: (text: string) => string): Error {
  if (error instanceof ApiError) return new ApiError(redact(error.message));
  const tooLong = error instanceof APIError ? error.headers?.get(TOO_LONG) : null;
  if (tooLong) return new ApiError(`the API is rate-limiting ${access} (${what}) and asked to wait ${tooLong} s (Retry-After), longer than Meterbook waits: try again later`);
  if (error instanceof AuthenticationError) {
    return new ApiError(`the API token was rejected (401) reading ${access} (${what}): check METRONOME_BEARER_TOKEN and that the token is not revoked`);
  }
  if (error instanceof PermissionDeniedError) {
    return new ApiError(`the API token has no access to ${access} (403 on ${what}): grant the token read access to ${access}`);
  }
  if (error instanceof APIConnectionError) {
    const cause = redact(String((error as {cause?: unknown}).cause ?? error.message));
    return new ApiError(`could not reach the Metronome API reading ${access} (${what}) after retries: ${redact(error.message)}${cause && cause !== error.message ? ` (${cause})` : ""}; check METRONOME_BASE_URL`);
  }
  if (error instanceof APIError) {
    return new ApiError(`the Metronome API failed reading ${access} (${what}) after retries: ${redact(error.message)}`);
  }
  const e = error instanceof Error ? error : new Error(String(error));
  e.message = redact(e.message);
  if (e.stack) e.stack = redact(e.stack);
  return e;
}
