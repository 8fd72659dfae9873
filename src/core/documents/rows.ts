// The queries every customer document runs (its customer, the credit types) and the plumbing to run them: SQL with
// bound `$n` parameters, read by native DuckDB at build time or DuckDB-WASM on the site, rows coerced to numbers
// (money leaves SQL summed exactly, then as DOUBLE).
import {creditTypeMap, money, type CreditType, type CreditTypes} from "../format.js";

/** Runs SQL with `$n` parameters bound (never spliced); rows as plain objects. */
export type RunQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export const COMMON_QUERIES = {
  customer: `select customer_id, name from customer where customer_id = $1`,
  creditTypes: `select credit_type_id, name, currency_code, minor_per_major from credit_types`
};

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The customer a document is for; a RangeError when the snapshot has no such customer. */
export async function documentCustomer(run: RunQuery, customerId: string): Promise<{customer_id: string; name: string}> {
  const [customer] = await run(COMMON_QUERIES.customer, [customerId]);
  if (!customer) throw new RangeError(`no customer ${customerId} in the snapshot`);
  return {customer_id: String(customer.customer_id), name: String(customer.name ?? customer.customer_id)};
}

export async function documentCreditTypes(run: RunQuery): Promise<CreditTypes> {
  return creditTypeMap((await run(COMMON_QUERIES.creditTypes, [])).map((r) => ({...r, minor_per_major: num(r.minor_per_major)}) as unknown as CreditType));
}

/** Amounts in several credit types as one text, `$1.00 + €2`: summed per credit type, in first-seen order. */
export function moneySums(rows: [creditTypeId: string, minor: number][], creditTypes: CreditTypes): string {
  const by = new Map<string, number>();
  for (const [id, v] of rows) by.set(id, (by.get(id) ?? 0) + v);
  return [...by].map(([id, v]) => money(v, id, creditTypes)).join(" + ");
}
