// Draft tables: one month-to-date snapshot per day of the open month, written from the pipeline's tables (dr_*).
import type {DuckDBConnection} from "@duckdb/node-api";
import {projection, type Batch} from "../sources/export/layout.js";
import {addMonths} from "../lib/dates.js";
import {GUIDE_TOTAL} from "./guide-lines.js";
import {breakdownInvoice, breakdownLine, GUIDE_LINE_ITEM, GUIDE_LINE_ORDER, LINE_ITEM, SEGMENT_KEY} from "./invoice-columns.js";
import type {Model} from "./model.js";
import {chunked, exportTime} from "./transfers.js";

/** Draft tables: one month-to-date snapshot per day of the open month, each in the partition of its snapshot day. */
export async function draftBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  if (model.options.variant === "guide") return guideDraftBatches(connection, model);
  const {seed, openMonth} = model.options;
  const monthEnd = addMonths(openMonth, 1);
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
    ...LINE_ITEM,
    _metronome_metadata_id: `uuidh(hash(${seed}, 'draft-line-row', d.id, l.pidx, ${SEGMENT_KEY}, snap.snap_dn))`,
    snapshot_time: "day_ts(snap.snap_dn)",
    invoice_id: "d.id",
    starting_at: `day_ts(${openMonth})`,
    ending_before: `day_ts(${monthEnd})`,
    updated_at: computed
  });
  const biSelect = (transferId: string) => projection("breakdowns_draft_invoices", {
    ...breakdownInvoice(transferId),
    snapshot_timestamp: "day_ts(snap.snap_dn)",
    invoice_id: "d.id",
    contract_id: "d.contract_id",
    invoice_start_timestamp: `day_ts(${openMonth})`,
    invoice_end_timestamp: `day_ts(${monthEnd})`,
    updated_at: computed
  });
  const bliSelect = (transferId: string) => projection("breakdowns_draft_line_items", {
    ...breakdownLine(transferId),
    id: `uuidh(hash(${seed}, 'dbli', d.id, b.dn, b.pidx, ${SEGMENT_KEY}))`,
    snapshot_timestamp: "day_ts(snap.snap_dn)",
    watermark_timestamp: computed,
    updated_at: computed
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

/**
 * The guide variant's drafts (g_dinv / g_dli, guide-lines.ts): every daily snapshot of every period, the finalized
 * ones' included until they were finalized, with the API's line types and no breakdowns.
 */
async function guideDraftBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed} = model.options;
  const computed = "sec_ts(d.snap_dn::bigint * 86400 + 1200 + hash(" + seed + ", 'draft-computed', d.cidx, d.snap_dn) % 1800)";
  const invoiceSelect = projection("draft_invoice", {
    _metronome_metadata_id: `uuidh(hash(${seed}, 'draft-invoice-row', d.id, d.snap_dn))`,
    id: "d.id",
    snapshot_time: "day_ts(d.snap_dn)",
    status: "case when d.incomplete then 'DRAFT_INCOMPLETE' else 'DRAFT' end",
    total: "case when not d.incomplete then money(coalesce(t.total_micro, 0)) end",
    credit_type_id: "c.ct_id",
    credit_type_name: "c.ct_name",
    customer_id: "c.id",
    contract_id: "d.contract_id",
    billable_status: "'BILLABLE'",
    label: "'CONTRACT_USAGE'",
    start_timestamp: "day_ts(d.start_dn)",
    end_timestamp: "day_ts(d.end_dn)",
    updated_at: computed,
    environment_type: "c.env"
  });
  const lineSelect = projection("draft_line_item", {
    ...GUIDE_LINE_ITEM,
    _metronome_metadata_id: `uuidh(hash(${seed}, 'draft-line-row', g.id, d.snap_dn))`,
    snapshot_time: "day_ts(d.snap_dn)",
    invoice_id: "d.id",
    starting_at: "day_ts(d.start_dn)",
    ending_before: "day_ts(d.end_dn)",
    updated_at: computed
  });
  const days = (await connection.runAndReadAll("select distinct snap_dn from g_dinv order by 1")).getRows().map(([d]) => Number(d));
  const batches: Batch[] = [];
  for (const day of days) {
    batches.push({table: "draft_invoice", dt: day, stampMs: exportTime("draft_invoice", day), query: () => `
      select ${invoiceSelect}
      from g_dinv d join p_customer c on c.cidx = d.cidx
      left join (select g.inv_id, ${GUIDE_TOTAL} as total_micro from g_dli g where g.snap_dn = ${day} group by g.inv_id) t on t.inv_id = d.id
      where d.snap_dn = ${day} order by d.cidx, d.start_dn, d.id`});
    batches.push({table: "draft_line_item", dt: day, stampMs: exportTime("draft_line_item", day), query: () => `
      select ${lineSelect}
      from g_dli g join g_dinv d on d.snap_dn = g.snap_dn and d.id = g.inv_id join p_customer c on c.cidx = d.cidx
      where g.snap_dn = ${day} order by d.cidx, d.start_dn, d.id, ${GUIDE_LINE_ORDER}`});
  }
  return batches;
}
