// The bulk side of the sample, in DuckDB SQL: daily usage per customer × product, commit attribution (which line
// draws which commit segment, with the split line when a commit runs out), and the per-invoice / per-day / per-snapshot
// aggregates the breakdown and line-item tables are written from. The dense benchmark configuration produces millions
// of rows here, so nothing per-row happens in JS; JS only supplies small parameter tables (model.ts).
//
// Money is carried as BIGINT millionths of the minor unit ("micro"): unit prices have at most 6 decimals and
// quantities are whole, so every total and running sum is exact, and integer sums do not depend on the order DuckDB's
// threads add them in (a requirement for byte-identical output).
import type {DuckDBConnection} from "@duckdb/node-api";
import {loadTable} from "../lib/duckdb.js";
import {growthFactor} from "./balances.js";
import {eventFactor, patternFactor} from "./history.js";
import type {Balance, Customer, Model, Segment} from "./model.js";

/** SQL macros shared by the pipeline and the writers. Hash-based values are pure functions of the seed and a key. */
export async function createMacros(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    create or replace macro u01(h) as (h::double / 18446744073709551616.0);
    -- A UUID (version-4 layout) from two 64-bit hashes.
    create or replace macro uuid2(h1, h2) as printf('%08x-%04x-4%03x-%04x-%012x', h1 >> 32, (h1 >> 16) & 65535, h1 & 4095,
      32768 | ((h2 >> 48) & 16383), h2 & 281474976710655);
    create or replace macro uuidh(h) as uuid2(h, hash(h, 'uuid'));
    -- Exact decimal from integer millionths.
    create or replace macro money(micro) as ((micro)::decimal(38, 0) * 0.000001)::decimal(38, 9);
    -- UTC midnight of a day number / a time in seconds since the epoch.
    create or replace macro day_ts(dn) as to_timestamp((dn)::bigint * 86400);
    create or replace macro sec_ts(s) as to_timestamp((s)::bigint);
  `);
}

/** Every commit / credit segment with its index (p_segment.sidx): the order is the model's, so JS and SQL agree. */
export function indexSegments(model: Model): Array<{sidx: number; customer: Customer; balance: Balance; segment: Segment}> {
  const out: Array<{sidx: number; customer: Customer; balance: Balance; segment: Segment}> = [];
  for (const customer of model.customers) {
    for (const contract of customer.contracts) {
      for (const balance of contract.balances) {
        for (const segment of balance.segments) out.push({sidx: out.length, customer, balance, segment});
      }
    }
  }
  return out;
}

/** Load the model's parameter tables (p_*). */
export async function loadParameters(connection: DuckDBConnection, model: Model): Promise<void> {
  const {customers, products, invoices, drafts, snapshots} = model;
  await loadTable(connection, "p_customer", [["cidx", "INTEGER"], ["id", "VARCHAR"], ["env", "VARCHAR"], ["ct_id", "VARCHAR"], ["ct_name", "VARCHAR"]],
    customers.map((c) => [c.cidx, c.id, c.env, c.currency.id, c.currency.name]));
  await loadTable(connection, "p_product", [["env", "VARCHAR"], ["pidx", "INTEGER"], ["id", "VARCHAR"], ["name", "VARCHAR"], ["metric_id", "VARCHAR"]],
    products.map((p) => [p.env, p.pidx, p.id, p.def.name, p.metricId]));
  await loadTable(connection, "p_cprod", [["cidx", "INTEGER"], ["pidx", "INTEGER"], ["share", "DOUBLE"], ["daily_use", "DOUBLE"], ["price_micro", "BIGINT"],
    ["change_dn", "INTEGER"], ["changed_price_micro", "BIGINT"]],
    customers.flatMap((c) => c.products.map((p) => [c.cidx, p.pidx, p.share, p.dailyUse, p.priceMicro, p.priceChange?.day ?? null, p.priceChange?.priceMicro ?? null])));
  // Expected spend per customer and day: the plan's level × growth × the history model's factors (history.ts).
  const days: Array<[number, number, number, number]> = [];
  for (const c of customers) {
    for (const p of c.plans) {
      for (let dn = p.from; dn < p.to; dn++) days.push([c.cidx, dn, p.daily * growthFactor(p.growth, dn - p.from) * patternFactor(p, dn) * eventFactor(p, dn), p.noise]);
    }
  }
  await loadTable(connection, "p_day", [["cidx", "INTEGER"], ["dn", "INTEGER"], ["level", "DOUBLE"], ["noise", "DOUBLE"]], days);
  await loadTable(connection, "p_segment", [["sidx", "INTEGER"], ["cidx", "INTEGER"], ["balance_id", "VARCHAR"], ["segment_id", "VARCHAR"], ["commit_type", "VARCHAR"],
    ["start_dn", "INTEGER"], ["end_dn", "INTEGER"], ["amount_micro", "BIGINT"], ["capped", "BOOLEAN"], ["balance_type", "VARCHAR"]],
    indexSegments(model).map(({sidx, customer: c, balance: b, segment: s}) =>
      // Credits draw like prepaid commits and are labelled PrepaidCommit on lines, as Metronome does.
      [sidx, c.cidx, b.id, s.id, b.type === "postpaid" ? "PostpaidCommit" : "PrepaidCommit", s.start, s.end, BigInt(s.amount) * 1_000_000n, !b.uncapped, b.type]));
  await loadTable(connection, "p_invoice", [["iidx", "INTEGER"], ["id", "VARCHAR"], ["cidx", "INTEGER"], ["contract_id", "VARCHAR"], ["start_dn", "INTEGER"], ["end_dn", "INTEGER"],
    ["bd_from", "INTEGER"], ["bd_to", "INTEGER"], ["dt_dn", "INTEGER"], ["finalized_s", "BIGINT"], ["voided", "BOOLEAN"], ["label", "VARCHAR"]],
    invoices.map((i) => [i.iidx, i.id, i.cidx, i.contractId, i.monthStart, i.monthEnd, i.breakdownFrom, i.breakdownTo, i.deliveredDay, i.finalizedMs / 1000, i.versions.some((v) => v.status === "VOID"),
      i.charges ? "CONTRACT_SCHEDULED" : "CONTRACT_USAGE"]));
  await loadTable(connection, "p_draft", [["didx", "INTEGER"], ["id", "VARCHAR"], ["cidx", "INTEGER"], ["contract_id", "VARCHAR"], ["bd_from", "INTEGER"], ["bd_to", "INTEGER"]],
    drafts.map((d) => [d.didx, d.id, d.cidx, d.contractId, d.breakdownFrom, d.breakdownTo]));
  await loadTable(connection, "p_snap", [["snap_dn", "INTEGER"]], snapshots.map((s) => [s]));
  await loadTable(connection, "p_backdate", [["cidx", "INTEGER"], ["dn", "INTEGER"], ["from_snap", "INTEGER"], ["factor", "DOUBLE"]],
    model.backdates.map((b) => [b.cidx, b.day, b.fromSnapshot, b.factor]));
  await loadTable(connection, "p_reprice", [["cidx", "INTEGER"], ["pidx", "INTEGER"], ["from_snap", "INTEGER"], ["price_micro", "BIGINT"]],
    model.reprices.map((r) => [r.cidx, r.pidx, r.fromSnapshot, r.priceMicro]));
  await loadTable(connection, "p_incomplete", [["cidx", "INTEGER"], ["snap_dn", "INTEGER"]], model.incompletes.map((i) => [i.cidx, i.snapshot]));
}

/**
 * Attribute priced usage rows to commit segments. `rows` has (group columns…, cidx, pidx, dn, price_micro, qty);
 * draws happen in (day, product) order within each segment and group (one group per draft snapshot). With
 * `withPrior`, a segment starts from what it drew before the open month (seg_prior), so each month-to-date snapshot
 * continues the finalized history. The line that crosses the amount is split: the whole units still covered stay on
 * the commit, the rest is overage (no commit). Uncapped segments (the negative-balance scenario) take everything.
 */
function attributionSql(rows: string, group: string[], withPrior: boolean): string {
  const g = group.map((c) => `${c}, `).join("");
  const partition = [...group, "sidx"].join(", ");
  return `
    with j as (
      select ${g}u.cidx, u.pidx, u.dn, u.price_micro, u.qty, u.qty * u.price_micro as full_micro, s.sidx, s.amount_micro, s.capped,
        ${withPrior ? "coalesce(sp.drawn, 0)" : "0"}::bigint as prior
      from (${rows}) u
      left join p_segment s on s.cidx = u.cidx and u.dn >= s.start_dn and u.dn < s.end_dn
      ${withPrior ? "left join seg_prior sp on sp.sidx = s.sidx" : ""}
    ),
    w as (
      select j.*, prior + sum(full_micro) over (partition by ${partition} order by dn, pidx rows unbounded preceding) as cum
      from j where sidx is not null
    ),
    k as (
      select w.*, case
        when not capped or cum <= amount_micro then qty
        when cum - full_micro >= amount_micro then 0
        else (amount_micro - (cum - full_micro)) // price_micro end as covered
      from w
    )
    select ${g}cidx, pidx, dn, price_micro, qty, null::integer as sidx from j where sidx is null
    union all select ${g}cidx, pidx, dn, price_micro, covered, sidx from k where covered > 0
    union all select ${g}cidx, pidx, dn, price_micro, qty - covered, null::integer from k where qty - covered > 0`;
}

/**
 * Breakdown lines tied to their invoice (`<prefix>_bli`, from `<prefix>_lines`, which it drops), stored in partition
 * order so each file's scan touches few row groups, and the line items that sum them (`<prefix>_li`). Line items get
 * their (string) ids here, once, so the big breakdown-line files join them instead of formatting more UUIDs per row.
 * `invoices` is the header table (as `alias`, keyed by `key`), `lead` and `order` the leading columns and the sort of
 * the lines, `group` the key columns of a line item beside product and segment.
 */
async function lineTables(
  run: (sql: string) => Promise<unknown>,
  seed: number,
  t: {prefix: "fin" | "dr"; invoices: string; alias: string; key: string; lead: string; order: string; group: string[]; idTag: string}
): Promise<void> {
  const {alias} = t;
  await run(`
    create or replace table ${t.prefix}_bli as
    select ${t.lead}, l.cidx, l.pidx, l.dn, l.price_micro, l.qty, l.sidx
    from ${t.prefix}_lines l join ${t.invoices} ${alias} on ${alias}.cidx = l.cidx and l.dn >= ${alias}.bd_from and l.dn < ${alias}.bd_to
    order by ${t.order}, l.dn, l.pidx, l.sidx nulls last`);
  await run(`drop table ${t.prefix}_lines`);
  const keys = [...t.group.map((k) => `b.${k}`), "b.pidx", "b.sidx"].join(", ");
  await run(`
    create or replace table ${t.prefix}_li as
    with a as (
      select ${keys}, sum(b.qty) as qty, sum(b.qty * b.price_micro) as total_micro, max(b.price_micro) as price_micro
      from ${t.prefix}_bli b group by ${keys}
    )
    select a.*, uuidh(hash(${seed}, '${t.idTag}', ${alias}.id, a.pidx, coalesce(s.segment_id, ''))) as id
    from a join ${t.invoices} ${alias} on ${alias}.${t.key} = a.${t.key} left join p_segment s on s.sidx = a.sidx`);
}

/** Build every bulk table. Returns nothing; writers read the tables. */
export async function buildBulk(connection: DuckDBConnection, model: Model): Promise<void> {
  const {seed, openMonth, dense} = model.options;
  const run = (sql: string) => connection.run(sql);

  // Daily usage: expected spend (p_day: growth, weekday, seasonality, events) × product share × noise, converted to
  // whole units at the unit price before any list-price change: a price change moves revenue, not quantity.
  // Products used on only some days (dailyUse < 1) spend proportionally more on the days they are used.
  await run(`
    create or replace table usage_raw as
    with priced as (
      select d.cidx, cp.pidx, d.dn, case when d.dn >= cp.change_dn then cp.changed_price_micro else cp.price_micro end as price_micro,
        round(d.level * cp.share / cp.daily_use
          * (1.0 + d.noise * (u01(hash(${seed}, 'n1', d.cidx, cp.pidx, d.dn)) + u01(hash(${seed}, 'n2', d.cidx, cp.pidx, d.dn)) - 1.0))
          * 1000000.0 / cp.price_micro)::bigint as qty
      from p_day d join p_cprod cp on cp.cidx = d.cidx
      where cp.daily_use >= 1.0 or u01(hash(${seed}, 'use', d.cidx, cp.pidx, d.dn)) < cp.daily_use
    )
    -- Dense (benchmark) mode keeps every customer × product × day, even when rounding gives less than one unit.
    select cidx, pidx, dn, price_micro, ${dense ? "greatest(qty, 1) as qty from priced" : "qty from priced where qty > 0"}`);

  // Finalized months: attribution over all history before the open month.
  await run(`create or replace table fin_lines as ${attributionSql(`select * from usage_raw where dn < ${openMonth}`, [], false)}`);
  // What each segment had drawn (uncapped sums) before the open month: where draft attribution resumes.
  await run(`
    create or replace table seg_prior as
    select s.sidx, sum(u.qty * u.price_micro) as drawn
    from usage_raw u join p_segment s on s.cidx = u.cidx and u.dn >= s.start_dn and u.dn < s.end_dn
    where u.dn < ${openMonth} group by s.sidx`);

  // Open month: one copy of month-to-date usage per daily snapshot, with late events and re-rating applied by
  // snapshot, then attributed per snapshot starting from what each segment drew before the month.
  await run(`
    create or replace table dr_usage as
    select s.snap_dn, u.cidx, u.pidx, u.dn,
      coalesce(rp.price_micro, u.price_micro) as price_micro,
      case when b.factor is null then u.qty else round(u.qty * b.factor)::bigint end as qty
    from usage_raw u
    join p_snap s on u.dn < s.snap_dn
    left join p_reprice rp on rp.cidx = u.cidx and rp.pidx = u.pidx and s.snap_dn >= rp.from_snap
    left join p_backdate b on b.cidx = u.cidx and b.dn = u.dn and s.snap_dn >= b.from_snap
    where u.dn >= ${openMonth}
      and not exists (select 1 from p_incomplete x where x.cidx = u.cidx and x.snap_dn = s.snap_dn)`);
  await run("drop table usage_raw");

  // Finalized breakdown lines, tied to their invoice (twice for the voided month: original and reissue). Daily
  // breakdowns, like line items, get their (string) ids here, once.
  await lineTables(run, seed, {prefix: "fin", invoices: "p_invoice", alias: "i", key: "iidx", lead: "i.iidx, i.dt_dn", order: "i.dt_dn, i.iidx", group: ["iidx"], idTag: "li"});
  // One breakdown per invoice and day (zero-usage days included); its total excludes prepaid draws, like the invoice.
  await run(`
    create or replace table fin_bi as
    with days as (select iidx, dt_dn, unnest(range(bd_from, bd_to)) as dn from p_invoice),
    billed as (
      select b.iidx, b.dn, sum(case when s.sidx is null or s.commit_type = 'PostpaidCommit' then b.qty * b.price_micro else 0 end) as total_micro
      from fin_bli b left join p_segment s on s.sidx = b.sidx group by b.iidx, b.dn
    )
    select d.iidx, d.dt_dn, d.dn::integer as dn, coalesce(t.total_micro, 0)::bigint as total_micro,
      uuidh(hash(${seed}, 'bi', i.id, d.dn)) as id
    from days d join p_invoice i on i.iidx = d.iidx left join billed t on t.iidx = d.iidx and t.dn = d.dn`);

  await run(`create or replace table dr_lines as ${attributionSql("select * from dr_usage", ["snap_dn"], true)}`);
  await run("drop table dr_usage");
  // Draft ids are stable across snapshots (the key is id + snapshot time).
  await lineTables(run, seed, {prefix: "dr", invoices: "p_draft", alias: "d", key: "didx", lead: "l.snap_dn, d.didx", order: "l.snap_dn, d.didx", group: ["snap_dn", "didx"], idTag: "dli"});
  await run(`
    create or replace table dr_bi as
    with days as (
      select s.snap_dn, d.didx, d.cidx, unnest(range(d.bd_from, least(d.bd_to, s.snap_dn))) as dn
      from p_draft d join p_snap s on s.snap_dn > d.bd_from
      where not exists (select 1 from p_incomplete x where x.cidx = d.cidx and x.snap_dn = s.snap_dn)
    ),
    billed as (
      select b.snap_dn, b.didx, b.dn, sum(case when s.sidx is null or s.commit_type = 'PostpaidCommit' then b.qty * b.price_micro else 0 end) as total_micro
      from dr_bli b left join p_segment s on s.sidx = b.sidx group by b.snap_dn, b.didx, b.dn
    )
    select d.snap_dn, d.didx, d.dn::integer as dn, coalesce(t.total_micro, 0)::bigint as total_micro,
      uuidh(hash(${seed}, 'dbi', p.id, d.dn)) as id
    from days d join p_draft p on p.didx = d.didx left join billed t on t.snap_dn = d.snap_dn and t.didx = d.didx and t.dn = d.dn`);
}

/**
 * Finalized draws per (segment, invoice), month-to-date draws per (segment, snapshot), and draws per (segment, day)
 * before the open month (the past daily balance snapshots): ledgers and balances.
 */
export async function segmentDraws(connection: DuckDBConnection): Promise<{
  finalized: Array<{sidx: number; iidx: number; micro: bigint}>;
  drafts: Array<{sidx: number; snapshot: number; micro: bigint}>;
  daily: Array<{sidx: number; day: number; micro: bigint}>;
}> {
  const finalized = await connection.runAndReadAll(`
    select b.sidx, b.iidx, sum(b.qty * b.price_micro)::bigint as micro
    from fin_bli b join p_invoice i on i.iidx = b.iidx
    where b.sidx is not null and not i.voided
    group by b.sidx, b.iidx order by b.sidx, b.iidx`);
  const drafts = await connection.runAndReadAll(`
    select sidx, snap_dn, sum(qty * price_micro)::bigint as micro from dr_bli where sidx is not null
    group by sidx, snap_dn order by sidx, snap_dn`);
  const daily = await connection.runAndReadAll(`
    select b.sidx, b.dn, sum(b.qty * b.price_micro)::bigint as micro
    from fin_bli b join p_invoice i on i.iidx = b.iidx
    where b.sidx is not null and not i.voided
    group by b.sidx, b.dn order by b.sidx, b.dn`);
  return {
    finalized: finalized.getRows().map(([sidx, iidx, micro]) => ({sidx: Number(sidx), iidx: Number(iidx), micro: BigInt(micro as bigint)})),
    drafts: drafts.getRows().map(([sidx, snap, micro]) => ({sidx: Number(sidx), snapshot: Number(snap), micro: BigInt(micro as bigint)})),
    daily: daily.getRows().map(([sidx, dn, micro]) => ({sidx: Number(sidx), day: Number(dn), micro: BigInt(micro as bigint)}))
  };
}
