// Where the built site under test is: the offline build `npm test` made, or a fresh offline build when a browser
// test file runs on its own.
import {existsSync, readdirSync} from "node:fs";
import {join} from "node:path";
import {openDuckDB, rows} from "../../data-loaders/lib/duckdb.js";
import {offlineBuild} from "../../scripts/offline-build.js";

let built: string | undefined;

export function siteDir(): string {
  const dir = process.env.METERBOOK_SITE_DIR;
  if (dir && existsSync(dir)) return dir;
  return (built ??= offlineBuild(undefined, {guideExamples: true}).dist);
}

/** The built file for a data file, e.g. data/portfolio/pacing.parquet → <dist>/_file/data/portfolio/pacing.<hash>.parquet. */
export function builtFile(member: string, dist = siteDir()): string {
  const dir = join(dist, "_file", member.slice(0, member.lastIndexOf("/")));
  const base = member.slice(member.lastIndexOf("/") + 1).replace(/\.parquet$/, "");
  const found = readdirSync(dir).find((f) => f.startsWith(`${base}.`) && f.endsWith(".parquet") && f.split(".").length === 3);
  if (!found) throw new Error(`no built file for ${member}`);
  return join(dir, found);
}

/** Reads built files with native DuckDB: the independent side of the browser tests' comparisons. */
export async function nativeQuery(sql: string): Promise<Record<string, any>[]> {
  const {instance, connection} = await openDuckDB();
  try {
    return await rows<Record<string, any>>(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
