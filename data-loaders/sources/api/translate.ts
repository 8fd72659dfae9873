// Metronome API objects (what `@metronome/sdk` returns) → rows of the Data Export tables the export reader reads
// (data-loaders/sources/export/tables.ts), so a pulled folder goes through the same staging and models as an export.
// Every mapping and every gap is listed in docs/api-source.md. Pure functions: no I/O, no clock (times are passed in).
import {createHash} from "node:crypto";

type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

// The fields Meterbook reads, typed loosely: the SDK's response types satisfy these structurally, and the SDK does
// not validate responses, so every optional field is treated as possibly absent.
interface CreditType {
  id: string;
  name: string;
}
export interface ApiCustomer {
  id: string;
  name: string;
  ingest_aliases?: string[];
  custom_fields?: Record<string, string>;
  customer_config?: {salesforce_account_id?: string | null};
  created_at?: string;
  updated_at?: string;
  archived_at?: string | null;
}
export interface ApiBillableMetric {
  id: string;
  name: string;
  aggregation_type?: string;
  aggregation_key?: string;
  group_keys?: string[][];
  archived_at?: string | null;
}
export interface ApiProduct {
  id: string;
  type: string;
  archived_at?: string | null;
  initial?: {created_at?: string};
  current: {name: string; billable_metric_id?: string; tags?: string[]};
}
export interface ApiPricingUnit {
  id?: string;
  name?: string;
  is_currency?: boolean;
}
export interface ApiContract {
  id: string;
  customer_id: string;
  name?: string;
  package_id?: string;
  rate_card_id?: string;
  starting_at: string;
  ending_before?: string | null;
  archived_at?: string | null;
  multiplier_override_prioritization?: string;
  net_payment_terms_days?: number;
  usage_statement_schedule?: {frequency?: string};
  scheduled_charges_on_usage_invoices?: string;
  created_at?: string;
  created_by?: string;
}
interface ApiLedgerEntry {
  type: string;
  timestamp: string;
  amount: number;
  segment_id?: string;
  invoice_id?: string | null;
  [key: string]: unknown;
}
export interface ApiBalance {
  id: string;
  type: string;
  name?: string;
  priority?: number;
  description?: string;
  product: {id: string; name?: string};
  contract?: {id: string};
  invoice_contract?: {id: string};
  access_schedule?: {credit_type?: CreditType; schedule_items: Array<{id: string; amount: number; starting_at: string; ending_before?: string | null}>};
  invoice_schedule?: {
    credit_type?: CreditType;
    do_not_invoice?: boolean;
    schedule_items?: Array<{id: string; amount: number; timestamp: string; invoice_id?: string | null}>;
  };
  rollover_fraction?: number;
  rate_type?: string;
  applicable_product_ids?: string[];
  applicable_product_tags?: string[];
  applicable_contract_ids?: string[];
  specifiers?: unknown[];
  ledger?: ApiLedgerEntry[];
  rolled_over_from?: {commit_id?: string; credit_id?: string; contract_id: string};
  recurring_commit_id?: string;
  recurring_credit_id?: string;
  balance?: number;
  cost_basis?: number;
}
export interface ApiLineItem {
  name: string;
  total: number;
  type: string;
  credit_type: CreditType;
  quantity?: number;
  unit_price?: number;
  product_id?: string;
  product_type?: string;
  group_key?: string;
  group_value?: string | null;
  commit_id?: string;
  commit_segment_id?: string;
  commit_type?: string;
  subscription_id?: string;
  is_prorated?: boolean;
  custom_fields?: Record<string, string>;
  pricing_group_values?: Record<string, unknown>;
  presentation_group_values?: Record<string, unknown>;
  starting_at?: string;
  ending_before?: string;
}
export interface ApiInvoice {
  id: string;
  customer_id: string;
  credit_type: CreditType;
  status: string;
  total: number;
  subtotal?: number;
  type: string;
  line_items: ApiLineItem[];
  contract_id?: string;
  amendment_id?: string;
  net_payment_terms_days?: number;
  start_timestamp?: string;
  end_timestamp?: string;
  issued_at?: string;
  billable_status?: unknown;
  custom_fields?: Record<string, unknown>;
  external_invoice?: {billing_provider_type?: string; invoice_id?: string; external_status?: string; issued_at_timestamp?: string} | null;
}
export interface ApiBreakdown extends ApiInvoice {
  breakdown_start_timestamp: string;
  breakdown_end_timestamp: string;
}
export interface ApiUsage {
  customer_id: string;
  billable_metric_id: string;
  billable_metric_name: string;
  start_timestamp: string;
  end_timestamp: string;
  value: number | null;
}

/** What every row of one pull shares: the environment it is labelled with and the export time. */
export interface PullContext {
  environment: string;
  /** ISO time the pull ran: `updated_at` of snapshot-type rows. */
  pulledAt: string;
  /** ISO midnight of the pull's `until` day: the draft snapshot time (data is complete for the days before). */
  snapshotAt: string;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
/** Money as exact decimal text: the staging cast to DECIMAL(38, 9) then reads the number JSON carried. */
export const money = (value: number | null | undefined): string | null => (value === undefined || value === null ? null : String(value));

/** A stable UUID-shaped id for rows the API has no id for (breakdowns, breakdown lines). */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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

/** API ledger entry types (upper case, `…_COMMIT_…`) → the export's lower-case names (shared/reference §2.6). */
export function exportLedgerType(type: string): string {
  const known: Record<string, string> = {
    PREPAID_COMMIT_SEGMENT_START: "prepaid_segment_start",
    PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION: "prepaid_automated_invoice_deduction",
    PREPAID_COMMIT_ROLLOVER: "prepaid_rollover",
    PREPAID_COMMIT_EXPIRATION: "prepaid_segment_expiration",
    PREPAID_COMMIT_CANCELED: "prepaid_commit_canceled",
    PREPAID_COMMIT_CREDITED: "prepaid_commit_credited",
    PREPAID_COMMIT_MANUAL: "prepaid_manual",
    POSTPAID_COMMIT_INITIAL_BALANCE: "postpaid_initial_balance",
    POSTPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION: "postpaid_automated_invoice_deduction",
    POSTPAID_COMMIT_TRUEUP: "postpaid_trueup",
    POSTPAID_COMMIT_MANUAL: "postpaid_manual",
    CREDIT_SEGMENT_START: "credit_segment_start",
    CREDIT_AUTOMATED_INVOICE_DEDUCTION: "credit_automated_invoice_deduction",
    CREDIT_EXPIRATION: "credit_segment_expiration",
    CREDIT_CANCELED: "credit_commit_canceled",
    CREDIT_CREDITED: "credit_commit_credited",
    CREDIT_MANUAL: "credit_manual"
  };
  return known[type] ?? type.toLowerCase();
}

export function customerRow(c: ApiCustomer, ctx: PullContext): Row {
  return {
    id: c.id,
    name: c.name,
    ingest_aliases: JSON.stringify(c.ingest_aliases ?? []),
    salesforce_account_id: c.customer_config?.salesforce_account_id ?? null,
    custom_fields: JSON.stringify(c.custom_fields ?? {}),
    created_at: c.created_at ?? null,
    updated_at: c.updated_at ?? ctx.pulledAt,
    archived_at: c.archived_at ?? null,
    environment_type: ctx.environment
  };
}

export function billableMetricRow(m: ApiBillableMetric, ctx: PullContext): Row {
  return {
    id: m.id,
    name: m.name,
    aggregate: m.aggregation_type ?? null,
    aggregate_keys: JSON.stringify(m.aggregation_key ? [m.aggregation_key] : []),
    group_keys: JSON.stringify(m.group_keys ?? []),
    archived_at: m.archived_at ?? null,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  };
}

export function productRow(p: ApiProduct, ctx: PullContext): Row {
  return {
    id: p.id,
    name: p.current.name,
    type: p.type,
    billable_metric_id: p.current.billable_metric_id ?? null,
    tags: JSON.stringify(p.current.tags ?? []),
    created_at: p.initial?.created_at ?? null,
    updated_at: ctx.pulledAt,
    archived_at: p.archived_at ?? null,
    environment_type: ctx.environment
  };
}

export function creditTypeRow(t: ApiPricingUnit, ctx: PullContext): Row | null {
  if (!t.id || !t.name) return null;
  return {id: t.id, name: t.name, is_currency: t.is_currency ?? null, updated_at: ctx.pulledAt, environment_type: ctx.environment};
}

export function contractRow(c: ApiContract, ctx: PullContext): Row {
  return {
    id: c.id,
    name: c.name ?? null,
    customer_id: c.customer_id,
    package_id: c.package_id ?? null,
    rate_card_id: c.rate_card_id ?? null,
    starting_at: c.starting_at,
    ending_before: c.ending_before ?? null,
    archived_at: c.archived_at ?? null,
    multiplier_override_prioritization: c.multiplier_override_prioritization ?? null,
    net_payment_terms_days: c.net_payment_terms_days ?? null,
    usage_statement_schedule_frequency: c.usage_statement_schedule?.frequency?.toLowerCase() ?? null,
    scheduled_charges_on_usage_invoices: c.scheduled_charges_on_usage_invoices ?? null,
    created_at: c.created_at ?? null,
    created_by: c.created_by ?? null,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  };
}

/** A commit or credit (v1 customerBalances/list) → one contracts_balances row; schedules renamed to the export's
 * JSON shape (`starting_at`/`ending_before` → `date`/`end_date`, credit type flattened). */
export function balanceRow(b: ApiBalance, customerId: string, ctx: PullContext): Row {
  const access = b.access_schedule;
  const invoice = b.invoice_schedule;
  return {
    id: b.id,
    customer_id: customerId,
    contract_id: b.contract?.id ?? null,
    type: b.type.toLowerCase(),
    name: b.name ?? null,
    priority: b.priority ?? null,
    description: b.description ?? null,
    product_id: b.product.id,
    access_schedule: JSON.stringify({
      credit_type_id: access?.credit_type?.id ?? null,
      credit_type_name: access?.credit_type?.name ?? null,
      schedule_items: (access?.schedule_items ?? []).map((i) => ({id: i.id, date: i.starting_at, end_date: i.ending_before ?? null, amount: i.amount}))
    }),
    invoice_schedule: invoice
      ? JSON.stringify({
          credit_type_id: invoice.credit_type?.id ?? null,
          credit_type_name: invoice.credit_type?.name ?? null,
          do_not_invoice: invoice.do_not_invoice ?? false,
          schedule_items: (invoice.schedule_items ?? []).map((i) => ({id: i.id, date: i.timestamp, amount: i.amount, invoice_id: i.invoice_id ?? null})),
          recurring_schedule: null
        })
      : null,
    rollover_fraction: b.rollover_fraction ?? null,
    rate_type: b.rate_type ?? null,
    applicable_product_ids: json(b.applicable_product_ids),
    applicable_product_tags: json(b.applicable_product_tags),
    specifiers: json(b.specifiers),
    applicable_contract_ids: json(b.applicable_contract_ids),
    invoice_contract_id: b.invoice_contract?.id ?? null,
    ledger: b.ledger ? JSON.stringify(b.ledger.map((e) => ({...e, type: exportLedgerType(e.type)}))) : null,
    rolled_over_from_commit_id: b.rolled_over_from?.commit_id ?? b.rolled_over_from?.credit_id ?? null,
    rolled_over_from_contract_id: b.rolled_over_from?.contract_id ?? null,
    recurring_commit_id: b.recurring_commit_id ?? b.recurring_credit_id ?? null,
    balance: money(b.balance),
    cost_basis: b.cost_basis ?? null,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  };
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
    custom_fields: json(l.custom_fields),
    pricing_group_values: json(l.pricing_group_values),
    presentation_group_values: json(l.presentation_group_values),
    ...window,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  }));
  return {draft, invoice, lines};
}
