// Invoices (finalized, voided and draft) and their daily breakdowns → invoice / draft_invoice and
// breakdowns_(draft_)invoices / breakdowns_(draft_)line_items rows.
import type {ApiBreakdown, ApiInvoice} from "./objects.js";
import {derivedId, json, jsonColumns, money, type PullContext, type Row} from "./rows.js";

/** API invoice `type` → the export's (REVREC: CONTRACT_USAGE, CONTRACT_SCHEDULED, CONTRACT_TRUEUP). */
export function exportInvoiceType(type: string | undefined): string | null {
  if (!type) return null;
  const known: Record<string, string> = {USAGE: "CONTRACT_USAGE", SCHEDULED: "CONTRACT_SCHEDULED", TRUEUP: "CONTRACT_TRUEUP", USAGE_CONSOLIDATED: "CONTRACT_USAGE"};
  return known[type.toUpperCase()] ?? type;
}

/** API line `type` → export `line_item_type`. Only ContractUsageLineItem is documented by Metronome (GTM guide);
 * the other names follow its pattern and are UNCONFIRMED (docs/api-source.md). */
export function exportLineItemType(type: string | undefined): string | null {
  if (!type) return null;
  const known: Record<string, string> = {
    usage: "ContractUsageLineItem",
    scheduled: "ContractScheduledChargeLineItem",
    commit_purchase: "ContractCommitLineItem",
    subscription: "ContractSubscriptionLineItem",
    applied_commit_or_credit: "ContractAppliedCommitOrCreditLineItem",
    cpu_conversion: "ContractCpuConversionLineItem"
  };
  return known[type.toLowerCase()] ?? type;
}

export function isDraft(status: string): boolean {
  return status.toUpperCase().startsWith("DRAFT");
}

/** A finalized or voided invoice → `invoice`; a draft → `draft_invoice` (one snapshot, taken at ctx.snapshotAt). */
export function invoiceRow(i: ApiInvoice, ctx: PullContext): {table: "invoice" | "draft_invoice"; row: Row} {
  const status = i.status.toUpperCase();
  const common = {
    id: i.id,
    status,
    // DRAFT_INCOMPLETE: "no line items or total" (DBREF) — the API's placeholder total is not a figure.
    total: status === "DRAFT_INCOMPLETE" ? null : money(i.total),
    credit_type_id: i.credit_type.id,
    credit_type_name: i.credit_type.name,
    customer_id: i.customer_id,
    contract_id: i.contract_id ?? null,
    start_timestamp: i.start_timestamp ?? null,
    end_timestamp: i.end_timestamp ?? null,
    environment_type: ctx.environment
  };
  if (isDraft(status)) {
    return {
      table: "draft_invoice",
      row: {
        ...common,
        _metronome_metadata_id: derivedId("draft_invoice", i.id, ctx.snapshotAt),
        snapshot_time: ctx.snapshotAt,
        billable_status: typeof i.billable_status === "string" ? i.billable_status.toUpperCase() : null,
        label: exportInvoiceType(i.type),
        updated_at: ctx.pulledAt
      }
    };
  }
  const external = i.external_invoice ?? null;
  return {
    table: "invoice",
    row: {
      ...common,
      billing_provider_invoice_id: external?.invoice_id ?? null,
      billing_provider_type: external?.billing_provider_type ?? null,
      billing_provider_invoice_created_at: external?.issued_at_timestamp ?? null,
      billing_provider_invoice_external_status: external?.external_status ?? null,
      invoice_label: exportInvoiceType(i.type),
      issued_at: i.issued_at ?? null,
      updated_at: i.issued_at ?? ctx.pulledAt
    }
  };
}

/**
 * One daily breakdown window → a breakdowns_(draft_)invoices row and its breakdowns_(draft_)line_items rows. The
 * API's `id` is the invoice's, and its lines have no ids: both are derived from (invoice, window, line position).
 * Finalized breakdowns are stamped with the invoice's issue time (they do not change after it); drafts with the
 * pull's snapshot time, so the models pick the latest draft exactly as they do in an export.
 */
export function breakdownRows(b: ApiBreakdown, ctx: PullContext, transferId: string): {draft: boolean; invoice: Row; lines: Row[]} {
  const draft = isDraft(b.status);
  const snapshot = draft ? ctx.snapshotAt : (b.issued_at ?? ctx.snapshotAt);
  const id = derivedId("breakdown", b.id, b.breakdown_start_timestamp);
  const window = {breakdown_start_timestamp: b.breakdown_start_timestamp, breakdown_end_timestamp: b.breakdown_end_timestamp};
  const invoice: Row = {
    id,
    snapshot_timestamp: snapshot,
    invoice_id: b.id,
    customer_id: b.customer_id,
    transfer_id: transferId,
    credit_type_id: b.credit_type.id,
    net_payment_term_days: b.net_payment_terms_days ?? null,
    credit_type_name: b.credit_type.name,
    subtotal: money(b.subtotal),
    total: money(b.total),
    type: exportInvoiceType(b.type),
    external_invoice: json(b.external_invoice),
    contract_id: b.contract_id ?? null,
    amendment_id: b.amendment_id ?? null,
    custom_fields: JSON.stringify(b.custom_fields ?? {}),
    billable_status: typeof b.billable_status === "string" ? b.billable_status.toUpperCase() : null,
    window_size: "DAILY",
    issued_at: b.issued_at ?? null,
    invoice_start_timestamp: b.start_timestamp ?? null,
    invoice_end_timestamp: b.end_timestamp ?? null,
    ...window,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  };
  const lines = b.line_items.map((l, index): Row => ({
    id: derivedId("breakdown_line", b.id, b.breakdown_start_timestamp, String(index)),
    snapshot_timestamp: snapshot,
    watermark_timestamp: ctx.pulledAt,
    invoice_breakdown_id: id,
    name: l.name,
    transfer_id: transferId,
    group_key: l.group_key ?? null,
    group_value: l.group_value ?? null,
    quantity: money(l.quantity),
    total: money(l.total),
    unit_price: money(l.unit_price),
    product_id: l.product_id ?? null,
    product_type: l.product_type ?? null,
    credit_type_id: l.credit_type.id,
    credit_type_name: l.credit_type.name,
    commit_id: l.commit_id ?? null,
    commit_segment_id: l.commit_segment_id ?? null,
    commit_type: l.commit_type ?? null,
    subscription_id: l.subscription_id ?? null,
    is_prorated: l.is_prorated ?? null,
    line_item_type: exportLineItemType(l.type),
    ...jsonColumns(l, ["custom_fields", "pricing_group_values", "presentation_group_values"]),
    ...window,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  }));
  return {draft, invoice, lines};
}
