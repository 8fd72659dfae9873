// Staging: reads each export table's files into native DuckDB, types every column, drops other environments,
// keeps the latest version of each key, then runs the staging models (models/staging/) that parse the JSON columns
// the models need. The only layer that reads raw files. Each problem becomes an InputError naming table, file,
// column and row. The per-table typing and dedupe stay in TypeScript, generic over export/tables.ts: the column set
// and each column's cast depend on the files found at run time (columns.ts); the JSON parsing is SQL.
import {mkdir, rm} from "node:fs/promises";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {InputError, type Observation} from "../../errors.js";
import {runModels, SCRATCH_COMPRESSION} from "../../models/run.js";
import {STAGING} from "../../models/staging/schema.js";
import {rows, sqlIdentifier as q, sqlString} from "../../lib/duckdb.js";
import {castColumn, csvColumns, parquetColumns, rawQuery, SQL_TYPE, type Cast} from "./columns.js";
import type {ExportFile} from "./discover.js";
import {BALANCE_TYPES, TABLES, type TableSpec} from "./tables.js";
import {fileKey, planTable, type StageCache} from "./cache.js";

export {castColumn} from "./columns.js";

export interface TableCounts {
  files: number;
  rows_in: number;
  rows_other_environment: number;
  duplicates_dropped: number;
  rows_out: number;
}

export interface StagingResult {
  counts: Record<string, TableCounts>;
  findings: Observation[];
}

/**
 * Columns kept beside each staging row for error messages; never written out. `_file` is the file's id in
 * `meterbook_files` (ids rise in transfer order within a table; `source_file(_file)` gives its path), `_row` the
 * 1-based row in that file. Integers, not paths: a path repeated on millions of rows was most of a table's width.
 */
export const PROVENANCE = ["_file", "_row"] as const;

/** Registers every file of the export with an id, and `source_file(id)` → its path relative to the export root. */
export async function registerFiles(connection: DuckDBConnection, files: Map<string, ExportFile[]>): Promise<Map<ExportFile, number>> {
  const ids = new Map<ExportFile, number>();
  await connection.run(`create or replace table meterbook_files (id integer, table_name varchar, path varchar)`);
  const appender = await connection.createAppender("meterbook_files");
  for (const spec of TABLES) {
    for (const file of files.get(spec.name) ?? []) {
      ids.set(file, ids.size);
      appender.appendInteger(ids.size - 1);
      appender.appendVarchar(spec.name);
      appender.appendVarchar(file.relativePath);
      appender.endRow();
    }
  }
  appender.closeSync();
  await connection.run(`create or replace macro source_file(i) as (select any_value(path) from meterbook_files where id = i)`);
  return ids;
}

export interface StageOptions {
  environment: string;
  /** Every file's id (registerFiles); made here when a caller stages one table alone. */
  ids?: Map<ExportFile, number>;
  /**
   * A scratch folder: the tables with a `staged` column list (the breakdown line tables, millions of rows) are typed
   * and staged into Parquet files there (Snappy: scratch), read through views in transfer order, instead of held uncompressed in
   * memory (docs/scaling.md). None: every table in memory.
   */
  scratch?: string | null;
  /** Every documented column, the `staged` lists ignored: for a reader of the whole export (the tests' mock API). */
  allColumns?: boolean;
  /**
   * The staging cache (cache.ts): files it holds are not read again; the typed rows of the files read are added to it.
   * None: every file is read and nothing is kept.
   */
  cache?: StageCache | null;
}

/** Stages one table into `stg_<name>`; returns its counts. */
export async function stageTable(connection: DuckDBConnection, exportSpec: TableSpec, files: ExportFile[], {environment, ids, scratch = null, allColumns = false, cache = null}: StageOptions): Promise<TableCounts> {
  ids ??= await registerFiles(connection, new Map([[exportSpec.name, files]]));
  // Files must still hold every required column; only the staged ones are read.
  const spec = exportSpec.staged && !allColumns ? {...exportSpec, columns: exportSpec.columns.filter((c) => exportSpec.staged!.includes(c.name))} : exportSpec;
  const name = spec.name;
  const target = `stg_${name}`;
  if (files.length === 0) {
    const columns = spec.columns.map((c) => `null::${c.type === "json" ? "json" : SQL_TYPE[c.type]} as ${q(c.name)}`);
    await connection.run(`create or replace table ${target} as select ${columns.join(", ")}, null::integer as _file, null::bigint as _row limit 0`);
    return {files: 0, rows_in: 0, rows_other_environment: 0, duplicates_dropped: 0, rows_out: 0};
  }

  // The files the cache holds are not read again; the others are (all of them without a cache).
  const plan = cache ? await planTable(cache, spec, files) : null;
  const toRead = plan ? plan.misses : files;

  // Required columns, file by file: union_by_name would otherwise fill a missing column with nulls silently. (A file
  // in the cache had them when it was read.)
  const parquet = toRead.filter((f) => f.format === "parquet");
  const present = parquet.length ? await parquetColumns(connection, parquet) : new Map<string, string[]>();
  for (const f of toRead.filter((f) => f.format === "csv")) present.set(f.path, await csvColumns(connection, f));
  // A table that takes a missing environment from its parent row does not need the column.
  const required = exportSpec.columns.filter((c) => c.required && !(c.name === "environment_type" && spec.environmentFrom)).map((c) => c.name);
  for (const f of toRead) {
    const columns = new Set(present.get(f.path) ?? []);
    const missing = required.filter((c) => !columns.has(c));
    if (missing.length) throw new InputError(`required column${missing.length > 1 ? "s" : ""} missing: ${missing.join(", ")}`, {table: name, file: f.relativePath, column: missing[0]!});
  }

  // Segments written to the cache number a row's file by its place in the segment's list (parquet files, then CSV:
  // rawQuery's order), not by this run's ids, which change as files are added.
  const segmentFiles = [...toRead.filter((f) => f.format === "parquet"), ...toRead.filter((f) => f.format === "csv")];
  const readIds = plan ? new Map(segmentFiles.map((f, i) => [f, i])) : ids;
  const sources = new Map<string, string>();
  if (toRead.length) {
    await connection.run(`create or replace temp view raw_${name} as ${rawQuery(toRead, readIds)}`);
    for (const d of await rows<{column_name: string; column_type: string}>(connection, `describe raw_${name}`)) sources.set(d.column_name, d.column_type);
  }
  const held = scratch !== null && exportSpec.staged !== undefined;
  const casts = new Map<string, Cast>();
  for (const column of spec.columns) {
    const source = sources.get(column.name);
    casts.set(column.name, source ? castColumn(column.name, column.type, source) : {expression: `null::${column.type === "json" ? "json" : SQL_TYPE[column.type]}`, failure: null});
  }
  // JSON text is validated once the versions are settled, on the rows kept: a daily-snapshot table repeats every
  // balance's ledger and schedules in every transfer (tens of MB over a year), and only each key's latest version is
  // read. Until then those columns stay text. (Held tables are validated as they are typed.) The cache keeps every JSON
  // column as text, so through it every JSON column is validated so.
  const deferred = held ? [] : spec.columns.filter((c) => c.type === "json" && (plan !== null || sources.get(c.name) === "VARCHAR"));
  const deferredFailures = new Map(deferred.map((c) => [c.name, castColumn(c.name, "json", "VARCHAR")]));
  for (const c of deferred) if (sources.get(c.name) === "VARCHAR") casts.set(c.name, {expression: q(c.name), failure: null});

  /**
   * The first bad value of `columns` at (file, row): an InputError naming table, column, file, row and key. The file
   * is read again alone (it may be one the cache held), its columns cast from its own types.
   */
  const badValue = async (at: {_file: number; _row: number}, columns: typeof spec.columns) => {
    const file = [...ids!].find(([, id]) => id === at._file)![0];
    await connection.run(`create or replace temp view bad_${name} as ${rawQuery([file], ids!)}`);
    const own = new Map((await rows<{column_name: string; column_type: string}>(connection, `describe bad_${name}`)).map((d) => [d.column_name, d.column_type]));
    const failure = (c: (typeof spec.columns)[number]) => (own.has(c.name) ? castColumn(c.name, c.type, own.get(c.name)!).failure : null) ?? "false";
    const [row] = await rows<Record<string, string | number | null>>(
      connection,
      `select source_file(_file) as _path, _row, ${spec.key.map((k) => `${q(k)}::varchar as ${q(k)}`).join(", ")}, ${columns.map((c) => `${failure(c)} as ${q(`bad_${c.name}`)}, ${own.has(c.name) ? q(c.name) : "null"}::varchar as ${q(`value_${c.name}`)}`).join(", ")}
       from bad_${name} where _file = ${at._file} and _row = ${at._row}`
    );
    const column = columns.find((c) => row![`bad_${c.name}`]) ?? columns[0]!;
    const value = row![`value_${column.name}`];
    const what = column.type === "json" ? "malformed JSON" : `value does not convert to ${column.type}`;
    return new InputError(`${what}: ${JSON.stringify(String(value).slice(0, 120))}`, {table: name, column: column.name, file: String(row!._path), row: Number(row!._row), key: keyText(spec, row!)});
  };

  // One scan of the files: every row typed, with whether it is this environment's and whether a value failed to
  // convert. Everything after reads this table, never the files again (but to explain an error).
  const checks = spec.columns.filter((c) => casts.get(c.name)!.failure);
  const bad = checks.length ? checks.map((c) => casts.get(c.name)!.failure).join(" or ") : "false";
  if (plan) {
    // Through the cache: the files read become this run's segment (every JSON column as text), then the table's
    // segments — reused and new — are read back as the typed rows, each row's file renumbered to this run's id.
    const segments = [...plan.reused];
    if (toRead.length) {
      const cached = spec.columns.map((c) => `${casts.get(c.name)!.expression}${c.type === "json" ? "::varchar" : ""} as ${q(c.name)}`).join(",\n      ");
      await connection.run(`copy (select ${cached}, _file as _src, _row, ${bad} as _bad from raw_${name}) to ${sqlString(plan.newSegment)} (format parquet, compression zstd)`);
      segments.push({path: plan.newSegment, files: segmentFiles, keys: segmentFiles.map(fileKey)});
    }
    await plan.commit(segments);
    const columns = spec.columns.map((c) => (c.type === "json" && held ? `${q(c.name)}::json as ${q(c.name)}` : q(c.name))).join(", ");
    // A segment's file this run does not read (gone from the export, or after a time-travel date) maps to -1: left out.
    // One read per segment, each with its own flat list of ids (a nested list would be copied on every row).
    const fileIds = (g: (typeof segments)[number]) => `[${g.files.map((f) => (f ? ids!.get(f)! : -1)).join(", ")}]`;
    const partial = segments.some((g) => g.files.includes(null));
    // A full read's order is rawQuery's (parquet files, then CSV, each in transfer order); segments joined in another
    // order (a file delivered late into an earlier partition) are put back in it.
    const canonical = [...files.filter((f) => f.format === "parquet"), ...files.filter((f) => f.format === "csv")];
    const inOrder = segments.flatMap((g) => g.files.filter((f) => f !== null)).every((f, i) => f === canonical[i]);
    const rank = new Map(canonical.map((f, i) => [ids!.get(f)!, i]));
    const order = inOrder ? "" : ` order by ([${Array.from({length: Math.max(...rank.keys()) + 1}, (_, id) => rank.get(id) ?? 0).join(", ")}])[_file + 1], _row`;
    const read = `
      select *, ${keepExpression(spec, environment)} as _keep from (
        ${segments.map((g) => `select ${columns}, (${fileIds(g)})[_src + 1]::integer as _file, _row, _bad from read_parquet(${sqlString(g.path)})`).join("\n        union all ")}
      )${partial ? " where _file >= 0" : ""}${order}`;
    await connection.run(`create or replace ${held ? "view" : "table"} typed_${name} as ${read}`);
  }
  if (!plan) {
    const typed = spec.columns.map((c) => `${casts.get(c.name)!.expression} as ${q(c.name)}`).join(",\n      ");
    const typedQuery = `
      select ${typed}, _file, _row,
        ${keepExpression(spec, environment)} as _keep,
        ${bad} as _bad
      from raw_${name}`;
    if (held) {
      await mkdir(scratch, {recursive: true});
      await connection.run(`copy (${typedQuery}) to ${sqlString(join(scratch, `typed_${name}.parquet`))} (format parquet, compression ${SCRATCH_COMPRESSION})`);
      await connection.run(`create or replace view typed_${name} as select * from read_parquet(${sqlString(join(scratch, `typed_${name}.parquet`))})`);
    } else {
      await connection.run(`create or replace table typed_${name} as ${typedQuery}`);
    }
  }
  // One pass over the typed rows for the counts and whether any kept row has a bad value or an empty key.
  const [{rows_in, rows_other_environment, any_bad, any_null_key}] = await rows<{rows_in: number; rows_other_environment: number; any_bad: boolean; any_null_key: boolean}>(
    connection,
    `select count(*)::integer as rows_in, count(*) filter (where not _keep)::integer as rows_other_environment,
       coalesce(bool_or(_keep and _bad), false) as any_bad,
       coalesce(bool_or(_keep and (${spec.key.map((k) => `${q(k)} is null`).join(" or ")})), false) as any_null_key
     from typed_${name}`
  ) as [{rows_in: number; rows_other_environment: number; any_bad: boolean; any_null_key: boolean}];

  // Values that do not convert, in this environment's rows: the first one (in transfer order) is reported.
  const [firstBad] = any_bad ? await rows<{_file: number; _row: number}>(connection, `select _file, _row from typed_${name} where _keep and _bad order by _file, _row limit 1`) : [];
  if (firstBad) throw await badValue(firstBad, spec.columns.filter((c) => !deferred.includes(c)));

  const nullKey = !any_null_key ? [] : await rows<{_path: string; _row: number}>(
    connection,
    `select source_file(_file) as _path, _row from typed_${name} where _keep and (${spec.key.map((k) => `${q(k)} is null`).join(" or ")}) order by _file, _row limit 1`
  );
  if (nullKey.length) throw new InputError(`key column is empty`, {table: name, column: spec.key.join(", "), file: nullKey[0]!._path, row: Number(nullKey[0]!._row)});

  // Latest version per key; equal versions with different content are a conflict the export cannot resolve.
  // At-least-once delivery repeats few keys, so only those go through the window functions: one aggregate over the
  // keys finds them, and every other row stays where it is.
  const keys = spec.key.map(q).join(", ");
  const content = spec.columns.map((c) => q(c.name)).join(", ");
  // Grouped by the key's 64-bit hash (a fixed-width aggregate, several times cheaper than the key's text over millions
  // of rows); a collision only brings a few more candidate keys, which the exact grouping then clears.
  await connection.run(`
    create or replace temp table repeated_${name} as
    with candidates as (
      select hash(${keys}) as _h from typed_${name} where _keep group by _h having count(*) > 1
    )
    select ${keys} from typed_${name} where _keep and hash(${keys}) in (select _h from candidates) group by all having count(*) > 1`);
  const [{repeats}] = (await rows<{repeats: number}>(connection, `select count(*)::integer as repeats from repeated_${name}`)) as [{repeats: number}];
  if (repeats > 0) {
    // Each repeated key's versions, ranked: the latest (then the later transfer, then the later row) wins. Losers are
    // deleted from the typed table by rowid, so it too becomes the staging table in place, in transfer order.
    await connection.run(`
      create or replace temp table latest_${name} as
      with repeated as (
        select ${held ? "null::bigint" : "t.rowid"} as _rid, t.* exclude (_keep, _bad) from typed_${name} as t semi join repeated_${name} using (${keys}) where t._keep
      ),
      versioned as (
        select *, hash(${content}) as _content,
          row_number() over (partition by ${keys} order by ${q(spec.version)} desc nulls last, _file desc, _row desc) as _rank,
          max(${q(spec.version)}) over (partition by ${keys}) as _latest
        from repeated
      )
      select * exclude (_latest),
        min(_content) filter (where ${q(spec.version)} is not distinct from _latest) over (partition by ${keys}) as _min_content,
        max(_content) filter (where ${q(spec.version)} is not distinct from _latest) over (partition by ${keys}) as _max_content
      from versioned
    `);
    const conflict = await rows<Record<string, string | number | null>>(connection, `select *, source_file(_file) as _path from latest_${name} where _rank = 1 and _min_content <> _max_content order by ${keys} limit 1`);
    if (conflict.length) {
      const row = conflict[0]!;
      const where = spec.key.map((k) => `${q(k)}::varchar = ${sqlString(String(row[k]))}`).join(" and ");
      const places = await rows<{_path: string; _row: number}>(
        connection,
        `select source_file(_file) as _path, _row from typed_${name} where _keep and ${where} order by _file, _row`
      );
      throw new InputError(
        `duplicate rows disagree: the same key and ${spec.version} appear with different values in ${places.map((p) => `${p._path} row ${p._row}`).join(" and ")}`,
        {table: name, column: spec.key.join(", "), file: String(row._path), row: Number(row._row), key: keyText(spec, row)}
      );
    }
    // Held as Parquet, the losers are left out as the staged file is written (a row is its file and row number).
    if (!held) {
      await connection.run(`delete from typed_${name} where rowid in (select _rid from latest_${name} where _rank > 1)`);
      await connection.run(`drop table latest_${name}`);
    }
  }
  if (held) {
    const losers = repeats > 0 ? `anti join (select _file, _row from latest_${name} where _rank > 1) as losers using (_file, _row)` : "";
    const path = join(scratch, `${target}.parquet`);
    await mkdir(scratch, {recursive: true});
    await connection.run(`copy (select t.* exclude (_keep, _bad) from typed_${name} as t ${losers} where t._keep) to ${sqlString(path)} (format parquet, compression ${SCRATCH_COMPRESSION})`);
    await connection.run(`drop view typed_${name}; drop table if exists latest_${name}; create or replace view ${target} as select * from read_parquet(${sqlString(path)})`);
    if (!plan) await rm(join(scratch, `typed_${name}.parquet`), {force: true});
  } else {
    if (rows_other_environment > 0) await connection.run(`delete from typed_${name} where not _keep`);
    if (deferred.length) {
      const failure = (c: (typeof deferred)[number]) => deferredFailures.get(c.name)!.failure!;
      const [invalid] = await rows<{_file: number; _row: number}>(connection, `select _file, _row from typed_${name} where ${deferred.map(failure).join(" or ")} order by _file, _row limit 1`);
      if (invalid) throw await badValue(invalid, deferred);
      await connection.run(deferred.map((c) => `alter table typed_${name} alter column ${q(c.name)} type json`).join("; "));
    }
    await connection.run(`alter table typed_${name} drop column _keep; alter table typed_${name} drop column _bad; drop table if exists ${target}; alter table typed_${name} rename to ${target};`);
  }
  await connection.run(`drop table repeated_${name}`);
  const [{rows_out}] = (await rows<{rows_out: number}>(connection, `select count(*)::integer as rows_out from ${target}`)) as [{rows_out: number}];
  return {files: files.length, rows_in, rows_other_environment, duplicates_dropped: rows_in - rows_other_environment - rows_out, rows_out};
}

function keyText(spec: TableSpec, row: Record<string, unknown>): string {
  return spec.key.map((k) => `${k}=${row[k]}`).join(", ");
}

/** JSON of contracts_balances and customer, validated, and parsed by the staging models (models/staging/). */
export async function stageParsedJson(connection: DuckDBConnection): Promise<void> {
  const balanceType = await rows<{_file: string; _row: number; id: string; type: string}>(
    connection,
    `select source_file(_file) as _file, _row, id, type from stg_contracts_balances where type is null or lower(type) not in (${BALANCE_TYPES.map(sqlString).join(", ")}) order by stg_contracts_balances._file, _row limit 1`
  );
  if (balanceType.length) {
    const b = balanceType[0]!;
    throw new InputError(`unknown balance type ${JSON.stringify(b.type)} (expected ${BALANCE_TYPES.join(", ")})`, {table: "contracts_balances", column: "type", file: b._file, row: Number(b._row), key: `id=${b.id}`});
  }

  await runModels(connection, STAGING);

  // ingest_aliases must be a JSON array (of strings), custom_fields a JSON object (of strings).
  await failOnJsonShape(connection, "ingest_aliases", "ARRAY", "a JSON array");
  await failOnJsonShape(connection, "custom_fields", "OBJECT", "a JSON object");
}

async function failOnJsonShape(connection: DuckDBConnection, column: string, jsonType: string, what: string): Promise<void> {
  const found = await rows<{_file: string; _row: number; id: string; value: string}>(
    connection,
    `select source_file(_file) as _file, _row, id, ${q(column)}::varchar as value from stg_customer where ${q(column)} is not null and json_type(${q(column)}) <> '${jsonType}' order by stg_customer._file, _row limit 1`
  );
  if (found.length) {
    const f = found[0]!;
    throw new InputError(`${column} is not ${what}: ${f.value.slice(0, 120)}`, {table: "customer", column, file: f._file, row: Number(f._row), key: `id=${f.id}`});
  }
}

/** Line items whose invoice is not in the export: reported, not fatal (the rest of the snapshot is usable). */
export async function findOrphans(connection: DuckDBConnection): Promise<Observation[]> {
  const findings: Observation[] = [];
  const checks: [string, string, string][] = [
    ["line_item", "stg_line_item", "select id from stg_invoice"],
    ["draft_line_item", "stg_draft_line_item", "select id from stg_draft_invoice"],
    ["breakdowns_line_items", "stg_breakdowns_line_items", "select id from stg_breakdowns_invoices"],
    ["breakdowns_draft_line_items", "stg_breakdowns_draft_line_items", "select id from stg_breakdowns_draft_invoices"]
  ];
  for (const [table, staged, parents] of checks) {
    const parentColumn = table.startsWith("breakdowns") ? "invoice_breakdown_id" : "invoice_id";
    const orphans = await rows<{n: number; examples: string[]}>(
      connection,
      `select count(*)::integer as n, list(id order by id)[1:5] as examples from ${staged} where ${parentColumn} not in (${parents})`
    );
    const {n, examples} = orphans[0]!;
    if (n > 0) {
      findings.push({
        check: "orphan_line_items",
        table,
        rows: n,
        examples,
        message: `${n} ${table} row${n > 1 ? "s" : ""} refer to an invoice that is not in the export (${parentColumn}); they are kept in staging and left out of the models`
      });
    }
  }
  return findings;
}

/** Whether a row is of the chosen environment: its own environment_type, else (environmentFrom) its parent's. */
function keepExpression(spec: TableSpec, environment: string): string {
  const own = `environment_type is not distinct from ${sqlString(environment)}`;
  if (!spec.environmentFrom) return own;
  const {table, column} = spec.environmentFrom;
  // The parent is staged before (TABLES' order) and holds only this environment's rows.
  return `case when environment_type is null then ${q(column)} in (select id from stg_${table}) else ${own} end`;
}

export async function stageExport(connection: DuckDBConnection, files: Map<string, ExportFile[]>, options: StageOptions & {log?: (message: string) => void}): Promise<StagingResult> {
  const counts: Record<string, TableCounts> = {};
  const ids = await registerFiles(connection, files);
  for (const spec of TABLES) {
    const start = performance.now();
    counts[spec.name] = await stageTable(connection, spec, files.get(spec.name) ?? [], {...options, ids});
    options.log?.(`snapshot: staged ${spec.name}: ${counts[spec.name]!.rows_out} rows in ${Math.round(performance.now() - start)} ms`);
  }
  await stageParsedJson(connection);
  return {counts, findings: await findOrphans(connection)};
}

/** Every staged table written to staging/: the export tables, then the staging models. */
export const STAGING_TABLES = [...TABLES.map((t) => t.name), ...STAGING.map((m) => m.name.replace(/^stg_/, ""))];
