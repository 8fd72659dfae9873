// Metronome API objects (what `@metronome/sdk` returns) → rows of the Data Export tables the export reader reads
// (data-loaders/sources/export/tables.ts), so a pulled folder goes through the same staging and models as an export.
// Every mapping and every gap is listed in docs/api-source.md. Pure functions: no I/O, no clock (times are passed in).
// One file per entity under translate/: customers and the catalog, contracts and balances, invoices and breakdowns.
export type * from "./translate/objects.js";
export {derivedId, money, type PullContext, type Row} from "./translate/rows.js";
export {billableMetricRow, creditTypeRow, customerRow, productRow} from "./translate/customers.js";
export {balanceRow, contractRow, exportLedgerType} from "./translate/contracts.js";
export {breakdownRows, exportInvoiceType, exportLineItemType, invoiceRow, isDraft} from "./translate/invoices.js";
