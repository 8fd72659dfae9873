// The mock Metronome API's data: one generated sample export, read through Meterbook's own export reader (staging
// keeps the latest version of every row), then rendered as the JSON the API returns for the same account on the
// export's as-of day. So an export and an API pull of "the same data" start from one truth: the tests snapshot both
// and compare the marts. What the API shows as current state is what the models pick from an export's history:
// finalized invoices' latest breakdowns (voided ones have none), each open invoice's latest draft snapshot.
import type {DuckDBConnection} from "@duckdb/node-api";
import {discoverExport} from "../../data-loaders/sources/export/discover.js";
import {stageExport} from "../../data-loaders/sources/export/stage.js";
import {openDuckDB, rows} from "../../data-loaders/lib/duckdb.js";
import {LEDGER_TYPES} from "../../data-loaders/sources/api/translate/contracts.js";

/** Export ledger entry type → the API's (the inverse of the pull's translation). */
const API_LEDGER_TYPES = new Map(Object.entries(LEDGER_TYPES).map(([api, exported]) => [exported, api]));

type Json = Record<string, unknown>;

export interface MockData {
  asOf: string;
  customers: Json[];
  metrics: Json[];
  products: Json[];
  creditTypes: Json[];
  contracts: Map<string, Json[]>;
  balances: Map<string, Json[]>;
  invoices: Map<string, Json[]>;
  /** Per customer, ordered by window start then invoice id. */
  breakdowns: Map<string, Json[]>;
  /** Every customer × metric with usage, every day of the data's range (0 when none). */
  usage: Json[];
}

/** Drop null/undefined members: the API omits absent optional fields (most are not nullable in its schemas). */
function compact(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

function query(connection: DuckDBConnection, sql: string): Promise<Json[]> {
  return rows<Json>(connection, sql);
}

function group(rows: Json[], key: string): Map<string, Json[]> {
  const map = new Map<string, Json[]>();
  for (const row of rows) {
    const k = String(row[key]);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const parse = (text: unknown) => (typeof text === "string" ? JSON.parse(text) : text);
const apiInvoiceType = (type: unknown) => (type === "CONTRACT_USAGE" ? "USAGE" : type === "CONTRACT_SCHEDULED" ? "SCHEDULED" : String(type ?? "USAGE"));
const apiLineType = (type: unknown) => (type === "ContractUsageLineItem" ? "usage" : String(type ?? "usage"));

export async function buildMockData(exportDir: string, asOf: string, environment = "PRODUCTION"): Promise<MockData> {
  const {instance, connection} = await openDuckDB();
  try {
    // Every column: the API serves fields (unit_price, …) the snapshot's slimmer staging leaves out.
    await stageExport(connection, discoverExport(exportDir), {environment, allColumns: true});
    await connection.run(`create or replace macro iso(t) as strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ')`);
    await connection.run(`create or replace table as_of as select '${asOf}'::date as as_of`);

    const customers = (await query(connection, `
      select id, name, ingest_aliases, custom_fields, salesforce_account_id, iso(created_at) as created_at, iso(updated_at) as updated_at, iso(archived_at) as archived_at
      from stg_customer order by id`)).map((c) => ({
      ...compact({id: c.id, external_id: c.id, name: c.name, ingest_aliases: parse(c.ingest_aliases) ?? [], custom_fields: parse(c.custom_fields) ?? {},
        customer_config: {salesforce_account_id: c.salesforce_account_id ?? null}, created_at: c.created_at ?? c.updated_at, updated_at: c.updated_at}),
      archived_at: c.archived_at ?? null
    }));

    const metrics = (await query(connection, `select id, name, aggregate, aggregate_keys, group_keys, iso(archived_at) as archived_at from stg_billable_metric order by id`)).map((m) =>
      compact({id: m.id, name: m.name, aggregation_type: m.aggregate, aggregation_key: (parse(m.aggregate_keys) ?? [])[0], group_keys: parse(m.group_keys) ?? [], archived_at: m.archived_at}));

    const products = (await query(connection, `select id, name, type, billable_metric_id, tags, iso(created_at) as created_at, iso(archived_at) as archived_at from stg_product order by id`)).map((p) => {
      const state = compact({name: p.name, created_at: p.created_at ?? "2025-01-01T00:00:00.000Z", created_by: "sample", billable_metric_id: p.billable_metric_id, tags: parse(p.tags) ?? []});
      return compact({id: p.id, type: p.type ?? "USAGE", archived_at: p.archived_at, initial: state, current: state, updates: []});
    });

    const creditTypes = (await query(connection, `select id, name, is_currency from stg_credit_type order by id`)).map(compact);

    const contracts = group((await query(connection, `
      select id, customer_id, name, rate_card_id, iso(starting_at) as starting_at, iso(ending_before) as ending_before, iso(archived_at) as archived_at,
        iso(created_at) as created_at, created_by, net_payment_terms_days, upper(usage_statement_schedule_frequency) as frequency
      from stg_contracts_contracts order by customer_id, starting_at, id`)).map((c) =>
      compact({id: c.id, customer_id: c.customer_id, name: c.name, rate_card_id: c.rate_card_id, starting_at: c.starting_at, ending_before: c.ending_before, archived_at: c.archived_at,
        created_at: c.created_at ?? c.starting_at, created_by: c.created_by ?? "sample", net_payment_terms_days: c.net_payment_terms_days,
        commits: [], overrides: [], scheduled_charges: [], transitions: [], usage_filter: [],
        usage_statement_schedule: {frequency: c.frequency ?? "MONTHLY", billing_anchor_date: c.starting_at}})), "customer_id");

    const balances = group((await query(connection, `
      select b.id, b.customer_id, b.contract_id, upper(b.type) as type, b.name, b.priority, b.product_id, coalesce(p.name, b.product_id) as product_name,
        b.access_schedule, b.invoice_schedule, b.rate_type, b.balance::double as balance, b.ledger
      from stg_contracts_balances b left join stg_product p on p.id = b.product_id order by b.customer_id, b.id`)).map((b) => {
      const access = parse(b.access_schedule);
      const invoice = parse(b.invoice_schedule);
      const creditType = (s: Json) => ({id: s.credit_type_id, name: s.credit_type_name});
      const items = (access.schedule_items ?? []).map((i: Json) => ({id: i.id, amount: i.amount, starting_at: i.date, ending_before: i.end_date}));
      return compact({
        id: b.id,
        type: b.type,
        customer_id: b.customer_id,
        name: b.name,
        priority: b.priority,
        rate_type: b.rate_type,
        product: {id: b.product_id, name: b.product_name},
        contract: b.contract_id ? {id: b.contract_id} : null,
        access_schedule: {credit_type: creditType(access), schedule_items: items},
        invoice_schedule: invoice && b.type !== "CREDIT"
          ? {credit_type: creditType(invoice), do_not_invoice: invoice.do_not_invoice ?? false,
              schedule_items: (invoice.schedule_items ?? []).map((i: Json) => compact({id: i.id, amount: i.amount, quantity: 1, unit_price: i.amount, timestamp: i.date, invoice_id: i.invoice_id}))}
          : null,
        balance: b.balance,
        // The ledger the API returns with include_ledgers: the export's entries under the API's upper-case types.
        // The API names the segment of a postpaid deduction, which the export's entry leaves out: the schedule item
        // whose [starting_at, ending_before) holds the entry's time.
        ledger: b.ledger
          ? (parse(b.ledger) as Json[]).map((e) => compact({
              ...e,
              type: API_LEDGER_TYPES.get(String(e.type)) ?? String(e.type).toUpperCase(),
              segment_id: e.segment_id ?? (String(e.type) === "postpaid_automated_invoice_deduction"
                ? items.find((i: Json) => String(i.starting_at) <= String(e.timestamp) && (!i.ending_before || String(e.timestamp) < String(i.ending_before)))?.id ?? items[0]?.id
                : undefined)
            }))
          : undefined,
        created_at: b.type === "CREDIT" ? null : (items[0]?.starting_at ?? null)
      });
    }), "customer_id");

    // `billable_status` is left out of invoices: the spec declares it `type: object` with a $ref to a string enum (no
    // value satisfies both) and "dependent on your client's configuration"; the SDK types it `unknown`.
    // The breakdown windows the API returns now: what int_daily_lines picks from the export's history.
    await connection.run(`
      create or replace table chosen_breakdowns as
      with voided as (select id from stg_invoice where upper(status) = 'VOID'),
      closed as (select id from stg_invoice union select invoice_id from stg_breakdowns_invoices),
      fin as (
        select invoice_id, max(snapshot_timestamp) as snapshot_timestamp from stg_breakdowns_invoices
        where invoice_id not in (select id from voided) group by invoice_id
      ),
      dr as (
        select invoice_id, max(snapshot_timestamp) as snapshot_timestamp from stg_breakdowns_draft_invoices, as_of
        where snapshot_timestamp < as_of.as_of + interval 1 day and invoice_id not in (select id from closed) group by invoice_id
      )
      select bi.*, 'FINALIZED' as status, false as is_draft from stg_breakdowns_invoices bi join fin using (invoice_id, snapshot_timestamp)
      union all by name
      select bi.*, 'DRAFT' as status, true as is_draft from stg_breakdowns_draft_invoices bi join dr using (invoice_id, snapshot_timestamp)`);
    await connection.run(`
      create or replace table chosen_lines as
      select li.*, b.customer_id as b_customer_id from stg_breakdowns_line_items li join chosen_breakdowns b on not b.is_draft and b.id = li.invoice_breakdown_id and b.snapshot_timestamp = li.snapshot_timestamp
      union all
      select li.*, b.customer_id from stg_breakdowns_draft_line_items li join chosen_breakdowns b on b.is_draft and b.id = li.invoice_breakdown_id and b.snapshot_timestamp = li.snapshot_timestamp`);
    const lines = group(await query(connection, `
      select invoice_breakdown_id, name, total::double as total, quantity::double as quantity, unit_price::double as unit_price, product_id, product_type,
        credit_type_id, credit_type_name, commit_id, commit_segment_id, commit_type, line_item_type, iso(breakdown_start_timestamp) as starting_at, iso(breakdown_end_timestamp) as ending_before
      from chosen_lines order by invoice_breakdown_id, product_id, commit_segment_id nulls last, id`), "invoice_breakdown_id");
    const breakdowns = group((await query(connection, `
      select id, invoice_id, customer_id, credit_type_id, credit_type_name, status, total::double as total, type, contract_id, net_payment_term_days,
        lower(billable_status) as billable_status, iso(issued_at) as issued_at, iso(invoice_start_timestamp) as start_timestamp, iso(invoice_end_timestamp) as end_timestamp,
        iso(breakdown_start_timestamp) as breakdown_start_timestamp, iso(breakdown_end_timestamp) as breakdown_end_timestamp
      from chosen_breakdowns order by customer_id, breakdown_start_timestamp, invoice_id`)).map((b) =>
      compact({
        id: b.invoice_id, customer_id: b.customer_id, credit_type: {id: b.credit_type_id, name: b.credit_type_name}, status: b.status, total: b.total, type: apiInvoiceType(b.type),
        contract_id: b.contract_id, net_payment_terms_days: b.net_payment_term_days, issued_at: b.status === "FINALIZED" ? b.issued_at : null,
        start_timestamp: b.start_timestamp, end_timestamp: b.end_timestamp, breakdown_start_timestamp: b.breakdown_start_timestamp, breakdown_end_timestamp: b.breakdown_end_timestamp,
        line_items: (lines.get(String(b.id)) ?? []).map((l) => compact({
          name: l.name, total: l.total, quantity: l.quantity, unit_price: l.unit_price, product_id: l.product_id, product_type: l.product_type,
          credit_type: {id: l.credit_type_id, name: l.credit_type_name}, type: apiLineType(l.line_item_type),
          commit_id: l.commit_id, commit_segment_id: l.commit_segment_id, commit_type: l.commit_type, starting_at: l.starting_at, ending_before: l.ending_before
        }))
      })), "customer_id");

    // Invoices: finalized and voided as they stand, plus each open invoice's latest draft snapshot up to as-of.
    const invoices = group((await query(connection, `
      with closed as (select id from stg_invoice),
      latest as (
        select id, max(snapshot_time) as snapshot_time from stg_draft_invoice, as_of
        where snapshot_time < as_of.as_of + interval 1 day and id not in (select id from closed) group by id
      )
      select id, customer_id, credit_type_id, credit_type_name, upper(status) as status, total::double as total, invoice_label as label, contract_id,
        iso(start_timestamp) as start_timestamp, iso(end_timestamp) as end_timestamp, iso(issued_at) as issued_at, null as billable_status
      from stg_invoice
      union all
      select d.id, d.customer_id, d.credit_type_id, d.credit_type_name, upper(d.status), d.total::double, d.label, d.contract_id,
        iso(d.start_timestamp), iso(d.end_timestamp), null, lower(d.billable_status)
      from stg_draft_invoice d join latest using (id, snapshot_time)
      order by customer_id, start_timestamp, id`)).map((i) =>
      compact({
        id: i.id, customer_id: i.customer_id, credit_type: {id: i.credit_type_id, name: i.credit_type_name}, status: i.status, total: i.total ?? 0, type: apiInvoiceType(i.label),
        contract_id: i.contract_id, start_timestamp: i.start_timestamp, end_timestamp: i.end_timestamp, issued_at: i.issued_at, line_items: []
      })), "customer_id");

    // Usage per customer × metric × day: the chosen lines' quantities, on every day of the range.
    const usage = (await query(connection, `
      with per_day as (
        select l.b_customer_id as customer_id, coalesce(l.billable_metric_id, p.billable_metric_id) as metric_id, l.breakdown_start_timestamp::date as date, sum(l.quantity)::double as value
        from chosen_lines l left join stg_product p on p.id = l.product_id
        where l.product_id is not null group by all
      ),
      pairs as (select distinct customer_id, metric_id from per_day where metric_id is not null),
      days as (select unnest(range((select min(date) from per_day), (select as_of from as_of), interval 1 day))::date as date)
      select p.customer_id, p.metric_id as billable_metric_id, m.name as billable_metric_name, iso(d.date::timestamp) as start_timestamp,
        iso(d.date::timestamp + interval 1 day) as end_timestamp, coalesce(u.value, 0) as value
      from pairs p cross join days d join stg_billable_metric m on m.id = p.metric_id
      left join per_day u on u.customer_id = p.customer_id and u.metric_id = p.metric_id and u.date = d.date
      order by p.metric_id, p.customer_id, d.date`));

    return {asOf, customers, metrics, products, creditTypes, contracts, balances, invoices, breakdowns, usage};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
