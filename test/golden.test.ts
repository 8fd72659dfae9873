// Golden outputs: the deterministic sample's marts (with its cost input, as the site builds them), written as CSV
// sorted by each mart's key, compared with test/golden/marts/*.csv. A diff of those files shows in review what a
// change did to the numbers. A mismatch writes a `-changed.csv` sibling to compare; `npm run golden` rewrites the
// expected files on purpose (never under CI).
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {MARTS} from "../data-loaders/models/build.js";
import {generateSampleCost, sampleCostConfig} from "../data-loaders/sample/cost.js";
import {SAMPLE_AS_OF} from "../data-loaders/sample/generate.js";
import {openDuckDB, sqlString} from "../data-loaders/lib/duckdb.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";
import {sampleExport} from "./sample-export.js";

const GOLDEN = join(import.meta.dirname, "golden", "marts");
const update = process.env.METERBOOK_UPDATE_GOLDEN === "1";
const work = mkdtempSync(join(tmpdir(), "golden-"));
const now = () => new Date("2026-10-15T12:00:00Z");

/** Marts above this many rows, with a date in their key, are kept as monthly rollups plus a digest of every row. */
const ROLLUP_ROWS = 5000;

export interface GoldenFile {
  name: string;
  text: string;
}

/**
 * Each mart as CSV, ordered by its unique key (the model checks test it unique), so the text is one function of the
 * rows. A large daily mart is kept as two files instead of 10-35 MB of CSV: `<mart>.monthly.csv`, every numeric
 * column summed per key and month (what a reviewer reads), and `<mart>.digest`, the row count and the sha256 of the
 * full daily CSV (what catches a change inside a month).
 */
async function goldenFiles(dir: string): Promise<GoldenFile[]> {
  const {instance, connection} = await openDuckDB();
  try {
    const files: GoldenFile[] = [];
    for (const mart of MARTS) {
      const source = `read_parquet(${sqlString(join(dir, "marts", `${mart.name}.parquet`))})`;
      const csvOf = async (query: string) => {
        const csv = join(work, `${mart.name}.csv`);
        await connection.run(`copy (${query}) to ${sqlString(csv)} (header, delimiter ',')`);
        return readFileSync(csv, "utf8");
      };
      const full = await csvOf(`select * from ${source} order by ${mart.order}`);
      const rows = full.split("\n").length - 2;
      if (rows <= ROLLUP_ROWS || !mart.key.includes("date")) {
        files.push({name: `${mart.name}.csv`, text: full});
        continue;
      }
      const columns = (await connection.runAndReadAll(`describe select * from ${source}`)).getRowObjectsJson() as {column_name: string; column_type: string}[];
      const keys = mart.key.filter((k) => k !== "date");
      const sums = columns.filter((c) => !mart.key.includes(c.column_name) && !c.column_name.includes("cumulative") && /^(DECIMAL|DOUBLE|BIGINT|INTEGER|HUGEINT)/.test(c.column_type)).map((c) => `sum(${c.column_name}) as ${c.column_name}`);
      const month = `date_trunc('month', date)::date as month`;
      files.push({name: `${mart.name}.monthly.csv`, text: await csvOf(`select ${keys.join(", ")}, ${month}, count(*)::integer as days, ${sums.join(", ")} from ${source} group by all order by ${keys.join(", ")}, month`)});
      files.push({name: `${mart.name}.digest`, text: `rows ${rows}\nsha256 ${createHash("sha256").update(full).digest("hex")} of the full CSV ordered by ${mart.order}\n`});
    }
    return files;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("the sample's marts (golden outputs)", () => {
  let actual: GoldenFile[];

  before(async () => {
    const exportDir = join(work, "export");
    const costDir = join(work, "cost");
    await sampleExport({out: exportDir});
    await generateSampleCost({exportDir, out: costDir, asOf: SAMPLE_AS_OF});
    const out = join(work, "snapshot");
    await snapshot({exportDir, out, asOf: SAMPLE_AS_OF, config: {...DEFAULT_CONFIG, cost: sampleCostConfig(costDir)}, now});
    actual = await goldenFiles(out);
    if (update) {
      if (process.env.CI) throw new Error("CI never regenerates golden outputs");
      rmSync(GOLDEN, {recursive: true, force: true});
      mkdirSync(GOLDEN, {recursive: true});
      for (const file of actual) writeFileSync(join(GOLDEN, file.name), file.text);
    }
  });
  after(() => rmSync(work, {recursive: true, force: true}));

  it("has golden files for every mart and none for a mart that no longer exists", () => {
    const golden = readdirSync(GOLDEN).filter((f) => !f.includes("-changed")).sort();
    assert.deepEqual(golden, actual.map((f) => f.name).sort());
    assert.deepEqual([...new Set(golden.map((f) => f.split(".")[0]))].sort(), MARTS.map((m) => m.name).sort());
  });

  for (const mart of MARTS) {
    it(`${mart.name} equals its golden output`, () => {
      for (const file of actual.filter((f) => f.name.split(".")[0] === mart.name)) {
        const expectedFile = join(GOLDEN, file.name);
        const changed = join(GOLDEN, file.name.replace(/(\.\w+)$/, "-changed$1"));
        const expected = existsSync(expectedFile) ? readFileSync(expectedFile, "utf8") : "";
        if (file.text === expected) {
          rmSync(changed, {force: true});
          continue;
        }
        writeFileSync(changed, file.text);
        const [a, b] = [expected.split("\n"), file.text.split("\n")];
        const line = a.findIndex((l, i) => l !== b[i]);
        assert.fail(`${file.name}: first difference at line ${line + 1}:\n  golden: ${a[line]}\n  actual: ${b[line]}\nwrote ${changed}; npm run golden accepts the change`);
      }
    });
  }
});
