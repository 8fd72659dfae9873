// Where messages go, from the environment only: Slack webhooks and the SMTP server are secrets, so the config names
// the environment variables that hold them (never the values), and the routing from an owner to their webhook or
// address is read here once for alerts, digests and reports alike.

export const DEFAULT_SLACK_ENV = "METERBOOK_SLACK_WEBHOOK_URL";
export const SMTP_ENV = "METERBOOK_SMTP_URL";

export interface Routing {
  /** Owner → name of the environment variable holding their webhook. */
  slack: {owners: Record<string, string>};
  /** Owner → address; `to` for everyone else. */
  email: {owners: Record<string, string>; to: string[]; from: string};
}

/** A Slack webhook: `name` (the variable) is what messages, logs and the state say; `url` only goes to the request. */
export interface SlackDestination {
  name: string;
  url: string | undefined;
}

export interface SmtpDestination {
  name: typeof SMTP_ENV;
  url: string;
}

/** The webhook variable for an owner (null: no owner, or none configured): theirs, else the default. */
export function slackFor(owner: string | null, routing: Routing, env: NodeJS.ProcessEnv): SlackDestination {
  const name = (owner !== null && routing.slack.owners[owner]) || DEFAULT_SLACK_ENV;
  return {name, url: env[name] || undefined};
}

/** The addresses an owner's email goes to: theirs, else `to`. */
export function emailFor(owner: string | null, routing: Routing): string[] {
  const own = owner !== null ? routing.email.owners[owner] : undefined;
  return own ? [own] : routing.email.to;
}

export function smtpFromEnv(env: NodeJS.ProcessEnv): SmtpDestination | null {
  return env[SMTP_ENV] ? {name: SMTP_ENV, url: env[SMTP_ENV]!} : null;
}

/** Every environment variable that may hold a delivery secret under this routing. */
export function secretNames(routing: Routing): string[] {
  return [...new Set([DEFAULT_SLACK_ENV, SMTP_ENV, ...Object.values(routing.slack.owners)])];
}
