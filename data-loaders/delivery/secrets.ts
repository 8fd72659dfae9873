// Keeping delivery secrets (webhook URLs, the SMTP password) out of every output: the values to hide, taken from the
// environment variables that hold them, and `redact`, which every error message and log line of delivery passes
// through. Libraries echo URLs in their errors (fetch, nodemailer), so no library message is shown unredacted.

const MIN_SECRET = 4;

/**
 * The secret parts of an environment variable's value: the whole value and, for a URL, its password and path. Not the
 * user name: it is no secret (and, often a word like "meterbook", hiding it would garble every message).
 */
export function secretParts(value: string | undefined): string[] {
  if (!value) return [];
  const parts = [value];
  try {
    const url = new URL(value);
    if (url.password) parts.push(url.password, decodeURIComponent(url.password));
    // A webhook's path is its token (hooks.slack.com/services/T…/B…/secret).
    if (url.pathname.length > 1) parts.push(url.pathname, url.pathname.slice(1));
    parts.push(url.href);
  } catch {
    // Not a URL: the whole value is the secret.
  }
  return [...new Set(parts.filter((p) => p.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);
}

/** Every secret held by the named environment variables. */
export function secretsOf(env: NodeJS.ProcessEnv, names: Iterable<string>): string[] {
  return [...new Set([...names].flatMap((n) => secretParts(env[n])))].sort((a, b) => b.length - a.length);
}

/** `text` with every secret (and any `user:password@` in a URL) replaced by `[redacted]`. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[redacted]");
  return out.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//[redacted]@");
}

/**
 * The one error delivery throws: names the destination by its environment variable (or address), never its value;
 * the message is redacted when made, and the library's error is not kept (its message or URL may hold the secret).
 */
export class DeliveryError extends Error {
  readonly destination: string;
  readonly retryable: boolean;

  constructor(destination: string, detail: string, secrets: string[], retryable: boolean) {
    super(redact(`${destination}: ${detail}`, secrets));
    this.name = "DeliveryError";
    this.destination = destination;
    this.retryable = retryable;
  }
}
