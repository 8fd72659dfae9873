// The findings catalog: every check that reports a fact of the data instead of stopping the snapshot
// (docs/data-health.md). Each entry declares what a finding of it means and what to do; a check made in SQL is
// `findings/<id>.sql`, which returns one row per affected item with the columns
//   table_name   the export table the item is in (a literal when always the same),
//   example_key  the item's key, `column=value[, column=value]` (e.g. `invoice_id=inv_1, product_id=prod_1`),
//   customer_id  the customer it concerns, or null,
//   detail       what is wrong with it (amounts, dates), or null;
// findings/findings.ts counts them per table and keeps the first 20 keys. To add a check: one SQL file and one entry
// here (and its row in docs/data-health.md). Checks made in TypeScript (staging, cost) are described here too.
import type {Severity} from "../../errors.js";

export interface FindingCheck {
  id: string;
  severity: Severity;
  /** The table the finding is about (a SQL check may name another per row). */
  table: string;
  column: string | null;
  /** What is counted, for the log line: [one, many] (e.g. ["balance", "balances"]). */
  counts: [string, string];
  meaning: string;
  action: string;
  /** Made by `findings/<id>.sql` (default), or in TypeScript by staging or the cost models. */
  source?: "sql" | "staging" | "cost";
}

export const FINDING_CHECKS: FindingCheck[] = [
  {
    id: "breakdowns_disagree_with_invoice",
    severity: "warning",
    table: "breakdowns_line_items",
    column: "total",
    counts: ["finalized invoice line whose daily breakdowns do not sum to the invoice", "finalized invoice lines whose daily breakdowns do not sum to the invoice"],
    meaning:
      "The daily figures (revenue by day, burn by day) of this invoice line come from its breakdowns, and they sum to a different amount than the finalized invoice's line item. Monthly totals read from the invoice and daily totals read from the breakdowns then differ by this amount; a common cause is usage backdated after the invoice was finalized.",
    action: "Compare the invoice in Metronome with its breakdowns; if usage was backdated, the next breakdown delivery usually settles it. Quote monthly amounts from invoices."
  },
  {
    id: "unattributed_burn",
    severity: "warning",
    table: "breakdowns_line_items",
    column: "commit_id",
    counts: ["burn line-day that reaches no segment", "burn line-days that reach no segment"],
    meaning: "A line that draws down a commit or credit names a balance that is not in contracts_balances, or is dated outside every segment of it. Its amount is left out of burn and pacing, so that commit reads as less burned than Metronome has it.",
    action: "Check that contracts_balances was delivered in full (a balance removed in Metronome disappears from it) and that the segment dates cover the line's day."
  },
  {
    id: "no_burn_lines",
    severity: "error",
    table: "line_item",
    column: "line_item_type",
    counts: ["line type naming commits, none of them read as burn", "line types naming commits, none of them read as burn"],
    meaning:
      "Invoice lines name commits or credits (commit_id), but no line is read as usage drawn from one, so every commit reads 0 % burned and every customer with one looks like an adoption risk. The export most likely names its usage lines in a way the line rules do not know.",
    action: "Look at line_categories (and the revenue page's 'How the export's lines were read') and add a line rule for the export's usage lines (docs/line-categories.md)."
  },
  {
    id: "unclassified_lines",
    severity: "warning",
    table: "line_item",
    column: "line_item_type",
    counts: ["invoice line of a type no line rule knows", "invoice lines of a type no line rule knows"],
    meaning: "These lines landed in category other: they count in no figure (not revenue, usage or burn). If they are usage or charges, revenue and burn are understated by their amount.",
    action: "Add a line rule for their line type (docs/line-categories.md); line_categories shows every type read and how."
  },
  {
    id: "segment_boundary_not_midnight",
    severity: "warning",
    table: "contracts_balances",
    column: "access_schedule",
    counts: ["segment with a start or end not at UTC midnight", "segments with a start or end not at UTC midnight"],
    meaning: "Meterbook counts a segment's days by UTC date: a segment starting or ending at another hour (a contract set up in a local time zone) is counted from or to the whole UTC day, so its expected burn and pace can be off by up to a day.",
    action: "Nothing, when a day either way does not matter. Otherwise set the commit's access schedule to UTC midnights in Metronome."
  },
  {
    id: "contract_archived",
    severity: "info",
    table: "contracts_contracts",
    column: "archived_at",
    counts: ["balance of an archived contract left out of pacing", "balances of archived contracts left out of pacing"],
    meaning: "The balance has a segment active on the as-of date, but its contract is archived. It is excluded from pacing, the portfolio's commit totals and customer status; its history stays in balance_segments and burn_daily.",
    action: "Nothing, if the contract was archived on purpose. If it should still count, unarchive it in Metronome."
  },
  {
    id: "balance_absent_from_latest_snapshot",
    severity: "info",
    table: "contracts_balances",
    column: "id",
    counts: ["balance missing from the latest contracts_balances transfer", "balances missing from the latest contracts_balances transfer"],
    meaning: "contracts_balances is a daily snapshot: each transfer lists every balance. This balance appears in an earlier transfer but not in the latest one, so it was removed or archived in Metronome. It is excluded from pacing, the portfolio's commit totals and customer status; its history stays in balance_segments and burn_daily.",
    action: "Nothing, if the commit or credit was removed on purpose. If it should still count, check it in Metronome and that the latest transfer was delivered in full."
  },
  {
    id: "balance_differs_from_metronome",
    severity: "warning",
    table: "contracts_balances",
    column: "balance",
    counts: ["balance whose remaining amount differs from Metronome's", "balances whose remaining amount differs from Metronome's"],
    meaning:
      "Meterbook's remaining (amount minus burn to date, over the segments active on the as-of date) differs from contracts_balances.balance by more than one minor unit. Metronome's balance also counts manual ledger entries, rollovers and cancellations, and is taken at its transfer time, which can be a day's burn apart from the as-of date.",
    action: "Look at the balance's ledger in Metronome for manual adjustments; a difference of about one day's burn is timing. Pacing figures use Meterbook's remaining."
  },
  {
    id: "draft_invoice_past_end",
    severity: "warning",
    table: "draft_invoice",
    column: "end_timestamp",
    counts: ["draft invoice past its end and not finalized", "draft invoices past their end and not finalized"],
    meaning: "The invoice's service period ended more than a day before the as-of date, and the export has it only as a draft. Its figures are the latest draft snapshot's, which can still change; the finalized invoice may be missing from the export's invoice table, or finalization is held up in Metronome.",
    action: "Check the invoice in Metronome (a grace period, or an invoice held for review); if it is finalized there, check that the invoice table's latest transfer was delivered."
  },
  {
    id: "backdated_usage",
    severity: "info",
    table: "breakdowns_draft_line_items",
    column: "total",
    counts: ["day already reported whose amount changed in a later draft snapshot", "days already reported whose amounts changed in a later draft snapshot"],
    meaning:
      "Usage arrived for a day an earlier draft snapshot had already reported (backdated usage): the day's amount for this invoice line changed between two consecutive snapshots, the later one in the 48 hours before the as-of date. Meterbook's figures follow the latest snapshot, as Metronome does, so they are right; a report or alert read from the earlier snapshot showed a different amount for that day, and a spike on it may still move.",
    action: "Nothing for the figures. Before escalating a spike on these days, wait 24 hours (Metronome's guidance) and read the next snapshot."
  },
  {
    id: "stale_table",
    severity: "warning",
    table: "contracts_balances",
    column: null,
    counts: ["daily table behind the rest of the export", "daily tables behind the rest of the export"],
    meaning: "A table Metronome documents as delivered every 24 hours has no transfer on the export's last two transfer days, so its rows (balances, contracts, drafts) are older than the rest of the export and the figures made from them lag.",
    action: "Check the Data Export's delivery for this table in Metronome (a failed or paused transfer), then snapshot again."
  },
  {
    id: "duplicate_deliveries",
    severity: "info",
    table: "invoice",
    column: null,
    counts: ["repeated delivery resolved", "repeated deliveries resolved"],
    meaning: "The export delivers at least once: the same key arrives in several files (updates, or retried transfers). Meterbook kept the latest version of each key; the figures count each row once.",
    action: "Nothing.",
    source: "staging"
  },
  {
    id: "orphan_line_items",
    severity: "warning",
    table: "line_item",
    column: "invoice_id",
    counts: ["line item whose invoice is not in the export", "line items whose invoice is not in the export"],
    meaning: "These line items refer to an invoice the export does not hold. They are kept in staging and left out of every figure.",
    action: "Check that the invoice tables were delivered in full; a later transfer usually brings the invoice.",
    source: "staging"
  },
  {
    id: "unmapped_cost",
    severity: "warning",
    table: "cost",
    column: null,
    counts: ["month-service cost row no rule maps", "month-service cost rows no rule maps"],
    meaning: "Cost that no mapping rule assigns to a product or to shared cost is reported in unallocated_cost and not allocated to customers, so margins read higher than they are.",
    action: "Add a rule for the service or cost center to the cost configuration (docs/unit-economics.md).",
    source: "cost"
  },
  {
    id: "cost_after_as_of",
    severity: "info",
    table: "cost",
    column: null,
    counts: ["cost row on or after the as-of date", "cost rows on or after the as-of date"],
    meaning: "Cost dated on or after the as-of date is outside the snapshot's period and left out of the marts.",
    action: "Nothing; a later snapshot includes it.",
    source: "cost"
  }
];

export function findingCheck(id: string): FindingCheck {
  const check = FINDING_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`finding ${id} is not declared in models/findings/schema.ts`);
  return check;
}
