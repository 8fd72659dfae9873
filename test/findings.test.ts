// Each finding check on a planted case (docs/data-health.md): a tiny export holding exactly that fact snapshots
// without failing, and the check finds exactly it; the same export without it finds nothing. Then the findings mart,
// the log line, and --strict.
import assert from "node:assert/strict";
import {mkdtempSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {InputError, type Finding} from "../data-loaders/errors.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {duplicateDeliveries, findingLine} from "../data-loaders/models/findings/findings.js";
import {FINDING_CHECKS, type FindingCheck} from "../data-loaders/models/findings/schema.js";
import {snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";
import {minimalExport, writeExport, writeTableFile, type Row} from "./fixtures/export-builder.js";
import {paceTables} from "./fixtures/pace-export.js";

const now = () => new Date("2026-02-01T12:00:00Z");

/** Snapshots `exportDir` as of `asOf`; returns the manifest, the log and the findings mart's rows. */
async function snap(exportDir: string, asOf: string, options: {out?: string; strict?: boolean; findingChecks?: FindingCheck[]} = {}) {
  const out = options.out ?? mkdtempSync(join(tmpdir(), "findings-"));
  const log: string[] = [];
  const manifest = await snapshot({exportDir, out, asOf, config: DEFAULT_CONFIG, now, log: (m) => log.push(m), strict: options.strict, findingChecks: options.findingChecks, cache: false});
  const {instance, connection} = await openDuckDB();
  const read = async (mart: string) => (await connection.runAndReadAll(`select * from read_parquet('${join(out, "marts", `${mart}.parquet`)}') order by all`)).getRowObjectsJson() as Record<string, unknown>[];
  const marts = {findings: await read("findings"), pacing: await read("pacing")};
  connection.closeSync();
  instance.closeSync();
  return {manifest, log, out, ...marts};
}

/** The findings of one check, as [table, rows, examples, details]. */
const of = (manifest: Manifest, check: string) =>
  manifest.findings.filter((f) => f.check === check).map((f) => [f.table, f.rows, f.examples, f.example_details ?? []]);

/** One balance, one year segment from 2026-01-01, 250 burned on Jan 1 and 2, finalized in one January invoice. */
const yearTables = (extra: Record<string, Row[]> = {}) =>
  paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-01", total: 250}, {date: "2026-01-02", total: 250}], extra});

const secondBalance = (tables: Record<string, Row[]>): Row => ({
  ...tables.contracts_balances![0]!,
  id: "bal_2",
  access_schedule: {...(tables.contracts_balances![0]!.access_schedule as Record<string, unknown>), schedule_items: [{id: "seg_2", date: "2026-01-01T00:00:00Z", end_date: "2027-01-01T00:00:00Z", amount: 1000}]}
});

describe("findings on a clean export", () => {
  it("the small export has no finding, an empty findings mart, and both balances pace", async () => {
    const tables = yearTables();
    tables.contracts_balances!.push(secondBalance(tables));
    const {manifest, findings, pacing} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(manifest.findings, []);
    assert.deepEqual(findings, []);
    assert.deepEqual(pacing.map((p) => p.balance_id), ["bal_1", "bal_2"]);
  });
});

describe("breakdowns_disagree_with_invoice", () => {
  it("usage backdated after finalization: the snapshot succeeds with a warning naming the invoice line and the amount", async () => {
    // The breakdowns hold 250 + 250 = 500; the finalized invoice's line item says 300 (finalized before 200 arrived).
    const tables = yearTables();
    tables.line_item![0]!.total = 300;
    const {manifest} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "breakdowns_disagree_with_invoice"), [
      ["breakdowns_line_items", 1, ["invoice_id=inv_2026-01, product_id=prod_1"], ["breakdowns 500, invoice 300, difference 200 USD (cents)"]]
    ]);
    assert.equal(manifest.findings[0]!.severity, "warning");
  });
});

describe("unattributed_burn", () => {
  it("a burn line naming a balance the export does not hold reaches no segment", async () => {
    const tables = paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-01", total: 250}, {date: "2026-01-02", total: 40, commit: "bal_gone"}]});
    const {manifest} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "unattributed_burn"), [["breakdowns_line_items", 1, ["id=bl_2, date=2026-01-02"], ["commit_id=bal_gone, 40 USD (cents)"]]]);
  });
});

describe("segment_boundary_not_midnight", () => {
  it("a segment starting at 08:00 UTC is listed with its start", async () => {
    const tables = paceTables({segments: [{id: "seg_1", start: "2026-01-01T08:00:00Z", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-02", total: 250}]});
    const {manifest} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "segment_boundary_not_midnight"), [["contracts_balances", 1, ["balance_id=bal_1, segment_id=seg_1"], ["starts 2026-01-01 08:00:00 UTC"]]]);
  });
});

describe("balance_absent_from_latest_snapshot", () => {
  it("a balance missing from the latest contracts_balances transfer leaves pacing and is listed", async () => {
    const tables = yearTables();
    const both = [...tables.contracts_balances!, secondBalance(tables)];
    tables.contracts_balances = both;
    const root = await writeExport(tables, {dt: "2026-01-30"});
    // The next day's snapshot of contracts_balances lists only bal_1: bal_2 was removed in Metronome.
    await writeTableFile(root, "contracts_balances", [{...both[0]!, updated_at: "2026-01-31T05:00:00Z"}], {dt: "2026-01-31"});
    const {manifest, pacing} = await snap(root, "2026-02-01");
    assert.deepEqual(pacing.map((p) => p.balance_id), ["bal_1"]);
    assert.deepEqual(of(manifest, "balance_absent_from_latest_snapshot"), [["contracts_balances", 1, ["balance_id=bal_2"], ["contract_id=con_1, 1 active segment left out of pacing"]]]);
    assert.equal(manifest.findings.find((f) => f.check === "balance_absent_from_latest_snapshot")!.severity, "info");
  });

  it("a retried transfer of the day before's snapshot, landing after the day's own, removes nothing", async () => {
    // 2026-01-31 05:00: the day's snapshot (newer version of bal_1); 05:41: a retry of the 30th's (older version).
    // The latest transfer day is the 31st, every file of it: bal_1 is in it, and its newer version wins.
    const tables = yearTables();
    const root = await writeExport(tables, {dt: "2026-01-30"});
    await writeTableFile(root, "contracts_balances", [{...tables.contracts_balances![0]!, updated_at: "2026-01-31T05:00:00Z"}], {dt: "2026-01-31", timestamp: "20260131050000"});
    await writeTableFile(root, "contracts_balances", [tables.contracts_balances![0]!], {dt: "2026-01-31", part: 1, timestamp: "20260131054100"});
    const {manifest, pacing} = await snap(root, "2026-02-01");
    assert.deepEqual(pacing.map((p) => p.balance_id), ["bal_1"]);
    assert.deepEqual(of(manifest, "balance_absent_from_latest_snapshot"), []);
  });

  it("a balance in every transfer stays active", async () => {
    const tables = yearTables();
    const root = await writeExport(tables, {dt: "2026-01-30"});
    await writeTableFile(root, "contracts_balances", [{...tables.contracts_balances![0]!, updated_at: "2026-01-31T05:00:00Z"}], {dt: "2026-01-31"});
    const {manifest, pacing} = await snap(root, "2026-02-01");
    assert.deepEqual(pacing.map((p) => p.balance_id), ["bal_1"]);
    assert.deepEqual(manifest.findings, []);
  });
});

describe("contract_archived", () => {
  it("the balances of a contract archived before as_of leave pacing and are listed", async () => {
    const tables = yearTables();
    tables.contracts_contracts![0]!.archived_at = "2026-01-20T10:00:00Z";
    const {manifest, pacing} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(pacing, []);
    assert.deepEqual(of(manifest, "contract_archived"), [["contracts_contracts", 1, ["balance_id=bal_1"], ["contract_id=con_1, 1 active segment left out of pacing"]]]);
  });

  it("a contract archived after as_of still paces", async () => {
    const tables = yearTables();
    tables.contracts_contracts![0]!.archived_at = "2026-03-01T00:00:00Z";
    const {manifest, pacing} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.equal(pacing.length, 1);
    assert.deepEqual(of(manifest, "contract_archived"), []);
  });
});

describe("balance_differs_from_metronome", () => {
  // minimalExport: 36500 committed, 250 burned on Jan 1 and 2; Meterbook's remaining before the 2026-02-01 transfer
  // is 36000.
  const withBalance = (balance: number | string) => {
    const tables = minimalExport();
    tables.contracts_balances![0]!.balance = balance;
    return tables;
  };

  it("Metronome's balance 35990 against Meterbook's 36000: listed with both and the difference", async () => {
    const {manifest} = await snap(await writeExport(withBalance(35990), {dt: "2026-02-01"}), "2026-02-01");
    assert.deepEqual(of(manifest, "balance_differs_from_metronome"), [["contracts_balances", 1, ["balance_id=bal_1"], ["on 2026-02-01: Metronome 35990, Meterbook 36000, difference 10 USD (cents)"]]]);
  });

  it("within one minor unit is no finding (fractional balances)", async () => {
    const {manifest} = await snap(await writeExport(withBalance("35999.2"), {dt: "2026-02-01"}), "2026-02-01");
    assert.deepEqual(of(manifest, "balance_differs_from_metronome"), []);
  });

  it("compares at the balance's transfer date, not as_of: burn after the transfer is not a difference", async () => {
    // Transfer on 2026-01-02: only Jan 1's 250 is before it, so Metronome's 36250 agrees although as_of is later.
    const {manifest} = await snap(await writeExport(withBalance(36250), {dt: "2026-01-02"}), "2026-02-01");
    assert.deepEqual(of(manifest, "balance_differs_from_metronome"), []);
  });
});

describe("draft_invoice_past_end", () => {
  const draft = (end: string): Row => ({
    environment_type: "PRODUCTION", updated_at: "2026-01-30T03:00:00Z", id: "inv_open", snapshot_time: "2026-01-30T00:00:00Z", status: "DRAFT",
    total: 0, credit_type_id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2", customer_id: "cus_1", start_timestamp: "2026-01-01T00:00:00Z", end_timestamp: end
  });

  it("a draft whose period ended 2026-01-20, with no finalized invoice by as_of 2026-02-01, is listed", async () => {
    const {manifest} = await snap(await writeExport(yearTables({draft_invoice: [draft("2026-01-20T00:00:00Z")]}), {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "draft_invoice_past_end"), [["draft_invoice", 1, ["invoice_id=inv_open"], ["period ended 2026-01-20, latest draft snapshot 2026-01-30"]]]);
  });

  it("a draft whose period ends the day before as_of is not yet late", async () => {
    const {manifest} = await snap(await writeExport(yearTables({draft_invoice: [draft("2026-01-31T00:00:00Z")]}), {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "draft_invoice_past_end"), []);
  });
});

describe("stale_table", () => {
  it("contracts_balances delivered last on 2026-01-28 while the export reaches 2026-01-31 is behind", async () => {
    const tables = yearTables();
    const {contracts_balances: balances, ...rest} = tables;
    const root = await writeExport(rest, {dt: "2026-01-31"});
    await writeTableFile(root, "contracts_balances", balances!, {dt: "2026-01-28"});
    const {manifest} = await snap(root, "2026-02-01");
    assert.deepEqual(of(manifest, "stale_table"), [["contracts_balances", 1, ["table=contracts_balances"], ["newest transfer 2026-01-28, the export's newest 2026-01-31, documented every 24 h"]]]);
  });

  it("a daily table one day behind is not late, nor is an incremental table last changed long ago", async () => {
    const tables = yearTables();
    const {contracts_balances: balances, customer, ...rest} = tables;
    const root = await writeExport(rest, {dt: "2026-01-31"});
    await writeTableFile(root, "contracts_balances", balances!, {dt: "2026-01-30"});
    await writeTableFile(root, "customer", customer!, {dt: "2025-06-01"});
    const {manifest} = await snap(root, "2026-02-01");
    assert.deepEqual(of(manifest, "stale_table"), []);
  });
});

describe("backdated_usage", () => {
  // One draft invoice, two daily breakdown snapshots: on 2026-01-30 (Jan 28 and 29 reported, 100 each) and on
  // 2026-01-31 (Jan 29 now 250: 150 backdated into it; Jan 30, the day in progress at the first snapshot, is new).
  const backdated = () =>
    paceTables({
      segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}],
      burns: [
        {date: "2026-01-28", total: 100, segment: "seg_1", draftSnapshot: "2026-01-30"},
        {date: "2026-01-29", total: 100, segment: "seg_1", draftSnapshot: "2026-01-30"},
        {date: "2026-01-28", total: 100, segment: "seg_1", draftSnapshot: "2026-01-31"},
        {date: "2026-01-29", total: 250, segment: "seg_1", draftSnapshot: "2026-01-31"},
        {date: "2026-01-30", total: 100, segment: "seg_1", draftSnapshot: "2026-01-31"}
      ]
    });

  it("a reported day whose amount changed in the snapshot of the last 48 hours is listed with both amounts, as info", async () => {
    const {manifest} = await snap(await writeExport(backdated(), {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "backdated_usage"), [
      ["breakdowns_draft_line_items", 1, ["invoice_id=inv_draft, product_id=prod_1, commit_id=bal_1, commit_segment_id=seg_1, date=2026-01-29"], ["snapshot 2026-01-30 00:00 100, snapshot 2026-01-31 00:00 250, change 150 USD (cents)"]]
    ]);
    assert.equal(manifest.findings.find((f) => f.check === "backdated_usage")!.severity, "info");
  });

  it("the same change more than 48 hours before as_of is no finding", async () => {
    const {manifest} = await snap(await writeExport(backdated(), {dt: "2026-01-31"}), "2026-02-03");
    assert.deepEqual(of(manifest, "backdated_usage"), []);
  });

  it("days that only grow while in progress, or appear as new days, are no finding", async () => {
    const tables = backdated();
    tables.breakdowns_draft_line_items!.find((l) => l.total === 250)!.total = 100;
    const {manifest} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    assert.deepEqual(of(manifest, "backdated_usage"), []);
  });
});

describe("duplicate_deliveries", () => {
  it("a customer delivered twice is resolved and counted, as info", async () => {
    const tables = yearTables();
    const root = await writeExport(tables, {dt: "2026-01-30"});
    await writeTableFile(root, "customer", tables.customer!, {dt: "2026-01-31"});
    const {manifest} = await snap(root, "2026-02-01");
    const [finding] = manifest.findings.filter((f) => f.check === "duplicate_deliveries");
    assert.deepEqual([finding!.table, finding!.rows, finding!.severity], ["customer", 1, "info"]);
  });

  it("duplicateDeliveries(counts): none for the daily contracts snapshots, whose repeats are the next day's versions", () => {
    const counts = (dropped: number) => ({files: 3, rows_in: 3, rows_other_environment: 0, duplicates_dropped: dropped, rows_out: 3 - dropped});
    assert.deepEqual(duplicateDeliveries({contracts_balances: counts(2), contracts_contracts: counts(2), invoice: counts(0)}), []);
    assert.deepEqual(duplicateDeliveries({line_item: counts(2)}).map((o) => [o.check, o.table, o.rows]), [["duplicate_deliveries", "line_item", 2]]);
  });
});

describe("the findings mart and log", () => {
  it("one row per check and table with severity, column, count, example keys, customers, details, meaning and action", async () => {
    const tables = yearTables();
    tables.line_item![0]!.total = 300;
    const {findings, log} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    const check = FINDING_CHECKS.find((c) => c.id === "breakdowns_disagree_with_invoice")!;
    assert.deepEqual(findings, [{
      check_id: "breakdowns_disagree_with_invoice", severity: "warning", table_name: "breakdowns_line_items", column_name: "total", finding_count: 1,
      example_keys: ["invoice_id=inv_2026-01, product_id=prod_1"], example_customer_ids: ["cus_1"], example_details: ["breakdowns 500, invoice 300, difference 200 USD (cents)"],
      summary: "1 finalized invoice line whose daily breakdowns do not sum to the invoice, e.g. invoice_id=inv_2026-01, product_id=prod_1: breakdowns 500, invoice 300, difference 200 USD (cents)",
      meaning: check.meaning, action: check.action
    }]);
    assert.deepEqual(log.filter((l) => l.includes("breakdowns_disagree") && !l.startsWith("snapshot: finding check ")), [`snapshot: warning: breakdowns_disagree_with_invoice [breakdowns_line_items.total]: ${findings[0]!.summary}`]);
  });

  it("findingLine(finding): severity, check, table and column, message", () => {
    const f: Finding = {check: "stale_table", severity: "warning", table: "draft_invoice", column: null, rows: 1, examples: [], message: "1 daily table behind", meaning: "", action: ""};
    assert.equal(findingLine(f), "warning: stale_table [draft_invoice]: 1 daily table behind");
  });

  it("keeps at most 20 example keys, in key order, and counts them all", async () => {
    const tables = paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: Array.from({length: 25}, (_, i) => ({date: `2026-01-${String(i + 1).padStart(2, "0")}`, total: 1, commit: "bal_gone"}))});
    const {manifest} = await snap(await writeExport(tables, {dt: "2026-01-31"}), "2026-02-01");
    const [finding] = manifest.findings.filter((f) => f.check === "unattributed_burn");
    assert.equal(finding!.rows, 25);
    assert.equal(finding!.examples.length, 20);
    assert.deepEqual(finding!.examples.slice(0, 2), ["id=bl_1, date=2026-01-01", "id=bl_10, date=2026-01-10"]);
  });

  it("every check in the catalog is in docs/data-health.md with its severity", () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "docs", "data-health.md"), "utf8");
    for (const c of FINDING_CHECKS) assert.match(doc, new RegExp(`\\| \`${c.id}\` \\| ${c.severity} \\|`), c.id);
  });
});

describe("snapshot({strict})", () => {
  const asError = FINDING_CHECKS.map((c) => (c.id === "unattributed_burn" ? {...c, severity: "error" as const} : c));
  const unattributed = () => paceTables({segments: [{id: "seg_1", start: "2026-01-01", end: "2027-01-01", amount: 36500}], burns: [{date: "2026-01-01", total: 250}, {date: "2026-01-02", total: 40, commit: "bal_gone"}]});

  it("warnings do not fail a strict snapshot", async () => {
    const {manifest} = await snap(await writeExport(unattributed(), {dt: "2026-01-31"}), "2026-02-01", {strict: true});
    assert.equal(manifest.findings[0]!.severity, "warning");
  });

  it("an error-level finding fails it with one clear message, and the previous snapshot stays as it was", async () => {
    const out = (await snap(await writeExport(yearTables(), {dt: "2026-01-31"}), "2026-02-01")).out;
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    await assert.rejects(
      snap(await writeExport(unattributed(), {dt: "2026-01-31"}), "2026-02-01", {out, strict: true, findingChecks: asError}),
      (e: unknown) => e instanceof InputError && /^--strict: 1 error-level finding \(unattributed_burn\); nothing written/.test(e.message)
    );
    assert.equal(readFileSync(join(out, "manifest.json"), "utf8"), before);
  });

  it("without strict, the same error-level finding is written and the snapshot succeeds", async () => {
    const {manifest, findings} = await snap(await writeExport(unattributed(), {dt: "2026-01-31"}), "2026-02-01", {findingChecks: asError});
    assert.deepEqual([manifest.findings[0]!.severity, findings[0]!.severity], ["error", "error"]);
  });
});
