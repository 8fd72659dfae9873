// Staging models over the staged export tables (export/stage.ts types and dedupes each table; these parse its JSON
// columns). The models read these, never the JSON text. Each guard names the balance row whose JSON is unusable.
import {failOnRow, type Model} from "../declare.js";

const balanceRow = (column: string) => ({table: "contracts_balances", column, key: (row: Record<string, string | number>) => `id=${row.balance_id}`});
const accessItem = (where: string, message: (item: Record<string, string | number>) => string) => failOnRow({where, source: balanceRow("access_schedule"), message});

export const STAGING: Model[] = [
  {
    name: "stg_access_schedule_items",
    layer: "staging",
    grain: "access_schedule item of a contracts_balances row (a commit or credit segment)",
    guards: [
      accessItem("date_text is null", (i) => `schedule item ${i.item_index} (${i.segment_id}) has no date`),
      accessItem("starting_at is null", (i) => `schedule item ${i.item_index} has a date that is not a timestamp: ${JSON.stringify(i.date_text)}`),
      accessItem("end_date_text is not null and ending_before is null", (i) => `schedule item ${i.item_index} has an end_date that is not a timestamp: ${JSON.stringify(i.end_date_text)}`),
      accessItem("amount is null", (i) => `schedule item ${i.item_index} has no numeric amount: ${JSON.stringify(i.amount_text)}`),
      accessItem("credit_type_id is null", (i) => `schedule item ${i.item_index} has no credit_type_id`),
      accessItem("segment_id is null", (i) => `schedule item ${i.item_index} has no id`),
      accessItem("ending_before is not null and ending_before <= starting_at", (i) => `schedule item ${i.item_index} ends before it starts (${i.date_text} → ${i.end_date_text})`)
    ],
    private: ["date_text", "end_date_text", "amount_text"]
  },
  {
    name: "stg_invoice_schedule_items",
    layer: "staging",
    grain: "invoice_schedule item of a contracts_balances row",
    guards: [
      failOnRow({where: "invoiced_at is null", source: balanceRow("invoice_schedule"), message: (i) => `invoice schedule item ${i.item_index} has no valid date: ${JSON.stringify(i.date_text)}`})
    ],
    private: ["date_text"]
  },
  {
    name: "stg_ledger_entries",
    layer: "staging",
    grain: "ledger entry of a contracts_balances row"
  }
];
