// customerExtracts(dir, queries, into): the site's per-customer files. Each holds exactly its customer's rows, under the
// default budget and a small one, and two builds write the same bytes — over more customers than one partitioned COPY
// takes.
import assert from "node:assert/strict";
import {mkdirSync, mkdtempSync, readFileSync, readdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {DuckDBInstance} from "@duckdb/node-api";
import {memoryLimit, rows, useMemoryLimit} from "../../data-loaders/lib/duckdb.js";
import {CUSTOMERS_PER_COPY, customerExtracts, perCustomerCopySettings} from "../../data-loaders/snapshot/site.js";

const CUSTOMERS = 2 * CUSTOMERS_PER_COPY + 37;

describe("customerExtracts(dir, queries, into)", () => {
  const dir = mkdtempSync(join(tmpdir(), "customer-extracts-"));
  const queries = {usage: `select * from mart_usage`};
  let instance: DuckDBInstance;

  before(async () => {
    mkdirSync(join(dir, "marts"));
    instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    // Customers c000…c236; 120 days × 5 products each, stored in a shuffled order (hash).
    await c.run(`copy (select printf('c%03d', i) as customer_id from range(${CUSTOMERS}) as t(i)) to '${join(dir, "marts", "customers.parquet")}'`);
    await c.run(`copy (
      select printf('c%03d', c) as customer_id, date '2026-01-01' + d::integer as day, 'p' || p as product_id, (c * 7 + d * 3 + p) % 11 as quantity
      from range(${CUSTOMERS}) as a(c), range(120) as b(d), range(5) as e(p) order by hash(c, d, p)
    ) to '${join(dir, "marts", "usage.parquet")}' (row_group_size 2048)`);
    c.closeSync();
  });
  after(() => instance.closeSync());

  /** Writes the files into a new folder; its files (relative path → bytes), checked against what was returned. */
  const write = async (name: string) => {
    const into = join(dir, name);
    const paths = await customerExtracts(dir, queries, into);
    const onDisk = readdirSync(into, {recursive: true, withFileTypes: true}).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(into.length + 1));
    assert.deepEqual(onDisk.sort(), paths, "the paths returned are the files written, nothing else left");
    return Object.fromEntries(paths.map((p) => [p, readFileSync(join(into, p))]));
  };

  const check = async (files: Record<string, Uint8Array>, into: string) => {
    const c = await instance.connect();
    try {
      for (let i = 0; i < CUSTOMERS; i++) {
        const id = `c${String(i).padStart(3, "0")}`;
        const path = join(into, id, "usage.parquet");
        assert.ok(files[`${id}/usage.parquet`], id);
        // Its rows are the customer's rows of the extract, each once (both differences empty, as multisets).
        const read = await rows<{n: number; missing: number; extra: number}>(c, `
          select (select count(*) from read_parquet('${path}'))::integer as n,
            (select count(*) from (select * from read_parquet('${dir}/marts/usage.parquet') where customer_id = '${id}' except all select * from read_parquet('${path}')))::integer as missing,
            (select count(*) from (select * from read_parquet('${path}') except all select * from read_parquet('${dir}/marts/usage.parquet') where customer_id = '${id}'))::integer as extra`);
        assert.deepEqual(read[0], {n: 600, missing: 0, extra: 0}, id);
      }
    } finally {
      c.closeSync();
    }
  };

  it("gives each customer its own rows, and the same bytes twice", async () => {
    const first = await write("first");
    assert.equal(Object.keys(first).length, CUSTOMERS);
    await check(first, join(dir, "first"));
    const second = await write("second");
    assert.deepEqual(Object.keys(second).sort(), Object.keys(first).sort());
    for (const k of Object.keys(first)) assert.deepEqual(Buffer.from(second[k]!), Buffer.from(first[k]!), k);
  });

  it("gives each customer its own rows under a 256 MB budget", async () => {
    const budget = memoryLimit();
    useMemoryLimit("256MB");
    try {
      await check(await write("small"), join(dir, "small"));
    } finally {
      useMemoryLimit(budget);
    }
  });

  it("gives a customer of the extract missing from the customers mart its own rows too (before, between or after them)", async () => {
    // The customers mart without c000, c100 and c236: their rows are still in the usage extract.
    const other = join(dir, "missing");
    mkdirSync(join(other, "marts"), {recursive: true});
    const c = await instance.connect();
    try {
      await c.run(`copy (select * from read_parquet('${dir}/marts/customers.parquet') where customer_id not in ('c000', 'c100', 'c236')) to '${join(other, "marts", "customers.parquet")}'`);
      await c.run(`copy (select * from read_parquet('${dir}/marts/usage.parquet')) to '${join(other, "marts", "usage.parquet")}'`);
      const into = join(other, "files");
      const paths = await customerExtracts(other, queries, into);
      assert.equal(paths.length, CUSTOMERS);
      for (const id of ["c000", "c100", "c236"]) {
        const [read] = await rows<{n: number; ids: string[]}>(c, `select count(*)::integer as n, list(distinct customer_id) as ids from read_parquet('${join(into, id, "usage.parquet")}')`);
        assert.equal(read!.n, 600, id);
        assert.deepEqual([...(read!.ids as unknown as Iterable<string>)].map(String), [id]);
      }
    } finally {
      c.closeSync();
    }
  });

  it("writes with one thread, keeps a COPY's customers' files open, and flushes within the budget", () => {
    assert.equal(perCustomerCopySettings(768 * 2 ** 20), `set threads = 1; set partitioned_write_max_open_files = ${CUSTOMERS_PER_COPY}; set partitioned_write_flush_threshold = 393216;`);
    // DuckDB's own threshold is the most; 256 MB of buffers, 125,000 rows.
    assert.match(perCustomerCopySettings(4 * 2 ** 30), /flush_threshold = 524288;$/);
    assert.match(perCustomerCopySettings(256_000_000), /flush_threshold = 125000;$/);
  });
});
