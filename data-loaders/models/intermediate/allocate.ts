// Splits each monthly cost pool across customers in proportion to their usage, exactly: amounts are integers of
// 10⁻⁹ minor units (the marts' DECIMAL(38,9)), split by the largest-remainder method, so a pool's shares always sum
// to the pool. Done in BigInt, not SQL: pool × weight products exceed DuckDB's 128-bit integers for token counts.
import {LIST, listValue, VARCHAR, type DuckDBConnection} from "@duckdb/node-api";

const SCALE = 9;

/** "12.345" → 12345000000n (units of 10⁻⁹). */
export function toNano(value: string): bigint {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal: ${value}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > SCALE) throw new Error(`more than ${SCALE} decimals: ${value}`);
  const nano = BigInt(whole || "0") * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, "0") || "0");
  return sign ? -nano : nano;
}

/** 12345000000n → "12.345000000". */
export function fromNano(value: bigint): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(SCALE + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`;
}

/**
 * `total` split in proportion to `weights` (all positive): each share is floor(|total|·wᵢ/W), then the units left
 * over go one each to the largest remainders (ties: the earlier weight). Shares sum to `total` exactly; a negative
 * total (net credits) is split as its absolute value and negated.
 */
export function allocateLargestRemainder(total: bigint, weights: bigint[]): bigint[] {
  if (weights.length === 0) return [];
  if (weights.some((w) => w <= 0n)) throw new Error("weights must be positive");
  const sum = weights.reduce((a, b) => a + b, 0n);
  const magnitude = total < 0n ? -total : total;
  const shares = weights.map((w) => (magnitude * w) / sum);
  let left = magnitude - shares.reduce((a, b) => a + b, 0n);
  const order = weights.map((w, i) => ({i, remainder: (magnitude * w) % sum})).sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const {i} of order) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return total < 0n ? shares.map((s) => -s) : shares;
}

interface WeightRow {
  month: string;
  product_id: string | null;
  is_shared: boolean;
  credit_type_id: string;
  customer_id: string;
  weight: string;
  cost_minor: string;
}

/** int_cost_pools × int_cost_weights → int_cost_allocated (grain: pool × customer with usage in it). */
export async function allocateCostPools(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `select w.month::varchar as month, w.product_id, w.is_shared, w.credit_type_id, w.customer_id, w.weight::varchar as weight, p.cost_minor::varchar as cost_minor
     from int_cost_weights as w
     join int_cost_pools as p on p.month = w.month and p.is_shared = w.is_shared and p.product_id is not distinct from w.product_id and p.credit_type_id = w.credit_type_id
     order by w.month, w.is_shared, w.product_id, w.credit_type_id, w.customer_id`
  );
  const rows = reader.getRowObjectsJson() as unknown as WeightRow[];
  const columns: string[][] = [[], [], [], [], [], [], []];
  for (let start = 0; start < rows.length; ) {
    const first = rows[start]!;
    let end = start;
    while (end < rows.length && samePool(rows[end]!, first)) end++;
    const pool = rows.slice(start, end);
    const shares = allocateLargestRemainder(toNano(first.cost_minor), pool.map((r) => toNano(r.weight)));
    pool.forEach((r, i) => {
      const values = [r.month, r.product_id ?? "", String(r.is_shared), r.credit_type_id, r.customer_id, r.weight, fromNano(shares[i]!)];
      values.forEach((v, c) => columns[c]!.push(v));
    });
    start = end;
  }
  await connection.run(
    `create or replace table int_cost_allocated as
     select unnest($1::varchar[])::date as month, nullif(unnest($2::varchar[]), '') as product_id, unnest($3::varchar[])::boolean as is_shared,
       unnest($4::varchar[]) as credit_type_id, unnest($5::varchar[]) as customer_id, unnest($6::varchar[])::decimal(38, 9) as weight,
       unnest($7::varchar[])::decimal(38, 9) as allocated_minor`,
    columns.map((c) => listValue(c)) as never,
    columns.map(() => LIST(VARCHAR)) as never // typed, so that no pools (no cost input) is an empty table, not an error
  );
}

function samePool(a: WeightRow, b: WeightRow): boolean {
  return a.month === b.month && a.is_shared === b.is_shared && a.product_id === b.product_id && a.credit_type_id === b.credit_type_id;
}
