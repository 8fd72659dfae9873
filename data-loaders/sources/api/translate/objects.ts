// The Metronome API objects Meterbook reads (what `@metronome/sdk` returns), typed loosely: the SDK's response types
// satisfy these structurally, and the SDK does not validate responses, so every optional field is treated as possibly
// absent. Translated to export rows by the other files of this folder.
export interface CreditType {
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
export interface ApiLedgerEntry {
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
