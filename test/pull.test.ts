// pull(): the API source. One small generated dataset feeds both an export (snapshotted directly) and the mock
// Metronome API (pulled, then snapshotted): the marts must be identical, every mock response must match the OpenAPI
// schemas, injected faults must be survived or reported, and the token must appear nowhere.
import assert from "node:assert/strict";
import {createHash} from "node:crypto";
import {after, before, describe, it} from "node:test";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pull, type PullProgress} from "../data-loaders/sources/api/pull.js";
import {main} from "../data-loaders/cli.js";
import {DEFAULT_CONFIG, loadConfig} from "../data-loaders/config.js";
import {resolveExportDir} from "../data-loaders/sources/resolve.js";
import {generateSampleExport} from "../data-loaders/sample/generate.js";
import {openDuckDB, rows} from "../data-loaders/lib/duckdb.js";
import {snapshot, type Manifest} from "../data-loaders/snapshot/snapshot.js";
import {buildMockData, type MockData} from "./mock-metronome/dataset.js";
import {responseValidator} from "./mock-metronome/schema.js";
import {startMockServer, type MockOptions, type MockServer} from "./mock-metronome/server.js";

const AS_OF = "2026-10-15";
const TOKEN = "mtr_test_7f3c9a1e5b2d4c6a8e0f1b3d5c7a9e2f";
const config = DEFAULT_CONFIG;
/** Small pages so every list the pull reads spans several. */
const PAGES: Record<string, number> = {
  "/v1/customers": 2,
  "/v1/billable-metrics": 2,
  "/v1/contract-pricing/products/list": 3,
  "/v1/credit-types/list": 1,
  "/v1/contracts/customerBalances/list": 1,
  "/v1/customers/{customer_id}/invoices": 2,
  "/v1/customers/{customer_id}/invoices/breakdowns": 35,
  "/v1/usage": 60
};
const now = () => new Date(`${AS_OF}T06:00:00Z`);

let dir: string;
let data: MockData;
let exportManifest: Manifest;
const logs: string[] = [];
const servers: MockServer[] = [];
const validate = responseValidator();

async function serve(options: Partial<MockOptions> = {}): Promise<MockServer> {
  const server = await startMockServer({data, token: TOKEN, pageSize: {...PAGES}, ...options});
  servers.push(server);
  return server;
}

function env(server: MockServer, token = TOKEN): NodeJS.ProcessEnv {
  return {METRONOME_BEARER_TOKEN: token, METRONOME_BASE_URL: server.url};
}

const log = (message: string) => logs.push(message);

async function pullAndSnapshot(out: string, server: MockServer, extra: Partial<Parameters<typeof pull>[0]> = {}): Promise<Manifest> {
  await pull({out, until: AS_OF, config, env: env(server), now, log, timeoutMs: 5000, ...extra});
  return snapshot({exportDir: join(out, "export"), out: `${out}-snapshot`, asOf: AS_OF, config, now, log});
}

/**
 * The marts' hashes, but those that describe the delivery itself — findings (repeated deliveries, transfer dates,
 * Metronome's balance at its transfer time) and table_freshness (files and transfer dates) — which differ between an
 * export and a pull of the same data by design.
 */
const DELIVERY_MARTS = new Set(["marts/findings.parquet", "marts/table_freshness.parquet"]);
function martHashes(manifest: Manifest): Record<string, string> {
  return Object.fromEntries(Object.entries(manifest.outputs).filter(([name]) => name.startsWith("marts/") && !DELIVERY_MARTS.has(name)).map(([name, o]) => [name, o.sha256]));
}

/** Reads Parquet files written by a pull or a snapshot with native DuckDB. */
async function nativeRows(sql: string): Promise<Record<string, unknown>[]> {
  const {instance, connection} = await openDuckDB();
  try {
    return await rows(connection, sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function allFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

/** Every data file's path (relative) and hash, for comparing two pulled folders (pull.json holds timings). */
function contents(root: string): Array<[string, string]> {
  return allFiles(root)
    .filter((f) => !f.endsWith("pull.json"))
    .map((f) => [f.slice(root.length), createHash("sha256").update(readFileSync(f)).digest("hex")]);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "meterbook-pull-"));
  const exportDir = join(dir, "export");
  await generateSampleExport({out: exportDir, seed: 7, customers: 13, products: 4, startDate: "2026-08-01", asOf: AS_OF});
  data = await buildMockData(exportDir, AS_OF);
  exportManifest = await snapshot({exportDir, out: join(dir, "export-snapshot"), asOf: AS_OF, config, now});
});

after(async () => {
  for (const server of servers) await server.close();
  await rm(dir, {recursive: true, force: true});
});

describe("pull({out, until}) against the mock API", () => {
  let clean: Manifest;
  let server: MockServer;
  const progress: PullProgress[] = [];

  before(async () => {
    server = await serve();
    clean = await pullAndSnapshot(join(dir, "clean"), server, {progress: (p) => progress.push(p)});
  });

  it("gives the same marts as snapshotting the export of the same data", () => {
    assert.deepEqual(martHashes(clean), martHashes(exportManifest));
    assert.ok(exportManifest.outputs["marts/burn_daily.parquet"]!.rows > 0 && exportManifest.outputs["marts/revenue_daily.parquet"]!.rows > 0);
  });

  it("reads several pages per list, and every mock response matches the OpenAPI schema", () => {
    const ok = server.log.filter((r) => r.status === 200);
    const errors = ok.flatMap((r) => validate(r.method, r.path, r.body));
    assert.deepEqual(errors.slice(0, 5), []);
    for (const path of Object.keys(PAGES)) {
      const paged = ok.filter((r) => r.path === path && (r.body as {next_page?: string | null}).next_page);
      assert.ok(paged.length > 0, `${path} served more than one page`);
    }
  });

  it("writes usage_daily from the usage endpoint, agreeing with the breakdown quantities", async () => {
    const usage = readFileSync(join(dir, "clean", "usage_daily.parquet"));
    assert.ok(usage.length > 0);
    const expected = data.usage.filter((u) => String(u.start_timestamp) < `${AS_OF}`).reduce((s, u) => s + Number(u.value), 0);
    const [row] = await nativeRows(`
      select (select sum(quantity)::double from read_parquet('${join(dir, "clean", "usage_daily.parquet")}')) as pulled,
        (select sum(quantity)::double from read_parquet('${join(dir, "clean-snapshot", "marts", "usage_daily.parquet")}')) as mart`);
    assert.equal(row!.pulled, expected);
    assert.equal(row!.mart, expected);
  });

  it("labels customers by ingest alias or id, as configured, exactly as from the export", async () => {
    for (const labelSource of ["ingest_alias", "id"] as const) {
      const labelled = {...config, labelSource};
      const fromPull = await snapshot({exportDir: join(dir, "clean", "export"), out: join(dir, `clean-${labelSource}`), asOf: AS_OF, config: labelled, now, log});
      const fromExport = await snapshot({exportDir: join(dir, "export"), out: join(dir, `export-${labelSource}`), asOf: AS_OF, config: labelled, now, log});
      assert.deepEqual(martHashes(fromPull), martHashes(fromExport), labelSource);
      const rows = await nativeRows(`select customer_id, label, ingest_aliases from read_parquet('${join(dir, `clean-${labelSource}`, "marts", "customers.parquet")}') order by customer_id`);
      assert.equal(rows.length, data.customers.length);
      for (const row of rows) {
        const aliases = (row.ingest_aliases ?? []) as string[];
        if (labelSource === "id") assert.equal(row.label, row.customer_id);
        // An alias label is the customer's first ingest alias (a customer without one falls back to its name or id).
        else if (aliases.length) assert.ok(String(row.label).startsWith(String(aliases[0])), `${row.customer_id}: ${row.label} from ${aliases}`);
      }
      assert.ok(labelSource === "id" || rows.some((r) => ((r.ingest_aliases ?? []) as string[]).length > 0), "some customers have aliases");
    }
  });

  it("reports progress: customers done / total and windows pulled", () => {
    const last = progress.findLast((p) => p.phase === "customers")!;
    assert.equal(last.customersDone, last.customersTotal);
    assert.equal(last.customersTotal, data.customers.length);
    assert.ok(progress.at(-1)!.windows > 0 && progress.at(-1)!.phase === "done");
  });
});

describe("pull() under injected faults", () => {
  it("survives a 429 (waiting its Retry-After), 500s and a response slower than the timeout", async () => {
    const server = await serve({
      faults: [
        {path: "/v1/customers/{customer_id}/invoices/breakdowns", kind: "429", skip: 3, retryAfter: 1},
        {path: "/v1/contracts/customerBalances/list", kind: "500", skip: 1, times: 2},
        {path: "/v1/usage", kind: "slow", skip: 2, delayMs: 1500}
      ]
    });
    await pull({out: join(dir, "faults"), until: AS_OF, config, env: env(server), now, log, timeoutMs: 600});
    // Byte for byte the clean pull's folder (same clock, same data): nothing lost or doubled by the retries.
    assert.deepEqual(contents(join(dir, "faults")), contents(join(dir, "clean")));
    const limited = server.log.findIndex((r) => r.status === 429);
    assert.ok(limited >= 0, "a 429 was served");
    const retried = server.log.slice(limited + 1).find((r) => r.request === server.log[limited]!.request)!;
    assert.ok(retried.at - server.log[limited]!.at >= 950, `retried ${retried.at - server.log[limited]!.at} ms after a Retry-After of 1 s`);
    assert.equal(server.log.filter((r) => r.status === 500).length, 2);
    // The slow usage response outlived the 600 ms timeout: the same request was sent again.
    const usage = server.log.filter((r) => r.path === "/v1/usage").map((r) => r.request);
    assert.ok(usage.some((r, i) => usage.indexOf(r) !== i), "a timed-out usage request was retried");
  });

  it("stops with a message when Retry-After asks for longer than it waits", async () => {
    const server = await serve({faults: [{path: "/v1/customers", kind: "429", retryAfter: 120}]});
    await assert.rejects(pull({out: join(dir, "too-long"), until: AS_OF, config, env: env(server), now, log}), (error: Error) => {
      logs.push(error.message);
      return /rate-limiting customers .*asked to wait 120 s/.test(error.message);
    });
    assert.equal(server.log.length, 1);
  });

  it("reports a rejected token (401) naming the access, and writes nothing", async () => {
    const server = await serve();
    const out = join(dir, "rejected");
    await assert.rejects(pull({out, until: AS_OF, config, env: env(server, "mtr_wrong_token"), now, log}), (error: Error) => {
      logs.push(error.message);
      return /rejected \(401\) reading customers/.test(error.message);
    });
    assert.equal(existsSync(out), false);
  });

  it("names the missing access when the token cannot read usage (403)", async () => {
    const server = await serve({deny: ["/v1/usage"]});
    await assert.rejects(pull({out: join(dir, "no-usage"), until: AS_OF, config, env: env(server), now, log}), (error: Error) => {
      logs.push(error.message);
      return /no access to usage/.test(error.message);
    });
  });

  it("keeps the previous pull when a run fails part-way; the re-run equals one clean run", async () => {
    const out = join(dir, "incremental");
    // The first run goes through the CLI (token and base URL from the environment, as a user runs it).
    const saved = {...process.env};
    Object.assign(process.env, env(await serve()));
    const printed: string[] = [];
    try {
      assert.equal(await main(["pull", "--out", out, "--until", "2026-09-20"], {log, out: (m) => printed.push(m)}), 0);
    } finally {
      for (const key of ["METRONOME_BEARER_TOKEN", "METRONOME_BASE_URL"]) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
    // Every customer the mock serves (the generator adds its scenario customers to the 13 asked for).
    assert.match(printed[0]!, new RegExp(`\\[\\d{4}-\\d{2}-\\d{2}, 2026-09-20\\) for ${data.customers.length} customers, \\d+ windows, \\d+ requests .*last complete day 2026-09-19`));
    const before = allFiles(out).map((f) => [f, readFileSync(f).length]);
    const failing = await serve({faults: [{path: "/v1/customers/{customer_id}/invoices/breakdowns", kind: "500", skip: 2, times: 1000}]});
    await assert.rejects(pull({out, until: AS_OF, config, env: env(failing), now, log, maxRetries: 1}), /invoice breakdowns .*after retries/);
    assert.deepEqual(allFiles(out).map((f) => [f, readFileSync(f).length]), before);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes(".tmp-")), []);

    const rerun = await pull({out, until: AS_OF, config, env: env(await serve()), now, log});
    assert.equal(rerun.from, "2026-09-20");
    const manifest = await snapshot({exportDir: join(out, "export"), out: `${out}-snapshot`, asOf: AS_OF, config, now});
    assert.deepEqual(martHashes(manifest), martHashes(exportManifest));
  });
});

describe("main(['pull', …]) and the api source setting", () => {
  it("needs --out, and a token in METRONOME_BEARER_TOKEN", async () => {
    const messages: string[] = [];
    assert.equal(await main(["pull"], {log: (m) => messages.push(m), out: () => {}}), 2);
    const saved = process.env.METRONOME_BEARER_TOKEN;
    delete process.env.METRONOME_BEARER_TOKEN;
    try {
      assert.equal(await main(["pull", "--out", join(dir, "no-token")], {log: (m) => messages.push(m), out: () => {}}), 1);
    } finally {
      if (saved !== undefined) process.env.METRONOME_BEARER_TOKEN = saved;
    }
    assert.match(messages.at(-1)!, /METRONOME_BEARER_TOKEN is not set/);
  });

  it("refuses an --out folder that is not a previous pull (it would be replaced)", async () => {
    const exportDir = join(dir, "export");
    await assert.rejects(pull({out: exportDir, until: AS_OF, config, env: {}, now, log}), /exists and is not a pull folder/);
    assert.ok(existsSync(join(exportDir, "customer")));
  });

  it("source \"api\" reads <apiDir>/export as of the pull's until day", async () => {
    const apiConfig = loadConfig({METERBOOK_SOURCE: "api", METERBOOK_API_DIR: join(dir, "clean")} as NodeJS.ProcessEnv, dir);
    assert.deepEqual(await resolveExportDir(null, apiConfig), {exportDir: join(dir, "clean", "export"), asOf: AS_OF, cost: null});
    assert.throws(() => loadConfig({METERBOOK_SOURCE: "api"} as NodeJS.ProcessEnv, dir), /needs apiDir/);
  });
});

describe("the API token", () => {
  it("appears in no file written and no log line or error", () => {
    const written = [...allFiles(dir)].filter((f) => !f.startsWith(join(dir, "export")));
    assert.ok(written.length > 20);
    const hits = written.filter((f) => readFileSync(f).includes(TOKEN));
    assert.deepEqual(hits, []);
    assert.ok(logs.length > 10);
    assert.deepEqual(logs.filter((l) => l.includes(TOKEN)), []);
  });
});
