// The guide variant's invoice lines, in the API's vocabulary (docs/sample-data.md, "The guide variant"), as tables the
// writers read: g_fin (finalized line items), g_dinv / g_dli (every daily draft snapshot of every period).
//
// A usage line drawn from a commit or credit (it carries commit_id and commit_segment_id) is followed by its applied
// line: same product, commit and segment, the negative total, no quantity. Metronome counts prepaid and credit
// applications in the invoice total and postpaid ones not, so an invoice's total is the sum of its lines minus its
// postpaid applied lines — on-demand usage plus postpaid-drawn usage, the same figure the full variant writes.
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadTable} from "../lib/duckdb.js";
import {addMonths} from "../lib/dates.js";
import type {Model} from "./model.js";

/** The API's line-item types the guide variant writes. */
export const GUIDE_LINE_TYPES = {usage: "usage", applied: "applied_commit_or_credit", commitPurchase: "commit_purchase", scheduled: "scheduled"} as const;

/**
 * Usage lines and their applied lines from a line table `source` with (keys…, pidx, sidx, qty, total_micro,
 * price_micro, id) whose customer is `cidx` (an expression over `l` and the joined tables in `joins`).
 */
function usageWithApplied(seed: number, source: string, keys: string[], cidx: string, joins: string): string {
  const k = keys.map((c) => `${c}, `).join("");
  const from = `from ${source} l ${joins} join p_customer c on c.cidx = ${cidx} join p_product p on p.env = c.env and p.pidx = l.pidx left join p_segment s on s.sidx = l.sidx`;
  return `
    select ${k}l.id, p.name, l.qty, l.total_micro, l.price_micro, s.balance_id as commit_id, s.segment_id, p.id as product_id,
      '${GUIDE_LINE_TYPES.usage}' as line_type, s.balance_type, l.pidx, l.sidx, 0 as ord
    ${from}
    union all
    select ${k}uuidh(hash(${seed}, 'applied', l.id)), p.name || case when s.balance_type = 'credit' then ' (credit applied)' else ' (commit applied)' end,
      null::bigint, -l.total_micro, null::bigint, s.balance_id, s.segment_id, p.id, '${GUIDE_LINE_TYPES.applied}', s.balance_type, l.pidx, l.sidx, 1
    ${from} where l.sidx is not null`;
}

/** What an invoice (or a draft snapshot) totals: its lines, less the postpaid applications Metronome does not count. */
export const GUIDE_TOTAL = `sum(g.total_micro) - sum(case when g.line_type = '${GUIDE_LINE_TYPES.applied}' and g.balance_type = 'postpaid' then g.total_micro else 0 end)`;

/** Builds g_fin, g_dinv and g_dli from the pipeline's fin_li / fin_bli / dr_li (run after buildBulk). */
export async function buildGuideLines(connection: DuckDBConnection, model: Model): Promise<void> {
  const {seed, openMonth} = model.options;
  const run = (sql: string) => connection.run(sql);
  const charges = model.invoices.flatMap((i) => (i.charges ?? []).map((ch, n) => [i.iidx, n, ch.type, ch.productId, ch.name, ch.commitId, BigInt(ch.amount) * 1_000_000n]));
  await loadTable(connection, "p_charge", [["iidx", "INTEGER"], ["n", "INTEGER"], ["type", "VARCHAR"], ["product_id", "VARCHAR"], ["name", "VARCHAR"], ["commit_id", "VARCHAR"], ["amount_micro", "BIGINT"]], charges);
  // Each finalized usage invoice's daily snapshots: the one at the start of day d holds its days before d.
  const snaps: Array<[number, number]> = [];
  for (const i of model.invoices) {
    if (i.lastDraftSnapshot == null) continue;
    for (let day = i.breakdownFrom + 1; day <= i.lastDraftSnapshot; day++) snaps.push([i.iidx, day]);
  }
  await loadTable(connection, "p_hist_snap", [["iidx", "INTEGER"], ["snap_dn", "INTEGER"]], snaps);

  // Finalized lines: usage and applied lines, then the scheduled invoices' charges (quantity 1 at the amount).
  await run(`
    create or replace table g_fin as
    ${usageWithApplied(seed, "fin_li", ["l.iidx"], "i.cidx", "join p_invoice i on i.iidx = l.iidx")}
    union all
    select ch.iidx, uuidh(hash(${seed}, 'charge', i.id, ch.n)), ch.name, 1::bigint, ch.amount_micro, ch.amount_micro, ch.commit_id, null, ch.product_id,
      ch.type, null, null, null, ch.n
    from p_charge ch join p_invoice i on i.iidx = ch.iidx`);

  // A past period's snapshot d: its finalized day-by-day attribution (fin_bli) before d, under the finalized lines' ids.
  await run(`
    create or replace table hist_li as
    with a as (
      select h.snap_dn, b.iidx, b.pidx, b.sidx, sum(b.qty) as qty, sum(b.qty * b.price_micro) as total_micro, max(b.price_micro) as price_micro
      from fin_bli b join p_hist_snap h on h.iidx = b.iidx and b.dn < h.snap_dn
      group by all
    )
    select a.*, li.id from a join fin_li li on li.iidx = a.iidx and li.pidx = a.pidx and li.sidx is not distinct from a.sidx`);

  // Draft headers: the open month's drafts per snapshot, and every finalized period's (its id is the invoice's).
  await run(`
    create or replace table g_dinv as
    select s.snap_dn, d.id, d.cidx, d.contract_id, ${openMonth} as start_dn, ${addMonths(openMonth, 1)} as end_dn, x.cidx is not null as incomplete
    from p_draft d cross join p_snap s left join p_incomplete x on x.cidx = d.cidx and x.snap_dn = s.snap_dn
    union all
    select h.snap_dn, i.id, i.cidx, i.contract_id, i.start_dn, i.end_dn, false
    from p_hist_snap h join p_invoice i on i.iidx = h.iidx`);
  await run(`
    create or replace table g_dli as
    ${usageWithApplied(seed, "(select l.*, d.id as inv_id, d.cidx from dr_li l join p_draft d on d.didx = l.didx)", ["l.snap_dn", "l.inv_id"], "l.cidx", "")}
    union all
    ${usageWithApplied(seed, "(select l.*, i.id as inv_id, i.cidx from hist_li l join p_invoice i on i.iidx = l.iidx)", ["l.snap_dn", "l.inv_id"], "l.cidx", "")}`);
}
