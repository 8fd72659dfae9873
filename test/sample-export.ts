// What the sample's tests share: the small configuration, the views a reader would build over the export's files,
// and the burn definitions the models apply, so each test file checks the files as a reader would see them.
import {createHash} from "node:crypto";
import {cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {SAMPLE_SCENARIOS, generateSampleExport} from "../data-loaders/sample/generate.js";
import type {SampleOptions, SampleStats} from "../data-loaders/sample/generate.js";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";

// Small but complete: full history and every scenario, few ordinary customers.
export const SMALL: Omit<SampleOptions, "out"> = {customers: 24, seed: 7};
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * generateSampleExport, generated once per `npm test` run for each set of options and copied to `out` by every call:
 * the run's folder for them is METERBOOK_TEST_SAMPLES (set by scripts/test.ts, so nothing outlives the run's code).
 * Outside `npm test` it generates. A test of the generator itself (determinism, options) calls generateSampleExport.
 */
export async function sampleExport(options: SampleOptions): Promise<SampleStats> {
  const samples = process.env.METERBOOK_TEST_SAMPLES;
  if (!samples) return generateSampleExport(options);
  const {out, ...rest} = options;
  const dir = join(samples, createHash("sha256").update(JSON.stringify(rest, Object.keys(rest).sort())).digest("hex").slice(0, 16));
  if (!existsSync(join(dir, "stats.json"))) {
    const making = `${dir}.${process.pid}`;
    const stats = await generateSampleExport({...rest, out: join(making, "export")});
    writeFileSync(join(making, "stats.json"), JSON.stringify(stats));
    try {
      renameSync(making, dir);
    } catch {
      rmSync(making, {recursive: true, force: true}); // another test process made it first
    }
  }
  rmSync(out, {recursive: true, force: true});
  cpSync(join(dir, "export"), out, {recursive: true});
  return JSON.parse(readFileSync(join(dir, "stats.json"), "utf8")) as SampleStats;
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function digests(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [relative(dir, f), createHash("sha256").update(readFileSync(f)).digest("hex")]));
}

/** Views a reader would build: latest versions, keys deduplicated, VOID invoices excluded, latest draft snapshot. */
export async function exportViews(connection: DuckDBConnection, dir: string): Promise<void> {
  const t = (name: string) => `read_parquet('${dir}/${name}/*/*.parquet', hive_partitioning = false)`;
  await connection.run(`
    set TimeZone = 'UTC';
    create or replace view customers as select * from ${t("customer")} where environment_type = 'PRODUCTION'
      qualify row_number() over (partition by id order by updated_at desc) = 1;
    create or replace view balances as select * from ${t("contracts_balances")} where environment_type = 'PRODUCTION'
      qualify row_number() over (partition by id order by updated_at desc) = 1;
    create or replace view invoices as select * from ${t("invoice")} where environment_type = 'PRODUCTION'
      qualify row_number() over (partition by id order by updated_at desc) = 1;
    create or replace view segments as
      select b.id as balance_id, b.customer_id, b.type, s.id as segment_id, s.date::timestamptz as start_ts, s.end_date::timestamptz as end_ts, s.amount
      from balances b, unnest(from_json(json_extract(b.access_schedule, '$.schedule_items'),
        '[{"id":"VARCHAR","date":"VARCHAR","end_date":"VARCHAR","amount":"DECIMAL(38,9)"}]')) as u(s);
    create or replace view final_lines as
      select l.* from (select distinct on (id, snapshot_timestamp) * from ${t("breakdowns_line_items")}) l
      join (select distinct on (id, snapshot_timestamp) * from ${t("breakdowns_invoices")}) b on b.id = l.invoice_breakdown_id and b.snapshot_timestamp = l.snapshot_timestamp
      join invoices i on i.id = b.invoice_id
      where i.status = 'FINALIZED' and l.environment_type = 'PRODUCTION';
    create or replace view draft_lines as
      select distinct on (id, snapshot_timestamp) * from ${t("breakdowns_draft_line_items")}
      where environment_type = 'PRODUCTION' and snapshot_timestamp = (select max(snapshot_timestamp) from ${t("breakdowns_draft_line_items")});
    create or replace view usage_lines as select * from final_lines union all by name select * from draft_lines;
  `);
}

/** The burn definitions the models apply (docs/sample-data.md), for every commit segment active on as-of. */
export function burnSql(asOf: string): string {
  const asOfTs = `timestamptz '${asOf} 00:00:00+00'`;
  return `
    with s as (
      select seg.*, date_diff('day', start_ts, end_ts) as days,
        greatest(0, least(date_diff('day', start_ts, ${asOfTs}), date_diff('day', start_ts, end_ts))) as elapsed,
        coalesce((select sum(total) from usage_lines l where l.commit_id = seg.balance_id and l.line_item_type = 'ContractUsageLineItem'
          and l.breakdown_start_timestamp >= seg.start_ts and l.breakdown_start_timestamp < least(seg.end_ts, ${asOfTs})), 0) as burned
      from segments seg where start_ts <= ${asOfTs} and end_ts > ${asOfTs}
    ),
    p as (select *, 100 * burned / (amount * elapsed / days) as pct from s where elapsed > 0)
    select balance_id, customer_id, type, elapsed::integer as elapsed, pct::double as pct,
      case when pct > 110 then 'over' when pct < 80 then 'under' else 'on_track' end as status,
      list_filter([
        case when elapsed <= 7 and pct >= 300 then 'week1_spike' end,
        case when elapsed < 90 and pct > 150 then 'unsustainable' end,
        case when elapsed >= 60 and pct < 50 then 'adoption_risk' end,
        case when amount - burned < 0 then 'negative_balance' end], x -> x is not null) as flags
    from p order by balance_id`;
}

export function scenario(name: string) {
  const s = SAMPLE_SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

/** The small sample generated into `dir`, and a DuckDB connection holding the reader views over it (exportViews). */
export async function openSmallSample(dir: string): Promise<{stats: SampleStats; instance: DuckDBInstance; db: DuckDBConnection}> {
  const stats = await sampleExport({...SMALL, out: dir});
  const {instance, connection: db} = await openDuckDB();
  await exportViews(db, dir);
  return {stats, instance, db};
}

/** Closes what openSmallSample opened and removes the test's temporary folder `root`. */
export function closeSmallSample({instance, db}: {instance?: DuckDBInstance; db?: DuckDBConnection}, root: string): void {
  db?.closeSync();
  instance?.closeSync();
  rmSync(root, {recursive: true, force: true});
}
