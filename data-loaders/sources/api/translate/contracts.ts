// Contracts and their balances (commits and credits, with schedules and ledgers) → contracts_contracts and
// contracts_balances rows.
import type {ApiBalance, ApiContract} from "./objects.js";
import {jsonColumns, money, type PullContext, type Row} from "./rows.js";

/** API ledger entry types (upper case, `…_COMMIT_…`) → the export's lower-case names (shared/reference §2.6). */
export const LEDGER_TYPES: Record<string, string> = {
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

export function exportLedgerType(type: string): string {
  return LEDGER_TYPES[type] ?? type.toLowerCase();
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
    ...jsonColumns(b, ["applicable_product_ids", "applicable_product_tags", "specifiers", "applicable_contract_ids"]),
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
