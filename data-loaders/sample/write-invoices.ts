// Finalized invoices, their line items and their daily breakdowns, written from the pipeline's tables (fin_*).
import type {DuckDBConnection} from "@duckdb/node-api";
import {projection, type Batch} from "../sources/export/layout.js";
import {loadTable} from "../lib/duckdb.js";
import {GUIDE_TOTAL} from "./guide-lines.js";
import {breakdownInvoice, breakdownLine, GUIDE_LINE_ITEM, GUIDE_LINE_ORDER, LINE_ITEM, SEGMENT_KEY} from "./invoice-columns.js";
import type {Model} from "./model.js";
import {tokenFor} from "./random.js";
import {chunked, exportTime, incremental} from "./transfers.js";

/**
 * Finalized invoices, their line items and their daily breakdowns (written from the pipeline's tables). The guide
 * variant writes no breakdowns, and its line items (g_fin, guide-lines.ts) use the API's line types.
 */
export async function finalizedBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed, asOfDay} = model.options;
  const guide = model.options.variant === "guide";
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
  await connection.run(guide ? `
    create or replace table fin_inv_total as
    select g.iidx, (${GUIDE_TOTAL})::bigint as total_micro from g_fin g group by g.iidx` : `
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
    invoice_label: guide ? "i.label" : "'CONTRACT_USAGE'",
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
  const lineSelect = projection("line_item", {
    ...(guide ? GUIDE_LINE_ITEM : LINE_ITEM),
    invoice_id: "i.id",
    starting_at: "day_ts(i.start_dn)",
    ending_before: "day_ts(i.end_dn)",
    updated_at: "sec_ts(i.finalized_s)"
  });
  const lineKeys = new Map<string, {dt: number; stampMs: number; boundaryS: number}>();
  for (const inv of model.invoices) {
    const {dt, stampMs} = incremental("line_item", inv.finalizedMs);
    lineKeys.set(`${dt}:${stampMs}`, {dt, stampMs, boundaryS: Math.floor(inv.finalizedMs / 7_200_000 + 1) * 7200});
  }
  for (const {dt, stampMs, boundaryS} of [...lineKeys.values()].sort((a, b) => a.stampMs - b.stampMs)) {
    const where = `where i.dt_dn = ${dt} and (i.finalized_s // 7200 + 1) * 7200 = ${boundaryS}`;
    batches.push({table: "line_item", dt, stampMs, query: () => guide ? `
      select ${lineSelect}
      from g_fin g join p_invoice i on i.iidx = g.iidx join p_customer c on c.cidx = i.cidx
      ${where} order by i.iidx, ${GUIDE_LINE_ORDER}` : `
      select ${lineSelect}
      from fin_li l join p_invoice i on i.iidx = l.iidx join p_customer c on c.cidx = i.cidx
      join p_product p on p.env = c.env and p.pidx = l.pidx left join p_segment s on s.sidx = l.sidx
      ${where}
      order by i.iidx, l.pidx, l.sidx nulls last`});
  }
  if (guide) return batches;

  // Daily breakdowns, delivered incrementally as invoices finalize (the reissue's on the day it was reissued).
  const deliveryDays = [...new Set(model.invoices.map((i) => i.deliveredDay))].sort((a, b) => a - b);
  const biSelect = (transferId: string) => projection("breakdowns_invoices", {
    ...breakdownInvoice(transferId),
    snapshot_timestamp: "sec_ts(i.finalized_s)",
    invoice_id: "i.id",
    contract_id: "i.contract_id",
    issued_at: "sec_ts(i.finalized_s)",
    invoice_start_timestamp: "day_ts(i.start_dn)",
    invoice_end_timestamp: "day_ts(i.end_dn)",
    updated_at: "sec_ts(i.finalized_s + 1500)"
  });
  const bliSelect = (transferId: string) => projection("breakdowns_line_items", {
    ...breakdownLine(transferId),
    id: `uuidh(hash(${seed}, 'bli', i.id, b.dn, b.pidx, ${SEGMENT_KEY}))`,
    snapshot_timestamp: "sec_ts(i.finalized_s)",
    watermark_timestamp: "sec_ts(i.finalized_s)",
    updated_at: "sec_ts(i.finalized_s + 1500)"
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
