// Snapshot tables: contracts_contracts and contracts_balances, a full copy in each of the last three daily partitions
// before as-of. Balances carry the JSON schedules and a ledger, and `balance` = what the active segment has left after
// finalized invoices and that day's month-to-date draft (negative in the negative-balance scenario).
import type {DuckDBConnection} from "@duckdb/node-api";
import {DAY_MS, isoMidnight, isoTime} from "../lib/dates.js";
import {stagedBatches, type Batch, type StagedRow} from "../sources/export/layout.js";
import type {Balance, Model} from "./model.js";
import type {Plants} from "./plants.js";
import {indexSegments} from "./pipeline.js";
import {uuidFor} from "./random.js";
import {exportTime} from "./transfers.js";

/** Exact decimal text of an amount in millionths ("-1234.5", "24000000"): valid as a JSON number and as SQL DECIMAL. */
export function microToDecimal(micro: bigint): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const whole = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

interface Draws {
  finalized: Array<{sidx: number; iidx: number; micro: bigint}>;
  drafts: Array<{sidx: number; snapshot: number; micro: bigint}>;
}

/** A JSON object with some members already serialized (exact decimal amounts must not pass through a float). */
function jsonObject(members: Array<[string, unknown] | [string, {raw: string}]>): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v !== null && typeof v === "object" && "raw" in v ? v.raw : JSON.stringify(v)}`).join(",")}}`;
}

export async function contractBatches(connection: DuckDBConnection, model: Model, draws: Draws, plants: Plants = {}): Promise<Batch[]> {
  const {seed} = model.options;
  const segments = indexSegments(model);
  const sidxOf = new Map(segments.map((s) => [s.segment.id, s.sidx]));
  const finalizedBySegment = new Map<number, Array<{iidx: number; micro: bigint}>>();
  for (const d of draws.finalized) finalizedBySegment.set(d.sidx, [...(finalizedBySegment.get(d.sidx) ?? []), d]);
  const draftBySegment = new Map(draws.drafts.map((d) => [`${d.sidx}:${d.snapshot}`, d.micro]));

  const lastExport = model.exportDays[model.exportDays.length - 1];
  const contractRows: StagedRow[] = [];
  const balanceRows: StagedRow[] = [];
  for (const day of model.exportDays) {
    const contractsAt = exportTime("contracts_contracts", day);
    const balancesAt = exportTime("contracts_balances", day);
    const contractSnapshot = uuidFor(seed, "snapshot", "contracts_contracts", day);
    const balanceSnapshot = uuidFor(seed, "snapshot", "contracts_balances", day);
    for (const customer of model.customers) {
      if (customer.createdMs > contractsAt) continue;
      const owner = customer.versions[0]!.segment;
      for (const contract of customer.contracts) {
        if (contract.createdMs > contractsAt) continue;
        contractRows.push({dt: day, stampMs: contractsAt, values: {
          id: contract.id,
          snapshot_id: contractSnapshot,
          name: contract.name,
          customer_id: customer.id,
          package_id: null,
          rate_card_id: uuidFor(seed, customer.env, "rate-card", customer.currency.id),
          starting_at: isoMidnight(contract.start),
          ending_before: isoMidnight(contract.end),
          archived_at: plants.archived?.contractId === contract.id && plants.archived.archivedMs <= contractsAt ? isoTime(plants.archived.archivedMs) : null,
          multiplier_override_prioritization: "LOWEST_MULTIPLIER",
          net_payment_terms_days: owner === "enterprise" ? 45 : 30,
          usage_statement_schedule_frequency: "monthly",
          scheduled_charges_on_usage_invoices: null,
          metadata: "{}",
          created_at: isoTime(contract.createdMs),
          created_by: customer.salesforceId ? "Salesforce sync" : "billing-ops@cirrusforge.example",
          updated_at: isoTime(contractsAt),
          environment_type: customer.env
        }});
        for (const balance of contract.balances) {
          if (plants.absent?.balanceId === balance.id && day === lastExport) continue;
          const {ledger, remaining} = ledgerAt(model, balance, day, balancesAt, sidxOf, finalizedBySegment, draftBySegment);
          balanceRows.push({dt: day, stampMs: balancesAt, values: {
            id: balance.id,
            snapshot_id: balanceSnapshot,
            customer_id: customer.id,
            contract_id: contract.id,
            amendment_id: null,
            type: balance.type,
            name: balance.name,
            priority: balance.priority,
            description: balance.description,
            product_id: balance.productId,
            access_schedule: jsonObject([
              ["credit_type_id", customer.currency.id],
              ["credit_type_name", customer.currency.name],
              ["schedule_items", balance.segments.map((s) => ({id: s.id, date: plants.offMidnight?.segmentId === s.id ? isoTime(plants.offMidnight.startMs) : isoMidnight(s.start), end_date: isoMidnight(s.end), amount: s.amount}))]
            ]),
            invoice_schedule: balance.invoiceSchedule === null ? null : jsonObject([
              ["credit_type_id", customer.currency.id],
              ["credit_type_name", customer.currency.name],
              ["do_not_invoice", false],
              // Commit-purchase (CONTRACT_SCHEDULED) invoices are in the guide variant only; the full one has no invoice ids.
              ["schedule_items", balance.invoiceSchedule.map((i) => ({id: i.id, date: isoMidnight(i.date), amount: i.amount, invoice_id: i.invoiceId ?? null}))],
              ["recurring_schedule", null]
            ]),
            rollover_fraction: null,
            rate_type: balance.rateType,
            applicable_product_ids: null,
            applicable_product_tags: null,
            specifiers: null,
            applicable_contract_ids: JSON.stringify([contract.id]),
            invoice_contract_id: balance.invoiceSchedule && balance.invoiceSchedule.length > 0 ? contract.id : null,
            ledger,
            rolled_over_from_commit_id: null,
            rolled_over_from_contract_id: null,
            recurring_commit_id: null,
            metadata: "{}",
            balance: microToDecimal(remaining),
            cost_basis: balance.costBasis,
            updated_at: isoTime(balancesAt),
            environment_type: customer.env
          }});
        }
      }
    }
  }
  return [...(await stagedBatches(connection, "contracts_contracts", contractRows)), ...(await stagedBatches(connection, "contracts_balances", balanceRows))];
}

/**
 * The balance's ledger as known at `atMs` on `day` (lowercase export entry types), and what its active segment has
 * left. Deductions are monthly, dated at the end of the invoice's service period, like Metronome's; the month-to-date
 * draft draw reduces the remaining balance but is not a ledger entry yet.
 */
function ledgerAt(
  model: Model,
  balance: Balance,
  day: number,
  atMs: number,
  sidxOf: Map<string, number>,
  finalizedBySegment: Map<number, Array<{iidx: number; micro: bigint}>>,
  draftBySegment: Map<string, bigint>
): {ledger: string; remaining: bigint} {
  const prefix = balance.type;
  const entries: Array<{at: number; json: string}> = [];
  let remaining = 0n;
  balance.segments.forEach((segment, n) => {
    if (segment.start * DAY_MS > atMs) return; // future segments have no entries and count 0
    const amount = BigInt(segment.amount) * 1_000_000n;
    if (prefix === "postpaid") {
      if (n === 0) entries.push({at: segment.start, json: jsonObject([["type", "postpaid_initial_balance"], ["timestamp", isoMidnight(segment.start)], ["amount", {raw: microToDecimal(amount)}]])});
    } else {
      entries.push({at: segment.start, json: jsonObject([["type", `${prefix}_segment_start`], ["timestamp", isoMidnight(segment.start)], ["amount", {raw: microToDecimal(amount)}], ["segment_id", segment.id]])});
    }
    const sidx = sidxOf.get(segment.id)!;
    let drawn = 0n;
    for (const draw of finalizedBySegment.get(sidx) ?? []) {
      const invoice = model.invoices[draw.iidx]!;
      if (invoice.finalizedMs > atMs) continue;
      drawn += draw.micro;
      const members: Array<[string, unknown] | [string, {raw: string}]> = [["type", `${prefix}_automated_invoice_deduction`], ["timestamp", isoMidnight(invoice.monthEnd)], ["amount", {raw: microToDecimal(-draw.micro)}]];
      if (prefix !== "postpaid") members.push(["segment_id", segment.id]);
      members.push(["invoice_id", invoice.id]);
      entries.push({at: invoice.monthEnd, json: jsonObject(members)});
    }
    if (segment.end <= day) {
      const left = amount - drawn;
      if (prefix !== "postpaid" && left > 0n) {
        entries.push({at: segment.end, json: jsonObject([["type", `${prefix}_segment_expiration`], ["timestamp", isoMidnight(segment.end)], ["amount", {raw: microToDecimal(-left)}], ["segment_id", segment.id]])});
      }
    } else {
      remaining += amount - drawn - (draftBySegment.get(`${sidx}:${day}`) ?? 0n);
    }
  });
  // Stable sort: a month's deduction stays ahead of an expiration on the same day.
  entries.sort((a, b) => a.at - b.at);
  return {ledger: `[${entries.map((e) => e.json).join(",")}]`, remaining};
}
