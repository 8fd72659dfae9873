// What each export table's files contain: one batch per transfer, with the SELECT that produces exactly the columns of
// data-loaders/sources/export/tables.ts (the reader's contract) in its order and staging types. Columns this generator has no
// value for are written as typed NULLs, so the files always carry every column.
import type {DuckDBConnection} from "@duckdb/node-api";
import {projection, stagedBatches, type Batch, type Cell, type StagedRow} from "../sources/export/layout.js";
import {loadTable, sqlString} from "../lib/duckdb.js";
import {addMonths, DAY_MS, isoTime} from "../lib/dates.js";
import {dailyStamp, incrementalStamp} from "./layout.js";
import type {Model} from "./model.js";
import {tokenFor, uuidFor} from "./random.js";
import {EUR, USD_CENTS} from "./catalog.js";

/** Transfer timing per table (seconds into the 2 h window for incremental tables; a daily time for the others). */
const INCREMENTAL_OFFSET_S: Record<string, number> = {customer: 63, product: 71, billable_metric: 77, credit_type: 82, invoice: 95, line_item: 118};
const DAILY_TIME: Record<string, [number, number, number]> = {
  draft_invoice: [3, 21, 10],
  draft_line_item: [3, 21, 44],
  breakdowns_draft_invoices: [3, 40, 2],
  breakdowns_draft_line_items: [3, 40, 31],
  breakdowns_invoices: [4, 12, 37],
  breakdowns_line_items: [4, 13, 5],
  contracts_contracts: [5, 31, 7],
  contracts_balances: [5, 34, 51]
};

export function exportTime(table: string, day: number): number {
  const [hh, mm, ss] = DAILY_TIME[table]!;
  return dailyStamp(day, hh, mm, ss);
}

/** Largest file written: a big partition becomes several files (parts) of one transfer, as Metronome splits them,
 * which also bounds the memory each COPY's sort needs. */
export const MAX_ROWS_PER_FILE = 200_000;

/**
 * Split each partition into consecutive key ranges of at most MAX_ROWS_PER_FILE rows. `countsSql` returns
 * (partition, key, rows) ordered by partition and key; a single key larger than the limit gets a file of its own.
 */
async function chunked(connection: DuckDBConnection, countsSql: string): Promise<Array<{dt: number; lo: number; hi: number}>> {
  const result = await connection.runAndReadAll(countsSql);
  const out: Array<{dt: number; lo: number; hi: number; rows: number}> = [];
  for (const [dtValue, keyValue, rowsValue] of result.getRows()) {
    const dt = Number(dtValue);
    const key = Number(keyValue);
    const rows = Number(rowsValue);
    const last = out[out.length - 1];
    if (last && last.dt === dt && last.rows + rows <= MAX_ROWS_PER_FILE) {
      last.hi = key;
      last.rows += rows;
    } else {
      out.push({dt, lo: key, hi: key, rows});
    }
  }
  return out.map(({dt, lo, hi}) => ({dt, lo, hi}));
}

/** Row times for incremental tables: the transfer after the change, on the change's day. */
export function incremental(table: string, updatedMs: number): {dt: number; stampMs: number} {
  const stampMs = incrementalStamp(updatedMs, INCREMENTAL_OFFSET_S[table]!);
  return {dt: Math.floor(stampMs / DAY_MS), stampMs};
}

/** Catalog and customer tables (incremental): one row per version, in the partition of its updated_at day. */
export async function catalogBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed, startDay} = model.options;
  const batches: Batch[] = [];
  const at = (table: string, updatedMs: number, values: Record<string, Cell>): StagedRow => ({...incremental(table, updatedMs), values});

  // Credit types are global in Metronome (USD (cents) has the same id everywhere), so both environments deliver the
  // same ids: readers must filter environment_type before keeping the latest row per id.
  const creditTypes: StagedRow[] = [];
  for (const env of ["PRODUCTION", "SANDBOX"] as const) {
    [USD_CENTS, EUR].forEach((ct, i) => {
      const updatedMs = startDay * DAY_MS + (1 + i) * 60_000;
      creditTypes.push(at("credit_type", updatedMs, {_metronome_metadata_id: uuidFor(seed, "credit-type-row", env, ct.id), id: ct.id, name: ct.name, is_currency: true, updated_at: isoTime(updatedMs), environment_type: env}));
    });
  }
  batches.push(...(await stagedBatches(connection, "credit_type", creditTypes)));

  const metrics: StagedRow[] = [];
  for (const m of model.legacyMetrics) {
    const base = {id: m.id, name: m.name, aggregate: "SUM", aggregate_keys: JSON.stringify(["gpu_minutes"]), group_keys: "[]", created_at: isoTime(m.createdMs), environment_type: m.env};
    metrics.push(at("billable_metric", m.createdMs, {...base, archived_at: null, updated_at: isoTime(m.createdMs)}));
    metrics.push(at("billable_metric", m.archivedMs, {...base, archived_at: isoTime(m.archivedMs), updated_at: isoTime(m.archivedMs)}));
  }
  for (const p of model.products) {
    const d = p.def;
    metrics.push(at("billable_metric", p.createdMs, {
      id: p.metricId, name: d.metric, aggregate: d.aggregate, aggregate_keys: JSON.stringify(d.aggregateKey ? [d.aggregateKey] : []), group_keys: JSON.stringify(d.groupKeys),
      created_at: isoTime(p.createdMs), archived_at: null, updated_at: isoTime(p.createdMs), environment_type: p.env
    }));
  }
  batches.push(...(await stagedBatches(connection, "billable_metric", sortRows(metrics))));

  const products: StagedRow[] = [];
  for (const f of model.fixedProducts) {
    products.push(at("product", f.createdMs, {id: f.id, name: f.name, type: "FIXED", billable_metric_id: null, tags: "[]", created_at: isoTime(f.createdMs), updated_at: isoTime(f.createdMs), archived_at: null, environment_type: f.env}));
  }
  for (const p of model.products) {
    const base = {id: p.id, name: p.def.name, type: "USAGE", billable_metric_id: p.metricId, created_at: isoTime(p.createdMs), archived_at: null, environment_type: p.env};
    products.push(at("product", p.createdMs, {...base, tags: JSON.stringify(p.def.tags), updated_at: isoTime(p.createdMs)}));
    for (const u of p.updates) products.push(at("product", u.updatedMs, {...base, tags: JSON.stringify(u.tags), updated_at: isoTime(u.updatedMs)}));
  }
  batches.push(...(await stagedBatches(connection, "product", sortRows(products))));

  const customers: StagedRow[] = [];
  for (const c of model.customers) {
    for (const v of c.versions) {
      customers.push(at("customer", v.updatedMs, {
        id: c.id,
        name: v.name,
        ingest_aliases: JSON.stringify(v.aliases),
        salesforce_account_id: c.salesforceId,
        billing_provider_type: c.billingProviderType,
        billing_provider_customer_id: c.billingProviderCustomerId,
        custom_fields: JSON.stringify({owner: v.owner, segment: v.segment}),
        created_at: isoTime(c.createdMs),
        updated_at: isoTime(v.updatedMs),
        archived_at: v.archivedMs === null ? null : isoTime(v.archivedMs),
        environment_type: c.env
      }));
    }
  }
  batches.push(...(await stagedBatches(connection, "customer", sortRows(customers))));
  return batches;
}

/** Code-unit order (localeCompare would depend on the machine's locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows in transfer order, then by updated_at, then id: files list their rows deterministically. */
function sortRows(rows: StagedRow[]): StagedRow[] {
  return rows
    .map((r, i) => ({r, i}))
    .sort((a, b) => a.r.stampMs - b.r.stampMs || compare(String(a.r.values.updated_at), String(b.r.values.updated_at)) || compare(String(a.r.values.id), String(b.r.values.id)) || a.i - b.i)
    .map(({r}) => r);
}

/** Finalized invoices, their line items and their daily breakdowns (written from the pipeline's tables). */
export async function finalizedBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed, asOfDay} = model.options;
  const batches: Batch[] = [];

  // invoice: one row per version (FINALIZED, then VOID for the voided one), in the partition of its updated_at.
  const rows: Array<Array<string | number | null>> = [];
  const invoiceKeys = new Map<string, {dt: number; stampMs: number}>();
  for (const inv of model.invoices) {
    const customer = model.customers[inv.cidx]!;
    inv.versions.forEach((v) => {
      const {dt, stampMs} = incremental("invoice", v.updatedMs);
      invoiceKeys.set(`${dt}:${stampMs}`, {dt, stampMs});
      const stripe = customer.billingProviderType === "stripe";
      const paid = inv.monthEnd < asOfDay - 45;
      rows.push([
        inv.iidx, v.status, Math.floor(v.updatedMs / 1000), dt, stampMs, rows.length,
        customer.billingProviderType,
        stripe ? `in_${tokenFor(24, seed, "stripe-invoice", inv.id)}` : null,
        stripe ? Math.floor(inv.finalizedMs / 1000) + 240 : null,
        stripe ? (v.status === "VOID" ? "VOID" : paid ? "PAID" : "OPEN") : null
      ]);
    });
  }
  await loadTable(connection, "p_invoice_row", [["iidx", "INTEGER"], ["status", "VARCHAR"], ["updated_s", "BIGINT"], ["dt_dn", "INTEGER"], ["stamp_ms", "BIGINT"], ["ord", "INTEGER"],
    ["bp_type", "VARCHAR"], ["bp_invoice_id", "VARCHAR"], ["bp_created_s", "BIGINT"], ["bp_status", "VARCHAR"]], rows);
  await connection.run(`
    create or replace table fin_inv_total as
    select l.iidx, sum(case when s.sidx is null or s.commit_type = 'PostpaidCommit' then l.total_micro else 0 end)::bigint as total_micro
    from fin_li l left join p_segment s on s.sidx = l.sidx group by l.iidx`);
  const invoiceSelect = projection("invoice", {
    id: "i.id",
    status: "r.status",
    total: "money(coalesce(t.total_micro, 0))",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    customer_id: "c.id",
    contract_id: "i.contract_id",
    billing_provider_invoice_id: "r.bp_invoice_id",
    billing_provider_type: "r.bp_type",
    billing_provider_invoice_created_at: "sec_ts(r.bp_created_s)",
    billing_provider_invoice_external_status: "r.bp_status",
    invoice_label: "'CONTRACT_USAGE'",
    metadata: "'{}'",
    start_timestamp: "day_ts(i.start_dn)",
    end_timestamp: "day_ts(i.end_dn)",
    issued_at: "sec_ts(i.finalized_s)",
    updated_at: "sec_ts(r.updated_s)",
    environment_type: "c.env"
  });
  for (const {dt, stampMs} of [...invoiceKeys.values()].sort((a, b) => a.stampMs - b.stampMs)) {
    batches.push({table: "invoice", dt, stampMs, query: () => `
      select ${invoiceSelect}
      from p_invoice_row r join p_invoice i on i.iidx = r.iidx join p_customer c on c.cidx = i.cidx
      left join fin_inv_total t on t.iidx = i.iidx
      where r.dt_dn = ${dt} and r.stamp_ms = ${stampMs} order by r.ord`});
  }

  // line_item: per invoice × product × commit attribution, delivered with the invoice's first (finalized) row.
  const segmentKey = "coalesce(s.segment_id, '')";
  const lineSelect = projection("line_item", {
    id: "l.id",
    invoice_id: "i.id",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    name: "p.name",
    quantity: "l.qty",
    total: "money(l.total_micro)",
    commit_id: "s.balance_id",
    product_id: "p.id",
    unit_price: "money(l.price_micro)",
    starting_at: "day_ts(i.start_dn)",
    ending_before: "day_ts(i.end_dn)",
    line_item_type: "'ContractUsageLineItem'",
    commit_segment_id: "s.segment_id",
    updated_at: "sec_ts(i.finalized_s)",
    environment_type: "c.env"
  });
  const lineKeys = new Map<string, {dt: number; stampMs: number; boundaryS: number}>();
  for (const inv of model.invoices) {
    const {dt, stampMs} = incremental("line_item", inv.finalizedMs);
    lineKeys.set(`${dt}:${stampMs}`, {dt, stampMs, boundaryS: Math.floor(inv.finalizedMs / 7_200_000 + 1) * 7200});
  }
  for (const {dt, stampMs, boundaryS} of [...lineKeys.values()].sort((a, b) => a.stampMs - b.stampMs)) {
    batches.push({table: "line_item", dt, stampMs, query: () => `
      select ${lineSelect}
      from fin_li l join p_invoice i on i.iidx = l.iidx join p_customer c on c.cidx = i.cidx
      join p_product p on p.env = c.env and p.pidx = l.pidx left join p_segment s on s.sidx = l.sidx
      where i.dt_dn = ${dt} and (i.finalized_s // 7200 + 1) * 7200 = ${boundaryS}
      order by i.iidx, l.pidx, l.sidx nulls last`});
  }

  // Daily breakdowns, delivered incrementally as invoices finalize (the reissue's on the day it was reissued).
  const deliveryDays = [...new Set(model.invoices.map((i) => i.deliveredDay))].sort((a, b) => a - b);
  const biSelect = (transferId: string) => projection("breakdowns_invoices", {
    id: "b.id",
    snapshot_timestamp: "sec_ts(i.finalized_s)",
    invoice_id: "i.id",
    customer_id: "c.id",
    transfer_id: sqlString(transferId),
    credit_type_id: "c.ct_id",
    net_payment_term_days: "30",
    credit_type_name: "c.ct_name",
    total: "money(b.total_micro)",
    type: "'CONTRACT_USAGE'",
    contract_id: "i.contract_id",
    custom_fields: "'{}'",
    billable_status: "'BILLABLE'",
    window_size: "'DAILY'",
    issued_at: "sec_ts(i.finalized_s)",
    invoice_start_timestamp: "day_ts(i.start_dn)",
    invoice_end_timestamp: "day_ts(i.end_dn)",
    breakdown_start_timestamp: "day_ts(b.dn)",
    breakdown_end_timestamp: "day_ts(b.dn + 1)",
    updated_at: "sec_ts(i.finalized_s + 1500)",
    environment_type: "c.env"
  });
  const bliSelect = (transferId: string) => projection("breakdowns_line_items", {
    id: `uuidh(hash(${seed}, 'bli', i.id, b.dn, b.pidx, ${segmentKey}))`,
    snapshot_timestamp: "sec_ts(i.finalized_s)",
    watermark_timestamp: "sec_ts(i.finalized_s)",
    invoice_breakdown_id: "bi.id",
    name: "p.name",
    transfer_id: sqlString(transferId),
    quantity: "b.qty",
    total: "money(b.qty * b.price_micro)",
    unit_price: "money(b.price_micro)",
    product_id: "p.id",
    product_type: "'UsageProductListItem'",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    commit_id: "s.balance_id",
    commit_segment_id: "s.segment_id",
    commit_type: "s.commit_type",
    line_item_id: "li.id",
    line_item_type: "'ContractUsageLineItem'",
    billable_metric_id: "p.metric_id",
    breakdown_start_timestamp: "day_ts(b.dn)",
    breakdown_end_timestamp: "day_ts(b.dn + 1)",
    updated_at: "sec_ts(i.finalized_s + 1500)",
    environment_type: "c.env"
  });
  for (const dt of deliveryDays) {
    batches.push({table: "breakdowns_invoices", dt, stampMs: exportTime("breakdowns_invoices", dt), query: (t) => `
      select ${biSelect(t)}
      from fin_bi b join p_invoice i on i.iidx = b.iidx join p_customer c on c.cidx = i.cidx
      where b.dt_dn = ${dt} order by b.iidx, b.dn`});
  }
  for (const {dt, lo, hi} of await chunked(connection, "select dt_dn, iidx, count(*) from fin_bli group by all order by all")) {
    batches.push({table: "breakdowns_line_items", dt, stampMs: exportTime("breakdowns_line_items", dt), query: (t) => `
      select ${bliSelect(t)}
      from fin_bli b join p_invoice i on i.iidx = b.iidx join p_customer c on c.cidx = b.cidx
      join p_product p on p.env = c.env and p.pidx = b.pidx left join p_segment s on s.sidx = b.sidx
      join fin_bi bi on bi.iidx = b.iidx and bi.dn = b.dn
      join fin_li li on li.iidx = b.iidx and li.pidx = b.pidx and li.sidx is not distinct from b.sidx
      where b.dt_dn = ${dt} and b.iidx between ${lo} and ${hi} order by b.iidx, b.dn, b.pidx, b.sidx nulls last`});
  }
  return batches;
}

/** Draft tables: one month-to-date snapshot per day of the open month, each in the partition of its snapshot day. */
export async function draftBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed, openMonth} = model.options;
  const monthEnd = addMonths(openMonth, 1);
  const segmentKey = "coalesce(s.segment_id, '')";
  // When each customer's draft was computed that day: 20–50 minutes after the snapshot's midnight.
  const computed = "sec_ts(snap.snap_dn::bigint * 86400 + 1200 + hash(" + seed + ", 'draft-computed', d.cidx, snap.snap_dn) % 1800)";
  const batches: Batch[] = [];

  const invoiceSelect = projection("draft_invoice", {
    _metronome_metadata_id: `uuidh(hash(${seed}, 'draft-invoice-row', d.id, snap.snap_dn))`,
    id: "d.id",
    snapshot_time: "day_ts(snap.snap_dn)",
    status: "case when x.cidx is null then 'DRAFT' else 'DRAFT_INCOMPLETE' end",
    total: "case when x.cidx is null then money(coalesce(t.total_micro, 0)) end",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    customer_id: "c.id",
    contract_id: "d.contract_id",
    billable_status: "'BILLABLE'",
    label: "'CONTRACT_USAGE'",
    start_timestamp: `day_ts(${openMonth})`,
    end_timestamp: `day_ts(${monthEnd})`,
    updated_at: computed,
    environment_type: "c.env"
  });
  const lineSelect = projection("draft_line_item", {
    _metronome_metadata_id: `uuidh(hash(${seed}, 'draft-line-row', d.id, l.pidx, ${segmentKey}, snap.snap_dn))`,
    id: "l.id",
    snapshot_time: "day_ts(snap.snap_dn)",
    invoice_id: "d.id",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    name: "p.name",
    quantity: "l.qty",
    total: "money(l.total_micro)",
    commit_id: "s.balance_id",
    product_id: "p.id",
    unit_price: "money(l.price_micro)",
    starting_at: `day_ts(${openMonth})`,
    ending_before: `day_ts(${monthEnd})`,
    line_item_type: "'ContractUsageLineItem'",
    commit_segment_id: "s.segment_id",
    updated_at: computed,
    environment_type: "c.env"
  });
  const biSelect = (transferId: string) => projection("breakdowns_draft_invoices", {
    id: "b.id",
    snapshot_timestamp: "day_ts(snap.snap_dn)",
    invoice_id: "d.id",
    customer_id: "c.id",
    transfer_id: sqlString(transferId),
    credit_type_id: "c.ct_id",
    net_payment_term_days: "30",
    credit_type_name: "c.ct_name",
    total: "money(b.total_micro)",
    type: "'CONTRACT_USAGE'",
    contract_id: "d.contract_id",
    custom_fields: "'{}'",
    billable_status: "'BILLABLE'",
    window_size: "'DAILY'",
    invoice_start_timestamp: `day_ts(${openMonth})`,
    invoice_end_timestamp: `day_ts(${monthEnd})`,
    breakdown_start_timestamp: "day_ts(b.dn)",
    breakdown_end_timestamp: "day_ts(b.dn + 1)",
    updated_at: computed,
    environment_type: "c.env"
  });
  const bliSelect = (transferId: string) => projection("breakdowns_draft_line_items", {
    id: `uuidh(hash(${seed}, 'dbli', d.id, b.dn, b.pidx, ${segmentKey}))`,
    snapshot_timestamp: "day_ts(snap.snap_dn)",
    watermark_timestamp: computed,
    invoice_breakdown_id: "bi.id",
    name: "p.name",
    transfer_id: sqlString(transferId),
    quantity: "b.qty",
    total: "money(b.qty * b.price_micro)",
    unit_price: "money(b.price_micro)",
    product_id: "p.id",
    product_type: "'UsageProductListItem'",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    commit_id: "s.balance_id",
    commit_segment_id: "s.segment_id",
    commit_type: "s.commit_type",
    line_item_id: "li.id",
    line_item_type: "'ContractUsageLineItem'",
    billable_metric_id: "p.metric_id",
    breakdown_start_timestamp: "day_ts(b.dn)",
    breakdown_end_timestamp: "day_ts(b.dn + 1)",
    updated_at: computed,
    environment_type: "c.env"
  });

  for (const day of model.snapshots) {
    const snap = `(select ${day} as snap_dn) snap`;
    batches.push({table: "draft_invoice", dt: day, stampMs: exportTime("draft_invoice", day), query: () => `
      select ${invoiceSelect}
      from p_draft d cross join ${snap} join p_customer c on c.cidx = d.cidx
      left join p_incomplete x on x.cidx = d.cidx and x.snap_dn = snap.snap_dn
      left join (
        select l.didx, sum(case when s.sidx is null or s.commit_type = 'PostpaidCommit' then l.total_micro else 0 end) as total_micro
        from dr_li l left join p_segment s on s.sidx = l.sidx where l.snap_dn = ${day} group by l.didx
      ) t on t.didx = d.didx
      order by d.didx`});
    batches.push({table: "draft_line_item", dt: day, stampMs: exportTime("draft_line_item", day), query: () => `
      select ${lineSelect}
      from dr_li l cross join ${snap} join p_draft d on d.didx = l.didx join p_customer c on c.cidx = d.cidx
      join p_product p on p.env = c.env and p.pidx = l.pidx left join p_segment s on s.sidx = l.sidx
      where l.snap_dn = ${day} order by l.didx, l.pidx, l.sidx nulls last`});
    batches.push({table: "breakdowns_draft_invoices", dt: day, stampMs: exportTime("breakdowns_draft_invoices", day), query: (t) => `
      select ${biSelect(t)}
      from dr_bi b cross join ${snap} join p_draft d on d.didx = b.didx join p_customer c on c.cidx = d.cidx
      where b.snap_dn = ${day} order by b.didx, b.dn`});
  }
  for (const {dt: day, lo, hi} of await chunked(connection, "select snap_dn, didx, count(*) from dr_bli group by all order by all")) {
    const snap = `(select ${day} as snap_dn) snap`;
    batches.push({table: "breakdowns_draft_line_items", dt: day, stampMs: exportTime("breakdowns_draft_line_items", day), query: (t) => `
      select ${bliSelect(t)}
      from dr_bli b cross join ${snap} join p_draft d on d.didx = b.didx join p_customer c on c.cidx = d.cidx
      join p_product p on p.env = c.env and p.pidx = b.pidx left join p_segment s on s.sidx = b.sidx
      join dr_bi bi on bi.snap_dn = b.snap_dn and bi.didx = b.didx and bi.dn = b.dn
      join dr_li li on li.snap_dn = b.snap_dn and li.didx = b.didx and li.pidx = b.pidx and li.sidx is not distinct from b.sidx
      where b.snap_dn = ${day} and b.didx between ${lo} and ${hi} order by b.didx, b.dn, b.pidx, b.sidx nulls last`});
  }
  return batches;
}

