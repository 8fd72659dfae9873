// The columns the finalized and draft invoice tables share, as SQL over the pipeline's tables: `c` the customer
// (p_customer), `p` the product, `s` the commit segment, `l` a line item, `b` a breakdown (line), `bi` and `li` the
// breakdown and line item a breakdown line belongs to. Each writer adds the columns that differ (ids, times).
import {sqlString} from "../lib/duckdb.js";

/** A line's commit segment as a hash key part ('' when the line draws on no commit). */
export const SEGMENT_KEY = "coalesce(s.segment_id, '')";

const CREDIT_TYPE = {credit_type_id: "c.ct_id", credit_type_name: "c.ct_name", environment_type: "c.env"};

/** line_item and draft_line_item. */
export const LINE_ITEM: Record<string, string> = {
  ...CREDIT_TYPE,
  id: "l.id",
  name: "p.name",
  quantity: "l.qty",
  total: "money(l.total_micro)",
  commit_id: "s.balance_id",
  product_id: "p.id",
  unit_price: "money(l.price_micro)",
  line_item_type: "'ContractUsageLineItem'",
  commit_segment_id: "s.segment_id"
};

/** line_item and draft_line_item in the guide variant, from a g_fin / g_dli row `g` (guide-lines.ts). */
export const GUIDE_LINE_ITEM: Record<string, string> = {
  ...CREDIT_TYPE,
  id: "g.id",
  name: "g.name",
  quantity: "g.qty",
  total: "money(g.total_micro)",
  commit_id: "g.commit_id",
  product_id: "g.product_id",
  unit_price: "money(g.price_micro)",
  line_item_type: "g.line_type",
  commit_segment_id: "g.segment_id"
};

/** The guide lines' order within an invoice: by product and commit segment, each usage line before its applied line. */
export const GUIDE_LINE_ORDER = "g.pidx nulls last, g.sidx nulls last, g.ord";

/** breakdowns_invoices and breakdowns_draft_invoices, delivered in transfer `transferId`. */
export const breakdownInvoice = (transferId: string): Record<string, string> => ({
  ...CREDIT_TYPE,
  id: "b.id",
  customer_id: "c.id",
  transfer_id: sqlString(transferId),
  net_payment_term_days: "30",
  total: "money(b.total_micro)",
  type: "'CONTRACT_USAGE'",
  custom_fields: "'{}'",
  billable_status: "'BILLABLE'",
  window_size: "'DAILY'",
  breakdown_start_timestamp: "day_ts(b.dn)",
  breakdown_end_timestamp: "day_ts(b.dn + 1)"
});

/** breakdowns_line_items and breakdowns_draft_line_items, delivered in transfer `transferId`. */
export const breakdownLine = (transferId: string): Record<string, string> => ({
  ...CREDIT_TYPE,
  invoice_breakdown_id: "bi.id",
  name: "p.name",
  transfer_id: sqlString(transferId),
  quantity: "b.qty",
  total: "money(b.qty * b.price_micro)",
  unit_price: "money(b.price_micro)",
  product_id: "p.id",
  product_type: "'UsageProductListItem'",
  commit_id: "s.balance_id",
  commit_segment_id: "s.segment_id",
  commit_type: "s.commit_type",
  line_item_id: "li.id",
  line_item_type: "'ContractUsageLineItem'",
  billable_metric_id: "p.metric_id",
  breakdown_start_timestamp: "day_ts(b.dn)",
  breakdown_end_timestamp: "day_ts(b.dn + 1)"
});
