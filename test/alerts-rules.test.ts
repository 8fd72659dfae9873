// Alert rules in the config (data-loaders/alerts/rules.ts, config.ts's alerts section) and the state's reading of
// consecutive snapshots (data-loaders/alerts/state.ts).
import assert from "node:assert/strict";
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {checkAlertRules, DEFAULT_ALERT_RULES} from "../data-loaders/alerts/rules.js";
import {heldConsecutively, type AlertState} from "../data-loaders/alerts/state.js";
import {checkAlerts, loadConfig} from "../data-loaders/config.js";

describe("checkAlertRules(rules, where)", () => {
  it("gives the defaults when the config has none, spike-type rules waiting for two snapshots", () => {
    const rules = checkAlertRules(undefined, "test");
    assert.deepEqual(rules.map((r) => `${r.id}:${r.consecutive}`), [
      "low_remaining_pct:1", "exhaustion_within_30_days:1", "over_pace:2", "under_pace:1", "week1_spike:2", "unsustainable:2", "adoption_risk:1", "negative_balance:1", "stale_data:1"
    ]);
  });

  it("replaces a default in place from the fields given, drops one with enabled false, appends new ones", () => {
    const rules = checkAlertRules([{id: "low_remaining_pct", threshold: 10}, {id: "under_pace", enabled: false}, {id: "low_usd", kind: "low_remaining_amount", threshold: {"USD (cents)": 500000}}], "test");
    assert.deepEqual(rules[0], {id: "low_remaining_pct", kind: "low_remaining_pct", threshold: 10, severity: "warning", consecutive: 1});
    assert.equal(rules.some((r) => r.id === "under_pace"), false);
    assert.deepEqual(rules.at(-1), {id: "low_usd", kind: "low_remaining_amount", threshold: {"USD (cents)": 500000}, severity: "warning", consecutive: 1});
    assert.equal(rules.length, DEFAULT_ALERT_RULES.length);
  });

  it("defaults consecutive to 2 for a new spike-type rule and 1 otherwise", () => {
    const rules = checkAlertRules([{id: "spike", kind: "flag", threshold: "week1_spike"}, {id: "neg", kind: "flag", threshold: "negative_balance"}], "test");
    assert.deepEqual(rules.slice(-2).map((r) => r.consecutive), [2, 1]);
  });

  it("explains what is wrong with a rule", () => {
    const bad: [unknown, RegExp][] = [
      [{id: "x", kind: "nope"}, /alerts\.rules\[0\] in test: kind must be one of low_remaining_amount, /],
      [{id: "x", kind: "low_remaining_pct", threshold: 120}, /threshold must be a percentage of the commit \(0 to 100\)/],
      [{id: "x", kind: "low_remaining_amount", threshold: 5000}, /threshold must map credit types to amounts in their minor unit/],
      [{id: "x", kind: "status", threshold: "on_track"}, /threshold must be "over" or "under"/],
      [{id: "x", kind: "flag", threshold: "spike"}, /one of the pacing flags week1_spike, unsustainable, adoption_risk, negative_balance/],
      [{id: "x", kind: "negative_balance", consecutive: 0}, /consecutive must be a whole number of snapshots, 1 to 30/],
      [{id: "x", kind: "negative_balance", when: 1}, /unknown field when/],
      [{id: "bad id!", kind: "negative_balance"}, /needs an id of letters, digits/]
    ];
    for (const [rule, message] of bad) assert.throws(() => checkAlertRules([rule], "test"), message);
    assert.throws(() => checkAlertRules([{id: "a", kind: "negative_balance"}, {id: "a", kind: "negative_balance"}], "test"), /id a is given twice/);
  });
});

describe("checkAlerts(alerts, where)", () => {
  it("refuses a webhook URL where the name of its environment variable belongs", () => {
    assert.throws(() => checkAlerts({slack: {owners: {Dana: "https://hooks.slack.com/services/T/B/x"}}} as never, "test"), /alerts\.slack\.owners\.Dana in test: the NAME of an environment variable holding the webhook \(e\.g\. METERBOOK_SLACK_WEBHOOK_DANA\), never the URL/);
  });

  it("refuses an address that is not one", () => {
    assert.throws(() => checkAlerts({email: {owners: {}, to: ["ops"], from: "a@b"}} as never, "test"), /alerts\.email\.to in test: a list of email addresses/);
  });
});

describe("loadConfig(env, root): alerts and siteUrl", () => {
  const withFile = (content: object) => {
    const path = join(mkdtempSync(join(tmpdir(), "config-")), "meterbook.config.json");
    writeFileSync(path, JSON.stringify(content));
    return loadConfig({METERBOOK_CONFIG: path});
  };

  it("reads siteUrl without its trailing slash, and the defaults when alerts is absent", () => {
    const config = withFile({siteUrl: "https://meterbook.example.com/"});
    assert.equal(config.siteUrl, "https://meterbook.example.com");
    assert.equal(config.alerts.rules.length, DEFAULT_ALERT_RULES.length);
    assert.deepEqual(config.alerts.email.to, []);
  });

  it("refuses a siteUrl that is no http(s) URL", () => {
    assert.throws(() => withFile({siteUrl: "meterbook.example.com"}), /invalid siteUrl in .*: an http\(s\) URL/);
  });
});

describe("heldConsecutively(state, asOf, key, consecutive)", () => {
  const obs = (as_of: string, keys: string[]) => ({as_of, content_hash: as_of, observed_at: "", holding: keys.map((k) => ({rule_id: k.split("|")[0]!, subject_id: k.split("|")[1]!, value: null}))});
  const state = (observations: ReturnType<typeof obs>[]): AlertState => ({observations, active: new Map()});

  it("needs no earlier snapshot for a rule of one", () => {
    assert.equal(heldConsecutively(state([]), "2026-01-02", "r|s", 1), true);
  });

  it("needs the condition on the snapshots just before this one", () => {
    const s = state([obs("2026-01-01", ["r|s"]), obs("2026-01-02", [])]);
    assert.equal(heldConsecutively(s, "2026-01-03", "r|s", 2), false);
    assert.equal(heldConsecutively(s, "2026-01-02", "r|s", 2), true, "the as_of being evaluated is not its own predecessor");
  });

  it("is not yet satisfied with fewer earlier snapshots than needed", () => {
    assert.equal(heldConsecutively(state([obs("2026-01-01", ["r|s"])]), "2026-01-02", "r|s", 3), false);
  });
});
