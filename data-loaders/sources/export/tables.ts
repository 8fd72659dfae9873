// The Metronome Data Export tables Meterbook reads: columns and their types, which are required, each table's key
// and the column that orders versions of a row. Source: shared/reference/metronome-export-and-api.md §2 (Metronome's
// database reference). Every column may arrive nullable; "required" means the column must exist, not be non-null.

/** Staging types. `money` and `quantity` are exact decimals in the credit type's minor unit (USD cents, whole EUR). */
export type ColumnType = "varchar" | "timestamp" | "money" | "quantity" | "double" | "integer" | "boolean" | "json";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** The table is unusable without this column. */
  required?: boolean;
}

export interface TableSpec {
  name: string;
  /**
   * The table is often absent from an export (a pull leaves it out when empty). Any table may be absent but those
   * REQUIRED_TABLES and one of LINE_TABLE_SETS name; an absent table is staged EMPTY with its documented columns, so
   * every model still runs.
   */
  optional?: boolean;
  /** Columns identifying one row; at-least-once delivery repeats them, the latest version wins. */
  key: string[];
  /** Orders versions of a row (latest wins); ties are broken by the file's transfer timestamp. */
  version: string;
  columns: ColumnSpec[];
  /**
   * Where a row without `environment_type` takes its environment from: its parent row in an earlier table. Real
   * exports carry line tables without the column (Metronome's published 2024 sample has it on invoice, not on
   * line_item); a line then belongs to its invoice's environment.
   */
  environmentFrom?: {table: string; column: string};
  /**
   * Only these columns are staged and written to staging/ (the key, version and environment among them): for the
   * breakdown line tables, millions of rows wide with JSON no model reads (docs/scaling.md). Every column otherwise.
   */
  staged?: string[];
}

export const MONEY_SQL = "decimal(38, 9)";

const env: ColumnSpec = {name: "environment_type", type: "varchar", required: true};
const id: ColumnSpec = {name: "id", type: "varchar", required: true};
const updatedAt: ColumnSpec = {name: "updated_at", type: "timestamp", required: true};

const lineItemColumns: ColumnSpec[] = [
  {name: "invoice_id", type: "varchar", required: true},
  {name: "credit_grant_id", type: "varchar"},
  {name: "credit_type_id", type: "varchar", required: true},
  {name: "credit_type_name", type: "varchar"},
  {name: "name", type: "varchar"},
  {name: "quantity", type: "quantity"},
  {name: "total", type: "money", required: true},
  {name: "commit_id", type: "varchar"},
  {name: "product_id", type: "varchar"},
  {name: "group_key", type: "varchar"},
  {name: "group_value", type: "varchar"},
  {name: "unit_price", type: "money"},
  {name: "pricing_group_values", type: "json"},
  {name: "metadata", type: "json"},
  {name: "subscription_id", type: "varchar"},
  {name: "is_prorated", type: "boolean"},
  {name: "starting_at", type: "timestamp"},
  {name: "ending_before", type: "timestamp"},
  // Not in Metronome's reference for line_item, but used by its own burn SQL: read when present (UNCONFIRMED).
  {name: "line_item_type", type: "varchar"},
  {name: "commit_segment_id", type: "varchar"},
  updatedAt,
  env
];

const breakdownInvoiceColumns: ColumnSpec[] = [
  id,
  {name: "snapshot_timestamp", type: "timestamp", required: true},
  {name: "invoice_id", type: "varchar", required: true},
  {name: "customer_id", type: "varchar", required: true},
  {name: "transfer_id", type: "varchar"},
  {name: "credit_type_id", type: "varchar", required: true},
  {name: "net_payment_term_days", type: "integer"},
  {name: "credit_type_name", type: "varchar"},
  {name: "subtotal", type: "money"},
  {name: "total", type: "money"},
  {name: "type", type: "varchar"},
  {name: "external_invoice", type: "json"},
  {name: "plan_id", type: "varchar"},
  {name: "contract_id", type: "varchar"},
  {name: "amendment_id", type: "varchar"},
  {name: "custom_fields", type: "json"},
  {name: "billable_status", type: "varchar"},
  {name: "window_size", type: "varchar"},
  {name: "metadata", type: "json"},
  {name: "issued_at", type: "timestamp"},
  {name: "invoice_start_timestamp", type: "timestamp"},
  {name: "invoice_end_timestamp", type: "timestamp"},
  {name: "breakdown_start_timestamp", type: "timestamp", required: true},
  {name: "breakdown_end_timestamp", type: "timestamp", required: true},
  updatedAt,
  env
];

const breakdownLineItemColumns: ColumnSpec[] = [
  id,
  {name: "snapshot_timestamp", type: "timestamp", required: true},
  {name: "watermark_timestamp", type: "timestamp"},
  {name: "invoice_breakdown_id", type: "varchar", required: true},
  {name: "name", type: "varchar"},
  {name: "transfer_id", type: "varchar"},
  {name: "group_key", type: "varchar"},
  {name: "group_value", type: "varchar"},
  {name: "quantity", type: "quantity"},
  {name: "total", type: "money", required: true},
  {name: "unit_price", type: "money"},
  {name: "product_id", type: "varchar"},
  {name: "product_type", type: "varchar"},
  {name: "credit_type_id", type: "varchar", required: true},
  {name: "credit_type_name", type: "varchar"},
  {name: "commit_id", type: "varchar"},
  {name: "commit_segment_id", type: "varchar"},
  {name: "commit_type", type: "varchar"},
  {name: "subscription_id", type: "varchar"},
  {name: "is_prorated", type: "boolean"},
  {name: "line_item_id", type: "varchar"},
  {name: "line_item_type", type: "varchar"},
  {name: "custom_fields", type: "json"},
  {name: "pricing_group_values", type: "json"},
  {name: "presentation_group_values", type: "json"},
  {name: "billable_metric_id", type: "varchar"},
  {name: "metadata", type: "json"},
  {name: "breakdown_start_timestamp", type: "timestamp", required: true},
  {name: "breakdown_end_timestamp", type: "timestamp", required: true},
  updatedAt,
  env
];

/** What the models and findings read of the breakdown line tables (int_line_days, backdated_usage, orphans). */
const breakdownLineItemsStaged = [
  "id", "snapshot_timestamp", "invoice_breakdown_id", "name", "quantity", "total", "product_id", "credit_type_id", "commit_id",
  "commit_segment_id", "line_item_type", "billable_metric_id", "breakdown_start_timestamp", "breakdown_end_timestamp", "updated_at",
  "environment_type"
];

export const TABLES: TableSpec[] = [
  {
    name: "customer",
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "name", type: "varchar", required: true},
      {name: "ingest_aliases", type: "json"},
      {name: "salesforce_account_id", type: "varchar"},
      {name: "billing_provider_type", type: "varchar"},
      {name: "billing_provider_customer_id", type: "varchar"},
      {name: "custom_fields", type: "json"},
      {name: "created_at", type: "timestamp"},
      updatedAt,
      {name: "archived_at", type: "timestamp"},
      env
    ]
  },
  {
    // Columns UNCONFIRMED by Metronome's reference; Meterbook reads these when the table is delivered.
    name: "product",
    optional: true,
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "name", type: "varchar", required: true},
      {name: "type", type: "varchar"},
      {name: "billable_metric_id", type: "varchar"},
      {name: "tags", type: "json"},
      {name: "created_at", type: "timestamp"},
      updatedAt,
      {name: "archived_at", type: "timestamp"},
      env
    ]
  },
  {
    name: "billable_metric",
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "name", type: "varchar", required: true},
      {name: "aggregate", type: "varchar"},
      {name: "aggregate_keys", type: "json"},
      {name: "group_keys", type: "json"},
      {name: "created_at", type: "timestamp"},
      {name: "archived_at", type: "timestamp"},
      updatedAt,
      env
    ]
  },
  {
    name: "credit_type",
    key: ["id"],
    version: "updated_at",
    columns: [
      {name: "_metronome_metadata_id", type: "varchar"},
      id,
      {name: "name", type: "varchar", required: true},
      {name: "is_currency", type: "boolean"},
      updatedAt,
      env
    ]
  },
  {
    name: "contracts_contracts",
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "snapshot_id", type: "varchar"},
      {name: "name", type: "varchar"},
      {name: "customer_id", type: "varchar", required: true},
      {name: "package_id", type: "varchar"},
      {name: "rate_card_id", type: "varchar"},
      {name: "starting_at", type: "timestamp", required: true},
      {name: "ending_before", type: "timestamp"},
      {name: "archived_at", type: "timestamp"},
      {name: "multiplier_override_prioritization", type: "varchar"},
      {name: "net_payment_terms_days", type: "integer"},
      {name: "usage_statement_schedule_frequency", type: "varchar"},
      {name: "scheduled_charges_on_usage_invoices", type: "varchar"},
      {name: "metadata", type: "json"},
      {name: "created_at", type: "timestamp"},
      {name: "created_by", type: "varchar"},
      updatedAt,
      env
    ]
  },
  {
    name: "contracts_balances",
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "snapshot_id", type: "varchar"},
      {name: "customer_id", type: "varchar", required: true},
      {name: "contract_id", type: "varchar"},
      {name: "amendment_id", type: "varchar"},
      {name: "type", type: "varchar", required: true},
      {name: "name", type: "varchar"},
      {name: "priority", type: "double"},
      {name: "description", type: "varchar"},
      {name: "product_id", type: "varchar"},
      {name: "access_schedule", type: "json", required: true},
      {name: "invoice_schedule", type: "json"},
      {name: "rollover_fraction", type: "double"},
      {name: "rate_type", type: "varchar"},
      {name: "applicable_product_ids", type: "json"},
      {name: "applicable_product_tags", type: "json"},
      {name: "specifiers", type: "json"},
      {name: "applicable_contract_ids", type: "json"},
      {name: "invoice_contract_id", type: "varchar"},
      {name: "ledger", type: "json"},
      {name: "rolled_over_from_commit_id", type: "varchar"},
      {name: "rolled_over_from_contract_id", type: "varchar"},
      {name: "recurring_commit_id", type: "varchar"},
      {name: "metadata", type: "json"},
      {name: "balance", type: "money"},
      {name: "cost_basis", type: "double"},
      updatedAt,
      env
    ]
  },
  {
    name: "invoice",
    key: ["id"],
    version: "updated_at",
    columns: [
      id,
      {name: "status", type: "varchar", required: true},
      {name: "total", type: "money"},
      {name: "credit_type_id", type: "varchar", required: true},
      {name: "credit_type_name", type: "varchar"},
      {name: "customer_id", type: "varchar", required: true},
      {name: "plan_id", type: "varchar"},
      {name: "plan_name", type: "varchar"},
      {name: "contract_id", type: "varchar"},
      {name: "billing_provider_invoice_id", type: "varchar"},
      {name: "billing_provider_type", type: "varchar"},
      {name: "billing_provider_invoice_created_at", type: "timestamp"},
      {name: "billing_provider_invoice_external_status", type: "varchar"},
      {name: "invoice_label", type: "varchar"},
      {name: "metadata", type: "json"},
      {name: "start_timestamp", type: "timestamp"},
      {name: "end_timestamp", type: "timestamp"},
      {name: "issued_at", type: "timestamp"},
      updatedAt,
      env
    ]
  },
  {name: "line_item", key: ["id"], version: "updated_at", columns: [id, ...lineItemColumns], environmentFrom: {table: "invoice", column: "invoice_id"}},
  {
    name: "draft_invoice",
    optional: true,
    key: ["id", "snapshot_time"],
    version: "updated_at",
    columns: [
      {name: "_metronome_metadata_id", type: "varchar"},
      id,
      {name: "snapshot_time", type: "timestamp", required: true},
      {name: "status", type: "varchar", required: true},
      {name: "total", type: "money"},
      {name: "credit_type_id", type: "varchar", required: true},
      {name: "credit_type_name", type: "varchar"},
      {name: "customer_id", type: "varchar", required: true},
      {name: "plan_id", type: "varchar"},
      {name: "plan_name", type: "varchar"},
      {name: "contract_id", type: "varchar"},
      {name: "billable_status", type: "varchar"},
      {name: "billing_provider_invoice_id", type: "varchar"},
      {name: "billing_provider_invoice_created_at", type: "timestamp"},
      {name: "label", type: "varchar"},
      {name: "start_timestamp", type: "timestamp"},
      {name: "end_timestamp", type: "timestamp"},
      updatedAt,
      env
    ]
  },
  {
    name: "draft_line_item",
    optional: true,
    key: ["id", "snapshot_time"],
    version: "updated_at",
    columns: [{name: "_metronome_metadata_id", type: "varchar"}, id, {name: "snapshot_time", type: "timestamp", required: true}, ...lineItemColumns],
    environmentFrom: {table: "draft_invoice", column: "invoice_id"}
  },
  {name: "breakdowns_invoices", key: ["id", "snapshot_timestamp"], version: "updated_at", columns: breakdownInvoiceColumns},
  {name: "breakdowns_line_items", key: ["id", "snapshot_timestamp"], version: "updated_at", columns: breakdownLineItemColumns, staged: breakdownLineItemsStaged},
  {name: "breakdowns_draft_invoices", optional: true, key: ["id", "snapshot_timestamp"], version: "updated_at", columns: breakdownInvoiceColumns},
  {name: "breakdowns_draft_line_items", optional: true, key: ["id", "snapshot_timestamp"], version: "updated_at", columns: breakdownLineItemColumns, staged: breakdownLineItemsStaged}
];

export const TABLE_NAMES = TABLES.map((t) => t.name);

/** Tables every export must hold. */
export const REQUIRED_TABLES = ["customer"];

/**
 * An export must hold at least one of these complete sets of line tables: the invoices with their line items (the
 * set Metronome's commit-analytics guide enables, with draft_invoice + draft_line_item for daily figures), or the
 * invoice breakdowns (a beta export enabled on request). Daily figures come from the breakdowns when present, else
 * from the draft history, else an even spread (docs/metrics.md, "Daily figures").
 */
export const LINE_TABLE_SETS: readonly (readonly string[])[] = [["invoice", "line_item"], ["breakdowns_invoices", "breakdowns_line_items"]];

export function tableSpec(name: string): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown export table: ${name}`);
  return spec;
}

/** Balance types Metronome exports (contracts_balances.type, lowercase). */
export const BALANCE_TYPES = ["prepaid", "postpaid", "credit"] as const;
