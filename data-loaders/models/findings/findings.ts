// Findings: runs the SQL checks of the catalog (findings/schema.ts) over the built models, describes every
// observation (these and those of staging and the cost models) with what the catalog declares, and writes them into
// the table the `findings` mart reads. A finding never stops a snapshot; `--strict` fails on error-level ones.
import {readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Finding, Observation, Severity} from "../../errors.js";
import {rows, withWholeBudget} from "../../lib/duckdb.js";
import type {TableCounts} from "../../sources/export/stage.js";
import {FINDING_CHECKS, findingCheck, type FindingCheck} from "./schema.js";

const DIR = dirname(fileURLToPath(import.meta.url));

/** Example keys kept per finding. */
export const MAX_EXAMPLES = 20;

export function findingSql(check: FindingCheck): string {
  return readFileSync(join(DIR, `${check.id}.sql`), "utf8");
}

/** Runs each SQL check of `checks`; one observation per check and table with at least one row. */
export async function runFindingChecks(connection: DuckDBConnection, checks: FindingCheck[] = FINDING_CHECKS, log: (message: string) => void = () => {}): Promise<Observation[]> {
  await connection.run(readFileSync(join(DIR, "macros.sql"), "utf8"));
  const observations: Observation[] = [];
  for (const check of checks.filter((c) => (c.source ?? "sql") === "sql")) {
    const start = performance.now();
    const found = await withWholeBudget(connection, `finding check ${check.id}`, log, () => rows<{table_name: string; n: number; keys: string[]; customers: (string | null)[]; details: (string | null)[]}>(
      connection,
      `with found as (\n${findingSql(check)}\n),
      ranked as (select *, row_number() over (partition by table_name order by example_key) as k from found)
      select table_name, count(*)::integer as n,
        list(example_key order by k) filter (where k <= ${MAX_EXAMPLES}) as keys,
        list(customer_id order by k) filter (where k <= ${MAX_EXAMPLES}) as customers,
        list(detail order by k) filter (where k <= ${MAX_EXAMPLES}) as details
      from ranked group by table_name order by table_name`
    ));
    for (const f of found) {
      const first = f.details[0] ? `${f.keys[0]}: ${f.details[0]}` : f.keys[0];
      observations.push({
        check: check.id,
        table: f.table_name ?? check.table,
        rows: f.n,
        examples: f.keys,
        example_customers: f.customers,
        example_details: f.details,
        message: `${f.n} ${f.n === 1 ? check.counts[0] : check.counts[1]}${first ? `, e.g. ${first}` : ""}`
      });
    }
    log(`snapshot: finding check ${check.id} in ${Math.round(performance.now() - start)} ms`);
  }
  return observations;
}

/**
 * Contracts tables are daily snapshots keyed by id alone: each transfer repeats every row on purpose, so a repeat
 * there is the next day's version, not a repeated delivery.
 */
const SNAPSHOT_TABLES = new Set(["contracts_contracts", "contracts_balances"]);

/** Repeated deliveries of a key that staging resolved (the latest version kept), one per table. */
export function duplicateDeliveries(counts: Record<string, TableCounts>): Observation[] {
  return Object.entries(counts)
    .filter(([table, c]) => c.duplicates_dropped > 0 && !SNAPSHOT_TABLES.has(table))
    .map(([table, c]) => ({
      check: "duplicate_deliveries",
      table,
      rows: c.duplicates_dropped,
      examples: [],
      message: `${c.duplicates_dropped} repeated deliver${c.duplicates_dropped === 1 ? "y" : "ies"} of a row (updates or retried transfers) resolved: the latest version of each key kept, ${c.rows_out} rows`
    }));
}

/** An observation with what the catalog declares about its check. */
export function describe(observation: Observation, checks: FindingCheck[] = FINDING_CHECKS): Finding {
  const check = checks.find((c) => c.id === observation.check) ?? findingCheck(observation.check);
  return {
    ...observation,
    examples: observation.examples.slice(0, MAX_EXAMPLES),
    ...(observation.example_customers && {example_customers: observation.example_customers.slice(0, MAX_EXAMPLES)}),
    ...(observation.example_details && {example_details: observation.example_details.slice(0, MAX_EXAMPLES)}),
    severity: check.severity,
    column: check.column,
    meaning: check.meaning,
    action: check.action
  };
}

/** Severity, then check, then table: the order of the log and of `meterbook doctor`. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank: Record<Severity, number> = {error: 0, warning: 1, info: 2};
  return [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.check.localeCompare(b.check) || a.table.localeCompare(b.table));
}

/** The snapshot log's line for a finding. */
export function findingLine(f: Finding): string {
  return `${f.severity}: ${f.check} [${f.table}${f.column ? `.${f.column}` : ""}]: ${f.message}`;
}

/** The table `mart_findings` reads: one row per finding. */
export async function writeFindingsTable(connection: DuckDBConnection, findings: Finding[]): Promise<void> {
  await connection.run(`create or replace table meterbook_findings (
    check_id varchar, severity varchar, table_name varchar, column_name varchar, finding_count integer,
    example_keys varchar[], example_customer_ids varchar[], example_details varchar[], summary varchar, meaning varchar, action varchar
  )`);
  for (const f of findings) {
    const list = (values: (string | null)[] | undefined) => JSON.stringify(f.examples.map((_, i) => values?.[i] ?? null));
    await connection.run(
      `insert into meterbook_findings values ($1, $2, $3, $4, $5, from_json($6, '["VARCHAR"]'), from_json($7, '["VARCHAR"]'), from_json($8, '["VARCHAR"]'), $9, $10, $11)`,
      [f.check, f.severity, f.table, f.column, f.rows, JSON.stringify(f.examples), list(f.example_customers), list(f.example_details), f.message, f.meaning, f.action] as never
    );
  }
}
