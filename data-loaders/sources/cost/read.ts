// Reads infrastructure cost — FOCUS exports (CSV or Parquet) and minimal cost CSVs (date, cost_center, amount,
// currency) — into one staging table, stg_cost, one row per source row with its file and row kept. Every problem
// (missing column, unreadable value, unknown currency, a negative charge that is not a credit, the same charge
// delivered twice for overlapping periods) is an InputError naming file, column and row. docs/unit-economics.md.
import {existsSync, readdirSync, statSync} from "node:fs";
import {basename, join, relative, sep} from "node:path";
import {listValue, type DuckDBConnection} from "@duckdb/node-api";
import type {CostConfig} from "../../config.js";
import {InputError} from "../../errors.js";
import {rows, sqlString} from "../../lib/duckdb.js";
import {ISO_CURRENCIES} from "./currencies.js";

export interface CostFile {
  path: string;
  /** As shown in errors and the manifest: relative to the folder given, or the file name. */
  name: string;
  format: "parquet" | "csv";
}

export interface CostFileSummary {
  file: string;
  kind: "focus" | "minimal";
  rows: number;
}

/** FOCUS columns Meterbook needs (besides the cost column chosen in the config). */
export const FOCUS_REQUIRED = ["ChargePeriodStart", "ChargePeriodEnd", "BillingCurrency", "ServiceName", "ChargeCategory"] as const;
/** FOCUS columns that, with the required ones, identify a charge: rows equal in all of them must not overlap in time. */
export const FOCUS_IDENTITY = [
  "BillingAccountId", "SubAccountId", "ResourceId", "SkuId", "SkuPriceId", "ChargeClass", "ChargeDescription",
  "ChargeFrequency", "PricingCategory", "CommitmentDiscountId", "RegionId", "Tags"
] as const;
export const MINIMAL_REQUIRED = ["date", "cost_center", "amount", "currency"] as const;
/** FOCUS 1.x ChargeCategory values. Negative cost is accepted only on Credit and Adjustment rows. */
export const CHARGE_CATEGORIES = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"] as const;

/** The files a cost config names: each file, or every .csv/.parquet under a folder (sorted, dot-files skipped). */
export function costFiles(paths: string[]): CostFile[] {
  const found: CostFile[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new InputError(`cost file not found: ${path}`, {file: path});
    if (statSync(path).isDirectory()) {
      const walk = (dir: string): string[] =>
        readdirSync(dir, {withFileTypes: true}).filter((e) => !e.name.startsWith(".")).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(path).sort()) {
        const format = formatOf(file);
        if (format) found.push({path: file, name: `${basename(path)}/${relative(path, file).split(sep).join("/")}`, format});
      }
    } else {
      const format = formatOf(path);
      if (!format) throw new InputError(`cost file is neither .csv nor .parquet`, {file: path});
      found.push({path, name: basename(path), format});
    }
  }
  return found;
}

function formatOf(path: string): "parquet" | "csv" | null {
  return path.endsWith(".parquet") ? "parquet" : path.endsWith(".csv") ? "csv" : null;
}

const STG_COST = `create or replace table stg_cost (
  source_file varchar, source_row bigint, source_kind varchar,
  charge_period_start timestamp, charge_period_end timestamp, charge_category varchar,
  service_name varchar, cost_center varchar, tags json, currency varchar, amount decimal(38, 9), identity_key varchar
)`;

/** Creates stg_cost from the configured files (empty when there is no cost input). */
export async function stageCost(connection: DuckDBConnection, cost: CostConfig | null, {log = () => {}}: {log?: (message: string) => void} = {}): Promise<CostFileSummary[]> {
  await connection.run(STG_COST);
  if (!cost) return [];
  await connection.run(`create or replace temporary table cost_currencies (code varchar)`);
  await connection.run(`insert into cost_currencies select unnest($1::varchar[])`, [listValue(ISO_CURRENCIES)] as never);
  const summaries: CostFileSummary[] = [];
  for (const file of costFiles(cost.files)) {
    summaries.push(await stageFile(connection, file, cost.focusCostColumn));
    log(`snapshot: cost ${file.name}: ${summaries.at(-1)!.rows} ${summaries.at(-1)!.kind} rows`);
  }
  await failOnOverlaps(connection);
  return summaries;
}

async function stageFile(connection: DuckDBConnection, file: CostFile, costColumn: string): Promise<CostFileSummary> {
  const source = file.format === "csv" ? `read_csv(${sqlString(file.path)}, all_varchar = true, header = true)` : `read_parquet(${sqlString(file.path)})`;
  let described: {column_name: string; column_type: string}[];
  try {
    described = await rows(connection, `describe select * from ${source}`);
  } catch (error) {
    throw new InputError(`unreadable cost file: ${(error as Error).message.split("\n")[0]}`, {file: file.name});
  }
  const columns = new Map(described.map((d) => [d.column_name, d.column_type]));
  const isFocus = columns.has("BillingCurrency") || columns.has("ChargePeriodStart") || columns.has(costColumn);
  const isMinimal = !isFocus && MINIMAL_REQUIRED.some((c) => columns.has(c));
  if (!isFocus && !isMinimal) {
    throw new InputError(`not a cost file: expected FOCUS columns (${[...FOCUS_REQUIRED, costColumn].join(", ")}) or a minimal cost CSV (${MINIMAL_REQUIRED.join(", ")})`, {file: file.name});
  }
  const required = isFocus ? [...FOCUS_REQUIRED, costColumn] : [...MINIMAL_REQUIRED];
  const missing = required.filter((c) => !columns.has(c));
  if (missing.length) {
    throw new InputError(`${isFocus ? "FOCUS" : "minimal cost"} column${missing.length > 1 ? "s" : ""} missing: ${missing.join(", ")}`, {file: file.name, column: missing[0]});
  }
  // Every value as text first, so that a bad value is reported with its row instead of failing the whole read.
  const text = (c: string) => {
    if (!columns.has(c)) return `null::varchar`;
    const type = columns.get(c)!;
    if (c === "Tags" && type !== "VARCHAR") return `to_json("${c}")::varchar`;
    return `"${c}"::varchar`;
  };
  const numbered = file.format === "csv" ? `row_number() over ()` : `file_row_number + 1`;
  const from = file.format === "csv" ? source : `read_parquet(${sqlString(file.path)}, file_row_number = true)`;
  const wanted = isFocus ? [...FOCUS_REQUIRED, costColumn, ...FOCUS_IDENTITY] : [...MINIMAL_REQUIRED];
  await connection.run(`create or replace temporary table cost_raw as select ${[...new Set(wanted)].map((c) => `${text(c)} as "${c}"`).join(", ")}, ${numbered} as _row from ${from}`);

  const parsed = isFocus
    ? `select _row,
        trim("ChargePeriodStart") as start_text, trim("ChargePeriodEnd") as end_text,
        try_cast(trim("ChargePeriodStart") as timestamptz) as start_at, try_cast(trim("ChargePeriodEnd") as timestamptz) as end_at,
        trim("${costColumn}") as amount_text, try_cast(trim("${costColumn}") as decimal(38, 9)) as amount,
        upper(trim("BillingCurrency")) as currency, trim("ChargeCategory") as charge_category,
        trim("ServiceName") as service_name, null::varchar as cost_center, nullif(trim("Tags"), '') as tags_text,
        concat_ws(chr(31), ${[...FOCUS_REQUIRED.filter((c) => !c.startsWith("ChargePeriod")), ...FOCUS_IDENTITY].map((c) => `coalesce("${c}", '')`).join(", ")}) as identity_key
       from cost_raw`
    : `select _row,
        trim("date") as start_text, trim("date") as end_text,
        try_cast(trim("date") as date)::timestamptz as start_at, (try_cast(trim("date") as date) + 1)::timestamptz as end_at,
        trim("amount") as amount_text, try_cast(trim("amount") as decimal(38, 9)) as amount,
        upper(trim("currency")) as currency, null::varchar as charge_category,
        null::varchar as service_name, nullif(trim("cost_center"), '') as cost_center, null::varchar as tags_text,
        concat_ws(chr(31), coalesce(trim("cost_center"), ''), upper(coalesce(trim("currency"), ''))) as identity_key
       from cost_raw`;
  await connection.run(`create or replace temporary table cost_parsed as ${parsed}`);

  const startColumn = isFocus ? "ChargePeriodStart" : "date";
  const amountColumn = isFocus ? costColumn : "amount";
  const currencyColumn = isFocus ? "BillingCurrency" : "currency";
  // [column, value shown, rows in violation, message]; the first violated check, at its first row, is reported.
  const focusChecks: [string, string, string, string][] = [
    ["ChargePeriodEnd", "end_text", `end_at is null`, "ChargePeriodEnd is not a timestamp"],
    ["ChargePeriodEnd", "end_text", `end_at <= start_at`, "ChargePeriodEnd is not after ChargePeriodStart"],
    ["ChargePeriodEnd", "end_text", `start_at::date <> (end_at - interval 1 microsecond)::date and not (start_at = start_at::date::timestamptz and end_at = end_at::date::timestamptz)`,
      "a charge period spanning several UTC days must start and end at midnight UTC (it is spread evenly over whole days)"],
    ["ServiceName", "service_name", `service_name is null or service_name = ''`, "ServiceName is empty"],
    ["ChargeCategory", "charge_category", `charge_category is null or charge_category not in (${CHARGE_CATEGORIES.map(sqlString).join(", ")})`, `unknown ChargeCategory (expected ${CHARGE_CATEGORIES.join(", ")})`],
    ["Tags", "tags_text", `tags_text is not null and (not coalesce(json_valid(tags_text), false) or json_type(tags_text::json) <> 'OBJECT')`, "Tags is not a JSON object"]
  ];
  const checks: [string, string, string, string][] = [
    [isFocus ? "ChargePeriodStart" : "date", "start_text", `start_at is null`, isFocus ? "ChargePeriodStart is not a timestamp" : "date is not a date (YYYY-MM-DD)"],
    ...(isFocus ? focusChecks : [["cost_center", "cost_center", `cost_center is null`, "cost_center is empty"] as [string, string, string, string]]),
    [amountColumn, "amount_text", `amount is null`, `${amountColumn} is not a decimal number`],
    [currencyColumn, "currency", `currency is null or currency not in (select code from cost_currencies)`, "unknown currency (expected an ISO 4217 code such as USD or EUR)"],
    ...(isFocus ? [[amountColumn, "amount_text", `amount < 0 and charge_category not in ('Credit', 'Adjustment')`, `negative ${costColumn} on a row whose ChargeCategory is not Credit or Adjustment`] as [string, string, string, string]] : [])
  ];
  for (const [column, shown, where, message] of checks) {
    const [bad] = await rows<Record<string, string | number | null>>(connection, `select _row, ${shown} as shown from cost_parsed where ${where} order by _row limit 1`);
    if (bad) throw new InputError(`${message}: ${JSON.stringify(String(bad.shown ?? "")).slice(0, 120)}`, {file: file.name, column, row: Number(bad._row)});
  }
  const [{n}] = (await rows<{n: number}>(connection, `select count(*)::integer as n from cost_parsed`)) as [{n: number}];
  await connection.run(
    `insert into stg_cost
     select $1, _row, $2, start_at::timestamp, end_at::timestamp, charge_category, service_name, cost_center, tags_text::json, currency, amount, identity_key
     from cost_parsed order by _row`,
    [file.name, isFocus ? "focus" : "minimal"] as never
  );
  return {file: file.name, kind: isFocus ? "focus" : "minimal", rows: n};
}

/**
 * The same charge (equal identity) for overlapping periods would be counted twice: stop, naming both rows. Rows are
 * sorted by start within each identity; a row starting before the latest end among the rows before it overlaps one
 * of them (a sort, not a pairwise join: an hourly resource has thousands of rows a year).
 */
async function failOnOverlaps(connection: DuckDBConnection): Promise<void> {
  const [later] = await rows<Record<string, string | number>>(
    connection,
    `with ordered as (
       select source_file, source_row, source_kind, identity_key, charge_period_start, charge_period_end,
         max(charge_period_end) over (partition by source_kind, identity_key order by charge_period_start, source_file, source_row
           rows between unbounded preceding and 1 preceding) as previous_end
       from stg_cost
     )
     select * from ordered where charge_period_start < previous_end order by source_file, source_row limit 1`
  );
  if (!later) return;
  const [earlier] = await rows<Record<string, string | number>>(
    connection,
    `select source_file, source_row from stg_cost
     where source_kind = $1 and identity_key = $2 and charge_period_start < $3::timestamp and $4::timestamp < charge_period_end and not (source_file = $5 and source_row = $6)
     order by charge_period_start, source_file, source_row limit 1`,
    [later.source_kind, later.identity_key, String(later.charge_period_end), String(later.charge_period_start), later.source_file, Number(later.source_row)]
  );
  const what = later.source_kind === "focus" ? "the same FOCUS charge (equal service, category, account, resource, SKU and tags)" : "the same cost_center and currency";
  throw new InputError(
    `overlapping charge periods: ${what} for overlapping periods in ${earlier!.source_file} row ${earlier!.source_row} and ${later.source_file} row ${later.source_row} would be counted twice`,
    {file: String(later.source_file), row: Number(later.source_row), column: later.source_kind === "focus" ? "ChargePeriodStart" : "date"}
  );
}
