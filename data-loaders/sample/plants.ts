// Planted facts (docs/sample-data.md, "Planted findings"): the messy-but-true situations of real exports that
// Meterbook reports as findings (docs/data-health.md) instead of failing. Each is placed on a seeded customer that no
// scenario uses, chosen by a fixed rule over the model, so the scenario customers' figures do not move. The full
// variant only; the guide variant has none.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Batch} from "../sources/export/layout.js";
import {DAY_MS} from "../lib/dates.js";
import {sqlString} from "../lib/duckdb.js";
import type {Balance, Contract, Customer, Model} from "./model.js";
import {uuidFor} from "./random.js";

export interface Plants {
  /** A contract archived the evening before the third-last contracts snapshot (the snapshots from then on show it archived), with a commit active on as-of. */
  archived?: {customerId: string; contractId: string; balanceId: string; archivedMs: number};
  /** A commit listed in every contracts_balances transfer but the latest (removed in Metronome). */
  absent?: {customerId: string; balanceId: string};
  /** A commit segment whose access starts at 08:00 UTC instead of midnight (a contract set up in local time). */
  offMidnight?: {customerId: string; balanceId: string; segmentId: string; startMs: number};
  /** Usage backdated after an invoice was finalized: one product's breakdown on one day is delivered doubled. */
  backdated?: {customerId: string; invoiceId: string; day: number};
  /** A draft invoice for the month before the open one, never finalized (held for review), with no lines. */
  heldDraft?: {customerId: string; invoiceId: string; start: number; end: number};
}

/** Hour (UTC) at which the off-midnight segment starts. */
export const OFF_MIDNIGHT_HOUR = 8;

function activeCommit(customer: Customer, asOf: number): {contract: Contract; balance: Balance} | null {
  for (const contract of customer.contracts) {
    for (const balance of contract.balances) {
      if (balance.type === "prepaid" && balance.segments.some((s) => s.start <= asOf && asOf < s.end)) return {contract, balance};
    }
  }
  return null;
}

/**
 * The customers carrying the planted facts: seeded production customers in model order, the first three with a
 * prepaid commit active on as-of for the contract facts, then the first two without a commit (so no pacing moves)
 * for the invoice facts. A fact whose customer the sample's size does not provide is not planted.
 */
export function choosePlants(model: Model): Plants {
  if (model.options.variant !== "full" || model.options.dense) return {};
  const {seed, asOfDay, openMonth} = model.options;
  const seeded = model.customers.filter((c) => c.env === "PRODUCTION" && c.scenario === null);
  const withCommit = seeded.filter((c) => activeCommit(c, asOfDay) !== null);
  const incomplete = new Set(model.incompletes.map((x) => x.cidx));
  const payg = seeded.filter((c) => c.contracts.every((k) => k.balances.length === 0) && !incomplete.has(c.cidx));
  const plants: Plants = {};

  const [a, b, c] = withCommit;
  if (a) {
    const {contract, balance} = activeCommit(a, asOfDay)!;
    plants.archived = {customerId: a.id, contractId: contract.id, balanceId: balance.id, archivedMs: (asOfDay - 3) * DAY_MS - 6 * 3_600_000};
  }
  if (b) plants.absent = {customerId: b.id, balanceId: activeCommit(b, asOfDay)!.balance.id};
  if (c) {
    const {balance} = activeCommit(c, asOfDay)!;
    const segment = balance.segments.find((s) => s.start <= asOfDay && asOfDay < s.end)!;
    plants.offMidnight = {customerId: c.id, balanceId: balance.id, segmentId: segment.id, startMs: segment.start * DAY_MS + OFF_MIDNIGHT_HOUR * 3_600_000};
  }

  const [d, e] = payg;
  const lastClosed = d && model.invoices.find((i) => i.cidx === d.cidx && i.monthEnd === openMonth && i.versions.length === 1);
  if (d && lastClosed) plants.backdated = {customerId: d.id, invoiceId: lastClosed.id, day: openMonth - 3};
  const draft = e && model.drafts.find((x) => x.cidx === e.cidx);
  if (e && draft) {
    const start = model.invoices.find((i) => i.cidx === e.cidx && i.monthEnd === openMonth)?.monthStart ?? openMonth - 30;
    plants.heldDraft = {customerId: e.id, invoiceId: uuidFor(seed, "planted", "held-draft", e.id), start, end: openMonth};
  }
  return plants;
}

/** The planted breakdown line: its daily breakdown, product, quantity and amount (millionths), read from the pipeline. */
interface BackdatedLine {
  breakdownId: string;
  productId: string;
  qty: string;
  micro: string;
}

async function backdatedLine(connection: DuckDBConnection, p: NonNullable<Plants["backdated"]>): Promise<BackdatedLine | null> {
  const result = await connection.runAndReadAll(`
    select bi.id::varchar, p.id::varchar, b.qty::varchar, (b.qty * b.price_micro)::decimal(38, 0)::varchar
    from fin_bli b join fin_bi bi on bi.iidx = b.iidx and bi.dn = b.dn join p_invoice i on i.iidx = b.iidx
    join p_customer c on c.cidx = b.cidx join p_product p on p.env = c.env and p.pidx = b.pidx
    where i.id = ${sqlString(p.invoiceId)} and b.dn = ${p.day} and b.sidx is null
    order by p.id limit 1`);
  const [row] = result.getRows();
  return row ? {breakdownId: String(row[0]), productId: String(row[1]), qty: String(row[2]), micro: String(row[3])} : null;
}

const money = (micro: string) => `(${micro}::decimal(38, 0) * 0.000001)::decimal(38, 9)`;

/**
 * The invoice-side plants, as rewrites of the batches' queries (the contract-side ones are in contracts.ts). Each
 * rewrite is a projection over the original query, which keeps its row order; the held draft's rows are batches of
 * their own, after all the others (so the seeded re-deliveries of the existing files do not move).
 */
export async function plantBatches(connection: DuckDBConnection, batches: Batch[], plants: Plants): Promise<Batch[]> {
  const out = [...batches];
  const line = plants.backdated ? await backdatedLine(connection, plants.backdated) : null;
  if (line) {
    // Usage backdated after finalization doubles the line's day: the breakdown line and its day's breakdown total grow
    // by the line's amount; the finalized invoice's line item does not.
    const isLine = `invoice_breakdown_id = ${sqlString(line.breakdownId)} and product_id = ${sqlString(line.productId)}`;
    out.forEach((batch, i) => {
      if (batch.table === "breakdowns_line_items") {
        out[i] = {...batch, query: (t) => `select * replace (
          case when ${isLine} then (total + ${money(line.micro)})::decimal(38, 9) else total end as total,
          case when ${isLine} then (quantity + ${line.qty}::decimal(38, 9))::decimal(38, 9) else quantity end as quantity
        ) from (${batch.query(t)})`};
      } else if (batch.table === "breakdowns_invoices") {
        out[i] = {...batch, query: (t) => `select * replace (
          case when id = ${sqlString(line.breakdownId)} then (total + ${money(line.micro)})::decimal(38, 9) else total end as total
        ) from (${batch.query(t)})`};
      }
    });
  }
  const held = plants.heldDraft;
  if (held) {
    for (const batch of batches.filter((b) => b.table === "draft_invoice")) {
      out.push({...batch, query: (t) => `select * replace (
        ${sqlString(held.invoiceId)} as id,
        md5(${sqlString(held.invoiceId)} || snapshot_time::varchar)::uuid::varchar as _metronome_metadata_id,
        (total * 0)::decimal(38, 9) as total,
        to_timestamp(${held.start}::bigint * 86400) as start_timestamp,
        to_timestamp(${held.end}::bigint * 86400) as end_timestamp
      ) from (${batch.query(t)}) where customer_id = ${sqlString(held.customerId)}`});
    }
  }
  return out;
}
