// data-loaders/delivery/: retries and backoff, which failures are retried, errors that name the destination and
// never its secret, and the dry-run outbox — on loopback servers, with waits recorded instead of slept.
import assert from "node:assert/strict";
import {createServer} from "node:http";
import type {AddressInfo} from "node:net";
import {mkdtempSync, readdirSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {emailFor, slackFor} from "../data-loaders/delivery/destinations.js";
import {emlOf, sendEmail} from "../data-loaders/delivery/email.js";
import {dryRunOutbox} from "../data-loaders/delivery/outbox.js";
import {retryableStatus, withRetry} from "../data-loaders/delivery/retry.js";
import {DeliveryError, redact, secretParts} from "../data-loaders/delivery/secrets.js";
import {postSlack} from "../data-loaders/delivery/slack.js";
import {slackServer, smtpServer} from "./fixtures/loopback.js";

const noWait = () => {
  const waits: number[] = [];
  return {waits, retry: {baseMs: 100, sleep: async (ms: number) => void waits.push(ms)}};
};

describe("withRetry(attempt, isRetryable, options)", () => {
  it("tries three more times with exponential backoff, then throws the last error", async () => {
    const {waits, retry} = noWait();
    let calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw new Error(`fail ${calls}`); }, () => true, retry), /fail 4/);
    assert.equal(calls, 4);
    assert.deepEqual(waits, [100, 200, 400]);
  });

  it("does not retry an error it is told is final", async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => { calls++; throw new Error("final"); }, () => false, noWait().retry));
    assert.equal(calls, 1);
  });

  it("returns the first success", async () => {
    let calls = 0;
    assert.equal(await withRetry(async () => (++calls < 3 ? Promise.reject(new Error("x")) : "ok"), () => true, noWait().retry), "ok");
    assert.equal(calls, 3);
  });
});

describe("retryableStatus(status)", () => {
  it("retries 5xx and 429, not other 4xx", () => {
    assert.deepEqual([500, 502, 503, 429, 400, 403, 404].map(retryableStatus), [true, true, true, true, false, false, false]);
  });
});

describe("postSlack(destination, message, options)", () => {
  const message = {text: "hello"};

  it("retries 429 and 5xx answers and delivers once the webhook accepts", async () => {
    const slack = await slackServer();
    slack.queue.push(429, 503);
    const {waits, retry} = noWait();
    await postSlack({name: "METERBOOK_SLACK_WEBHOOK_URL", url: slack.url("/services/T/B/tok3n")}, message, {retry});
    assert.equal(slack.requests, 3);
    assert.deepEqual(slack.posts.map((p) => p.body.text), ["hello"]);
    assert.deepEqual(waits, [100, 200]);
    await slack.close();
  });

  it("does not retry a 4xx answer, and names the variable, not the URL", async () => {
    const slack = await slackServer();
    slack.queue.push(404);
    const url = slack.url("/services/T/B/tok3n-secret");
    const error = await postSlack({name: "METERBOOK_SLACK_WEBHOOK_DANA", url}, message, noWait()).catch((e) => e);
    assert.ok(error instanceof DeliveryError);
    assert.equal(slack.requests, 1);
    assert.equal(error.message, "METERBOOK_SLACK_WEBHOOK_DANA: Slack answered HTTP 404 (error for [redacted])");
    assert.ok(!JSON.stringify({...error, message: error.message, stack: error.stack}).includes("tok3n-secret"));
    await slack.close();
  });

  it("gives up on a webhook that does not answer within the timeout, after retrying", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const server = createServer(() => {}); // never answers
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T/B/slowtoken`;
    const {waits, retry} = noWait();
    await assert.rejects(postSlack({name: "METERBOOK_SLACK_WEBHOOK_URL", url}, message, {timeoutMs: 50, retry}), {message: "METERBOOK_SLACK_WEBHOOK_URL: no answer within 50 ms"});
    assert.equal(waits.length, 3);
    for (const s of sockets) s.destroy();
    await new Promise((ok) => server.close(ok));
  });

  it("fails, without a request, when the variable is not set", async () => {
    await assert.rejects(postSlack({name: "METERBOOK_SLACK_WEBHOOK_LEE", url: undefined}, message), {message: "METERBOOK_SLACK_WEBHOOK_LEE: not set in the environment"});
  });
});

describe("sendEmail(destination, message, options)", () => {
  const message = {from: "alerts@example.com", to: ["dana@example.com"], subject: "Test", text: "body", html: "<p>body</p>"};

  it("delivers through an SMTP server that requires authentication", async () => {
    const smtp = await smtpServer({user: "mb", password: "pa55-word!"});
    await sendEmail({name: "METERBOOK_SMTP_URL", url: smtp.url}, message, noWait());
    assert.deepEqual(smtp.messages.map((m) => [m.to, m.mail.subject, m.mail.text?.trim()]), [[["dana@example.com"], "Test", "body"]]);
    await smtp.close();
  });

  it("does not retry a rejected login (a final 5xx), and never shows the password", async () => {
    const smtp = await smtpServer({user: "mb", password: "right-pa55"});
    const url = smtp.url.replace("right-pa55", "wrong-pa55");
    const {waits, retry} = noWait();
    const error = await sendEmail({name: "METERBOOK_SMTP_URL", url}, message, {retry}).catch((e) => e);
    assert.ok(error instanceof DeliveryError);
    assert.match(error.message, /^METERBOOK_SMTP_URL: SMTP server answered 535 to AUTH \(authentication failed\)$/);
    assert.deepEqual(waits, []);
    assert.ok(!`${error.message}${error.stack}`.includes("wrong-pa55"));
    await smtp.close();
  });
});

describe("redact(text, secrets)", () => {
  it("hides a URL's password and webhook path, and any user:password@ in a URL", () => {
    const secrets = [...secretParts("smtp://user:p%40ss-word@mail.example.com:587"), ...secretParts("https://hooks.slack.com/services/T1/B2/abcdef")];
    assert.equal(redact("smtp://user:p%40ss-word@mail.example.com:587 p@ss-word https://hooks.slack.com/services/T1/B2/abcdef", secrets), "[redacted] [redacted] [redacted]");
    assert.equal(redact("see ftp://x:y@host/", []), "see ftp://[redacted]@host/");
  });
});

describe("slackFor(owner, routing, env) and emailFor(owner, routing)", () => {
  const routing = {slack: {owners: {Dana: "METERBOOK_SLACK_WEBHOOK_DANA"}}, email: {owners: {Dana: "dana@example.com"}, to: ["ops@example.com"], from: "x@example.com"}};

  it("routes an owner to their own webhook and address, everyone else to the defaults", () => {
    const env = {METERBOOK_SLACK_WEBHOOK_DANA: "https://d", METERBOOK_SLACK_WEBHOOK_URL: "https://default"};
    assert.deepEqual(slackFor("Dana", routing, env), {name: "METERBOOK_SLACK_WEBHOOK_DANA", url: "https://d"});
    assert.deepEqual(slackFor("Lee", routing, env), {name: "METERBOOK_SLACK_WEBHOOK_URL", url: "https://default"});
    assert.deepEqual(slackFor(null, routing, {}), {name: "METERBOOK_SLACK_WEBHOOK_URL", url: undefined});
    assert.deepEqual([emailFor("Dana", routing), emailFor("Lee", routing), emailFor(null, routing)], [["dana@example.com"], ["ops@example.com"], ["ops@example.com"]]);
  });
});

describe("dryRunOutbox(dir)", () => {
  it("numbers the files in order and names them by owner and address", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "outbox-")), "out");
    const outbox = dryRunOutbox(dir);
    await outbox.slack({name: "METERBOOK_SLACK_WEBHOOK_URL", url: "https://secret.example/x"}, "Dana Ø", {text: "hi"});
    await outbox.email(null, {from: "a@example.com", to: ["b@example.com"], subject: "S", text: "t", html: "<p>t</p>"});
    assert.deepEqual(readdirSync(dir).sort(), ["1-slack-Dana_.json", "2-email-b@example.com.eml"]);
    assert.ok(!readFileSync(join(dir, "1-slack-Dana_.json"), "utf8").includes("secret.example"));
  });
});

describe("emlOf(message)", () => {
  it("gives the message as it would be sent: headers, text and HTML parts", async () => {
    const eml = (await emlOf({from: "a@example.com", to: ["b@example.com"], subject: "Alerts", text: "plain", html: "<p>rich</p>"})).toString("utf8");
    assert.match(eml, /^Subject: Alerts$/m);
    assert.match(eml, /Content-Type: multipart\/alternative/);
    assert.match(eml, /Content-Type: text\/plain/);
    assert.match(eml, /Content-Type: text\/html/);
  });
});
