// Snapshot tables: contracts_contracts and contracts_balances, a full copy of the day's contracts and balances in every
// daily partition of the history before as-of (a contract or commit signed later is absent before it exists). Balances
// carry the JSON schedules and a ledger as known that day, and `balance` = what the active segment had left after the
// days before it: finalized invoices plus the month-to-date usage (negative in the negative-balance scenario).
import type {DuckDBConnection} from "@duckdb/node-api";
import {DAY_MS, isoMidnight, isoTime} from "../lib/dates.js";
import {loadTable, type AppendType} from "../lib/duckdb.js";
import {projection, type Batch, type Cell} from "../sources/export/layout.js";
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
  /** Draws per segment and usage day before the open month. */
  daily: Array<{sidx: number; day: number; micro: bigint}>;
}

/** Cumulative draws of each segment before each day (prefix sums of the daily draws): drawnBefore(sidx, day). */
function cumulativeDraws(daily: Draws["daily"]): (sidx: number, day: number) => bigint {
  const bySegment = new Map<number, {days: number[]; cum: bigint[]}>();
  for (const d of daily) {
    let s = bySegment.get(d.sidx);
    if (!s) bySegment.set(d.sidx, (s = {days: [], cum: []}));
    s.days.push(d.day);
    s.cum.push((s.cum[s.cum.length - 1] ?? 0n) + d.micro);
  }
  return (sidx, day) => {
    const s = bySegment.get(sidx);
    if (!s) return 0n;
    // Last index with days[i] < day (days ascending).
    let lo = 0;
    let hi = s.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.days[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0n : s.cum[lo - 1]!;
  };
}

/** A JSON object with some members already serialized (exact decimal amounts must not pass through a float). */
function jsonObject(members: Array<[string, unknown] | [string, {raw: string}]>): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v !== null && typeof v === "object" && "raw" in v ? v.raw : JSON.stringify(v)}`).join(",")}}`;
}

/**
 * A daily snapshot table's batches, written by one partitioned COPY (generate.ts): `all` selects every partition's
 * rows with their day in `_dt`, in file order. Hundreds of small files cost ~30 ms each as separate COPYs.
 */
export interface SnapshotBatch extends Batch {
  partitioned: {all: string; rows: number};
}

const CONTRACT_STATIC: Array<[string, AppendType]> = [["cix", "INTEGER"], ["id", "VARCHAR"], ["name", "VARCHAR"], ["customer_id", "VARCHAR"], ["rate_card_id", "VARCHAR"],
  ["starting_at", "VARCHAR"], ["ending_before", "VARCHAR"], ["archived_ms", "BIGINT"], ["archived_at", "VARCHAR"], ["net_payment_terms_days", "INTEGER"], ["created_at", "VARCHAR"],
  ["created_by", "VARCHAR"], ["environment_type", "VARCHAR"]];
const BALANCE_STATIC: Array<[string, AppendType]> = [["bix", "INTEGER"], ["id", "VARCHAR"], ["customer_id", "VARCHAR"], ["contract_id", "VARCHAR"], ["type", "VARCHAR"],
  ["name", "VARCHAR"], ["priority", "DOUBLE"], ["description", "VARCHAR"], ["product_id", "VARCHAR"], ["access_schedule", "VARCHAR"], ["invoice_schedule", "VARCHAR"],
  ["rate_type", "VARCHAR"], ["applicable_contract_ids", "VARCHAR"], ["invoice_contract_id", "VARCHAR"], ["cost_basis", "DOUBLE"], ["environment_type", "VARCHAR"]];

export async function contractBatches(connection: DuckDBConnection, model: Model, draws: Draws, plants: Plants = {}): Promise<Batch[]> {
  const {seed} = model.options;
  const segments = indexSegments(model);
  const sidxOf = new Map(segments.map((s) => [s.segment.id, s.sidx]));
  const finalizedBySegment = new Map<number, Array<{iidx: number; micro: bigint}>>();
  for (const d of draws.finalized) finalizedBySegment.set(d.sidx, [...(finalizedBySegment.get(d.sidx) ?? []), d]);
  const draftBySegment = new Map(draws.drafts.map((d) => [`${d.sidx}:${d.snapshot}`, d.micro]));
  const drawnBefore = cumulativeDraws(draws.daily);

  // What does not change from day to day is staged once per contract / balance; each day's rows name it by index.
  const contractStatic: Cell[][] = [];
  const balanceStatic: Cell[][] = [];
  const contractsOf: Array<{customerMs: number; contractMs: number; cix: number; balances: Array<{bix: number; balance: Balance; ledger: LedgerEntries}>}> = [];
  for (const customer of model.customers) {
    const owner = customer.versions[0]!.segment;
    for (const contract of customer.contracts) {
      const cix = contractStatic.length;
      const archivedMs = plants.archived?.contractId === contract.id ? plants.archived.archivedMs : null;
      contractStatic.push([cix, contract.id, contract.name, customer.id, uuidFor(seed, customer.env, "rate-card", customer.currency.id), isoMidnight(contract.start),
        isoMidnight(contract.end), archivedMs, archivedMs === null ? null : isoTime(archivedMs), owner === "enterprise" ? 45 : 30, isoTime(contract.createdMs),
        customer.salesforceId ? "Salesforce sync" : "billing-ops@cirrusforge.example", customer.env]);
      const balances = contract.balances.map((balance) => {
        const bix = balanceStatic.length;
        balanceStatic.push([bix, balance.id, customer.id, contract.id, balance.type, balance.name, balance.priority, balance.description, balance.productId,
          jsonObject([
            ["credit_type_id", customer.currency.id],
            ["credit_type_name", customer.currency.name],
            ["schedule_items", balance.segments.map((s) => ({id: s.id, date: plants.offMidnight?.segmentId === s.id ? isoTime(plants.offMidnight.startMs) : isoMidnight(s.start), end_date: isoMidnight(s.end), amount: s.amount}))]
          ]),
          balance.invoiceSchedule === null ? null : jsonObject([
            ["credit_type_id", customer.currency.id],
            ["credit_type_name", customer.currency.name],
            ["do_not_invoice", false],
            // Commit-purchase (CONTRACT_SCHEDULED) invoices are in the guide variant only; the full one has no invoice ids.
            ["schedule_items", balance.invoiceSchedule.map((i) => ({id: i.id, date: isoMidnight(i.date), amount: i.amount, invoice_id: i.invoiceId ?? null}))],
            ["recurring_schedule", null]
          ]),
          balance.rateType, JSON.stringify([contract.id]), balance.invoiceSchedule && balance.invoiceSchedule.length > 0 ? contract.id : null, balance.costBasis, customer.env]);
        return {bix, balance, ledger: ledgerEntries(model, balance, sidxOf, finalizedBySegment)};
      });
      contractsOf.push({customerMs: customer.createdMs, contractMs: contract.createdMs, cix, balances});
    }
  }

  const lastExport = model.exportDays[model.exportDays.length - 1];
  const days: Cell[][] = [];
  const contractDays: Cell[][] = [];
  const balanceDays: Cell[][] = [];
  const ledgers: Cell[][] = [];
  const ledgerKeys = new Map<string, number>();
  const rowsPerDay = {contracts: new Map<number, number>(), balances: new Map<number, number>()};
  for (const day of model.exportDays) {
    const contractsAt = exportTime("contracts_contracts", day);
    const balancesAt = exportTime("contracts_balances", day);
    days.push([day, contractsAt, balancesAt, uuidFor(seed, "snapshot", "contracts_contracts", day), uuidFor(seed, "snapshot", "contracts_balances", day), isoTime(contractsAt), isoTime(balancesAt)]);
    let nc = 0;
    let nb = 0;
    for (const c of contractsOf) {
      if (c.customerMs > contractsAt || c.contractMs > contractsAt) continue;
      contractDays.push([day, c.cix, contractDays.length]);
      nc++;
      for (const {bix, balance, ledger} of c.balances) {
        if (plants.absent?.balanceId === balance.id && day === lastExport) continue;
        const known = ledger.entries.filter((e) => e.knownMs <= balancesAt).length;
        const key = `${bix}:${known}`;
        let lid = ledgerKeys.get(key);
        if (lid === undefined) {
          ledgerKeys.set(key, (lid = ledgers.length));
          const included = ledger.entries.filter((e) => e.knownMs <= balancesAt);
          // Stable sort: a month's deduction stays ahead of an expiration on the same day.
          included.sort((a, b) => a.at - b.at);
          ledgers.push([lid, `[${included.map((e) => e.json).join(",")}]`]);
        }
        const remaining = remainingAt(model, balance, day, balancesAt, sidxOf, finalizedBySegment, draftBySegment, drawnBefore);
        balanceDays.push([day, bix, lid, microToDecimal(remaining), balanceDays.length]);
        nb++;
      }
    }
    if (nc > 0) rowsPerDay.contracts.set(day, nc);
    if (nb > 0) rowsPerDay.balances.set(day, nb);
  }

  await loadTable(connection, "c_day", [["day", "INTEGER"], ["contracts_ms", "BIGINT"], ["balances_ms", "BIGINT"], ["contracts_snapshot", "VARCHAR"], ["balances_snapshot", "VARCHAR"],
    ["contracts_at", "VARCHAR"], ["balances_at", "VARCHAR"]], days);
  await loadTable(connection, "c_contract", CONTRACT_STATIC, contractStatic);
  await loadTable(connection, "c_balance", BALANCE_STATIC, balanceStatic);
  await loadTable(connection, "c_contract_day", [["day", "INTEGER"], ["cix", "INTEGER"], ["ord", "INTEGER"]], contractDays);
  await loadTable(connection, "c_balance_day", [["day", "INTEGER"], ["bix", "INTEGER"], ["lid", "INTEGER"], ["balance", "VARCHAR"], ["ord", "INTEGER"]], balanceDays);
  await loadTable(connection, "c_ledger", [["lid", "INTEGER"], ["ledger", "VARCHAR"]], ledgers);

  const contractSelect = projection("contracts_contracts", {
    id: "c.id", snapshot_id: "d.contracts_snapshot", name: "c.name", customer_id: "c.customer_id", rate_card_id: "c.rate_card_id",
    starting_at: "c.starting_at", ending_before: "c.ending_before", archived_at: "case when c.archived_ms <= d.contracts_ms then c.archived_at end",
    multiplier_override_prioritization: "'LOWEST_MULTIPLIER'", net_payment_terms_days: "c.net_payment_terms_days", usage_statement_schedule_frequency: "'monthly'",
    metadata: "'{}'", created_at: "c.created_at", created_by: "c.created_by", updated_at: "d.contracts_at", environment_type: "c.environment_type"
  });
  const contractFrom = "from c_contract_day x join c_day d on d.day = x.day join c_contract c on c.cix = x.cix";
  const balanceSelect = projection("contracts_balances", {
    id: "b.id", snapshot_id: "d.balances_snapshot", customer_id: "b.customer_id", contract_id: "b.contract_id", type: "b.type", name: "b.name",
    priority: "b.priority", description: "b.description", product_id: "b.product_id", access_schedule: "b.access_schedule", invoice_schedule: "b.invoice_schedule",
    rate_type: "b.rate_type", applicable_contract_ids: "b.applicable_contract_ids", invoice_contract_id: "b.invoice_contract_id", ledger: "l.ledger",
    metadata: "'{}'", balance: "x.balance", cost_basis: "b.cost_basis", updated_at: "d.balances_at", environment_type: "b.environment_type"
  });
  const balanceFrom = "from c_balance_day x join c_day d on d.day = x.day join c_balance b on b.bix = x.bix join c_ledger l on l.lid = x.lid";
  const batches = (table: string, select: string, from: string, perDay: Map<number, number>): SnapshotBatch[] =>
    [...perDay].map(([day, rows]) => ({
      table,
      dt: day,
      stampMs: exportTime(table, day),
      query: () => `select ${select} ${from} where x.day = ${day} order by x.ord`,
      partitioned: {all: `select ${select}, x.day as _dt ${from} order by x.ord`, rows}
    }));
  return [...batches("contracts_contracts", contractSelect, contractFrom, rowsPerDay.contracts), ...batches("contracts_balances", balanceSelect, balanceFrom, rowsPerDay.balances)];
}

interface LedgerEntries {
  /** In the order Metronome lists them before the sort by date: per segment, start, deductions, expiration. */
  entries: Array<{at: number; knownMs: number; json: string}>;
}

/**
 * Every ledger entry a balance will ever have (lowercase export entry types), with the time it becomes known: a
 * segment's start when it starts, a deduction when its invoice is finalized, an expiration when the segment ends.
 * Deductions are monthly, dated at the end of the invoice's service period, like Metronome's; the month-to-date
 * draw reduces the remaining balance but is not a ledger entry yet. The ledger of a day is the entries known at its
 * export time.
 */
function ledgerEntries(model: Model, balance: Balance, sidxOf: Map<string, number>, finalizedBySegment: Map<number, Array<{iidx: number; micro: bigint}>>): LedgerEntries {
  const prefix = balance.type;
  const entries: LedgerEntries["entries"] = [];
  balance.segments.forEach((segment, n) => {
    const startMs = segment.start * DAY_MS;
    const amount = BigInt(segment.amount) * 1_000_000n;
    if (prefix === "postpaid") {
      if (n === 0) entries.push({at: segment.start, knownMs: startMs, json: jsonObject([["type", "postpaid_initial_balance"], ["timestamp", isoMidnight(segment.start)], ["amount", {raw: microToDecimal(amount)}]])});
    } else {
      entries.push({at: segment.start, knownMs: startMs, json: jsonObject([["type", `${prefix}_segment_start`], ["timestamp", isoMidnight(segment.start)], ["amount", {raw: microToDecimal(amount)}], ["segment_id", segment.id]])});
    }
    const sidx = sidxOf.get(segment.id)!;
    const expiresMs = exportTime("contracts_balances", segment.end);
    let drawn = 0n;
    for (const draw of finalizedBySegment.get(sidx) ?? []) {
      const invoice = model.invoices[draw.iidx]!;
      if (invoice.finalizedMs <= expiresMs) drawn += draw.micro;
      const members: Array<[string, unknown] | [string, {raw: string}]> = [["type", `${prefix}_automated_invoice_deduction`], ["timestamp", isoMidnight(invoice.monthEnd)], ["amount", {raw: microToDecimal(-draw.micro)}]];
      if (prefix !== "postpaid") members.push(["segment_id", segment.id]);
      members.push(["invoice_id", invoice.id]);
      entries.push({at: invoice.monthEnd, knownMs: Math.max(startMs, invoice.finalizedMs), json: jsonObject(members)});
    }
    const left = amount - drawn;
    if (prefix !== "postpaid" && left > 0n) {
      // Known on the first snapshot day on or after the end (segment.end <= day).
      entries.push({at: segment.end, knownMs: segment.end * DAY_MS, json: jsonObject([["type", `${prefix}_segment_expiration`], ["timestamp", isoMidnight(segment.end)], ["amount", {raw: microToDecimal(-left)}], ["segment_id", segment.id]])});
    }
  });
  return {entries};
}

/**
 * What the balance's active segments have left at `atMs` on `day`, after the usage of the days before it: finalized
 * invoices and that day's month-to-date draft in the open month; every draw before the day earlier (finalized months
 * plus the month so far). Expired and future segments count 0.
 */
function remainingAt(
  model: Model,
  balance: Balance,
  day: number,
  atMs: number,
  sidxOf: Map<string, number>,
  finalizedBySegment: Map<number, Array<{iidx: number; micro: bigint}>>,
  draftBySegment: Map<string, bigint>,
  drawnBefore: (sidx: number, day: number) => bigint
): bigint {
  let remaining = 0n;
  for (const segment of balance.segments) {
    if (segment.start * DAY_MS > atMs || segment.end <= day) continue;
    const amount = BigInt(segment.amount) * 1_000_000n;
    const sidx = sidxOf.get(segment.id)!;
    if (day > model.options.openMonth) {
      let drawn = 0n;
      for (const draw of finalizedBySegment.get(sidx) ?? []) if (model.invoices[draw.iidx]!.finalizedMs <= atMs) drawn += draw.micro;
      remaining += amount - drawn - (draftBySegment.get(`${sidx}:${day}`) ?? 0n);
    } else {
      remaining += amount - drawnBefore(sidx, day);
    }
  }
  return remaining;
}
