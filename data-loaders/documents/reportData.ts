// The monthly usage report's queries for one customer (each filtered by customer_id, bound) and the model built
// from their rows; also the report's one data file, the month's daily usage as CSV.
import {documentCreditTypes, documentCustomer, num, numOrNull, type RunQuery} from "../../src/core/documents/rows.js";
import type {CreditTypes} from "../../src/core/format.js";
import {monthPeriod, type Period} from "../../src/core/periods.js";

// $1 customer_id, $2 month start, $3 end of the figures (min(month end, as_of); the month end for invoices) — all [start, end).
export const REPORT_QUERIES = {
  usageDaily: `select strftime(u.date, '%Y-%m-%d') as date, coalesce(p.product_name, u.product_id, 'Other') as product, sum(u.quantity)::double as quantity
    from usage_daily as u left join products as p using (product_id)
    where u.customer_id = $1 and u.date >= $2::date and u.date < $3::date group by all order by all`,
  spendByProduct: `select coalesce(p.product_name, r.product_id, 'Other') as product, r.credit_type_id, sum(r.gross_minor)::double as spend_minor
    from revenue_daily as r left join products as p using (product_id)
    where r.customer_id = $1 and r.date >= $2::date and r.date < $3::date group by all order by spend_minor desc, product`,
  spendTotal: `select credit_type_id, sum(gross_minor)::double as spend_minor
    from revenue_daily where customer_id = $1 and date >= $2::date and date < $3::date group by all order by all`,
  balances: `with month_segments as (
      select * from segments where customer_id = $1 and start_date < $3::date and (end_date is null or end_date > $2::date)
    ), burn as (
      select balance_id, segment_id,
        coalesce(sum(burn_minor) filter (where date < $2::date), 0) as before_minor,
        coalesce(sum(burn_minor) filter (where date >= $2::date and date < $3::date), 0) as drawn_minor,
        -- Pace at the end of the figures: the mart's status on their last day (null when the term ends before it).
        any_value(pace_status) filter (where date = $3::date - 1) as pace
      from burn_daily where customer_id = $1 group by all
    ), final as (
      select s.balance_type, s.balance_name, s.credit_type_id,
        strftime(s.start_date, '%Y-%m-%d') as start_date, strftime(s.end_date, '%Y-%m-%d') as end_date,
        s.amount_minor::double as amount_minor,
        (case when s.start_date >= $2::date then null else s.amount_minor - coalesce(b.before_minor, 0) end)::double as opening_minor,
        coalesce(b.drawn_minor, 0)::double as drawn_minor,
        (s.amount_minor - coalesce(b.before_minor, 0) - coalesce(b.drawn_minor, 0))::double as closing_minor,
        b.pace
      from month_segments as s left join burn as b using (balance_id, segment_id)
    )
    select * from final order by (balance_type = 'credit'), start_date, amount_minor desc, balance_name`,
  invoices: `select strftime(start_date, '%Y-%m-%d') as start_date, strftime(end_date, '%Y-%m-%d') as end_date, status, is_draft,
      strftime(issued_at::date, '%Y-%m-%d') as issued_date, total_minor::double as total_minor, credit_type_id, invoice_id
    from invoices where customer_id = $1 and status <> 'VOID' and start_date >= $2::date and start_date < $3::date
    order by start_date, invoice_id`
};

export interface Balance {
  balance_type: string;
  balance_name: string | null;
  credit_type_id: string;
  start_date: string;
  end_date: string | null;
  amount_minor: number;
  opening_minor: number | null;
  drawn_minor: number;
  closing_minor: number;
  pace: "over" | "under" | "on_track" | null;
}

export interface ReportData {
  customer: {customer_id: string; name: string};
  period: Period;
  creditTypes: CreditTypes;
  usageDaily: {date: string; product: string; quantity: number}[];
  spendByProduct: {product: string; credit_type_id: string; spend_minor: number}[];
  spendTotal: {credit_type_id: string; spend_minor: number}[];
  balances: Balance[];
  invoices: {start_date: string; end_date: string; status: string; is_draft: boolean; issued_date: string | null; total_minor: number; credit_type_id: string; invoice_id: string}[];
}

export async function reportData(run: RunQuery, customerId: string, month: string, asOf: string): Promise<ReportData> {
  const p = monthPeriod(month, asOf);
  const args = [customerId, p.start, p.to];
  const customer = await documentCustomer(run, customerId);
  return {
    customer,
    period: p,
    creditTypes: await documentCreditTypes(run),
    usageDaily: (await run(REPORT_QUERIES.usageDaily, args)).map((r) => ({date: String(r.date), product: String(r.product), quantity: num(r.quantity)})),
    spendByProduct: (await run(REPORT_QUERIES.spendByProduct, args)).map((r) => ({product: String(r.product), credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    spendTotal: (await run(REPORT_QUERIES.spendTotal, args)).map((r) => ({credit_type_id: String(r.credit_type_id), spend_minor: num(r.spend_minor)})),
    balances: (await run(REPORT_QUERIES.balances, args)).map((r) => ({
      ...r, amount_minor: num(r.amount_minor), opening_minor: numOrNull(r.opening_minor), drawn_minor: num(r.drawn_minor), closing_minor: num(r.closing_minor)
    })) as Balance[],
    invoices: (await run(REPORT_QUERIES.invoices, [customerId, p.start, p.end])).map((r) => ({
      start_date: String(r.start_date), end_date: String(r.end_date), status: String(r.status), is_draft: Boolean(r.is_draft),
      issued_date: r.issued_date === null ? null : String(r.issued_date), total_minor: num(r.total_minor), credit_type_id: String(r.credit_type_id), invoice_id: String(r.invoice_id)
    }))
  };
}

/** The month's daily usage as CSV (date, product, quantity): the report's one data file, this customer's rows only. */
export function usageCsv(d: ReportData): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return ["date,product,quantity", ...d.usageDaily.map((r) => `${r.date},${cell(r.product)},${r.quantity}`)].join("\n") + "\n";
}
