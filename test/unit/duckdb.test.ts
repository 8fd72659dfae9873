import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {mkdtempSync, rmSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {join} from "node:path";
import {InputError} from "../../data-loaders/errors.js";
import {duckdbCores, duckdbMemory, explainedError, isOutOfMemory, withWholeBudget, loadTable, memoryBytes, memoryLimit, openDuckDB, resourceError, rows, spilled, sqlIdentifier, sqlString, threadsFor, useMemoryLimit} from "../../data-loaders/lib/duckdb.js";

describe("sqlString(value)", () => {
  it("doubles single quotes inside a quoted literal", () => {
    assert.equal(sqlString("/tmp/o'brien/x.parquet"), "'/tmp/o''brien/x.parquet'");
  });
});

describe("sqlIdentifier(name)", () => {
  it("doubles double quotes inside a quoted name", () => {
    assert.equal(sqlIdentifier('a"b'), '"a""b"');
  });
});

describe("rows(connection, sql, values)", () => {
  it("binds parameters and returns JSON-friendly objects, in UTC", async () => {
    const {instance, connection} = await openDuckDB();
    try {
      const [row] = await rows<{s: string; t: string}>(connection, `select $1 as s, timestamptz '2026-01-01 00:00:00+00'::varchar as t`, ["it's"]);
      assert.deepEqual(row, {s: "it's", t: "2026-01-01 00:00:00+00"});
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("loadTable(connection, name, columns, rows)", () => {
  it("appends typed rows, nulls included, and names a wrong type with its column", async () => {
    const {instance, connection} = await openDuckDB();
    try {
      await loadTable(connection, "t", [["id", "VARCHAR"], ["n", "BIGINT"]], [["a", 1], ["b", null]]);
      assert.deepEqual(await rows(connection, `select id, n::integer as n from t order by id`), [{id: "a", n: 1}, {id: "b", n: null}]);
      await assert.rejects(loadTable(connection, "u", [["n", "INTEGER"]], [["x"]]), /u\.n: expected an integer/);
      // A load that fails part-way keeps none of its unflushed rows, so a second attempt's table gets only its own.
      const failing = function* () {
        yield [1];
        yield [2];
        throw new Error("the rows' source failed");
      };
      await assert.rejects(loadTable(connection, "v", [["n", "INTEGER"]], failing()), /the rows' source failed/);
      assert.deepEqual(await rows(connection, `select count(*)::integer as n from v`), [{n: 0}]);
      await loadTable(connection, "v", [["n", "INTEGER"]], [[7]]);
      assert.deepEqual(await rows(connection, `select n from v`), [{n: 7}]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("useMemoryLimit(limit)", () => {
  it("sets the budget every later openDuckDB takes, and refuses what is no size", async () => {
    const before = memoryLimit();
    try {
      useMemoryLimit("256MB");
      assert.equal(memoryLimit(), "256MB");
      const {instance, connection} = await openDuckDB();
      try {
        const [row] = await rows<{v: string}>(connection, `select current_setting('memory_limit') as v`);
        assert.equal(row!.v, "244.1 MiB"); // DuckDB shows 256 000 000 bytes in MiB: all of so small a budget
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      assert.throws(() => useMemoryLimit("lots"), /invalid memory limit: "lots"/);
    } finally {
      useMemoryLimit(before);
    }
  });
});

/** The threads a DuckDB opened under `memoryLimit` runs on. */
async function threadsOpened(memoryLimit: string): Promise<string> {
  const {instance, connection} = await openDuckDB({memoryLimit});
  try {
    const [row] = await rows<{v: string}>(connection, `select current_setting('threads')::varchar as v`);
    return row!.v;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("openDuckDB({memoryLimit})", () => {
  it("runs a budget under 256 MiB on one thread (threadsFor)", async () => {
    assert.equal(await threadsOpened("128MB"), "1");
  });
});

describe("memoryBytes(limit)", () => {
  it("reads decimal units as powers of 1000 and binary ones as powers of 1024, fractions included", () => {
    assert.equal(memoryBytes("256MB"), 256_000_000);
    assert.equal(memoryBytes("1.5GB"), 1_500_000_000);
    assert.equal(memoryBytes("2GiB"), 2_147_483_648);
    assert.equal(memoryBytes(" 64 kib "), 65_536);
  });
  it("refuses what is no size", () => {
    assert.throws(() => memoryBytes("lots"), /invalid memory limit: "lots"/);
  });
});

describe("duckdbMemory(limit)", () => {
  it("gives DuckDB's buffers two fifths of the budget, the rest being what the process holds beside them", () => {
    assert.equal(duckdbMemory("1.5GB"), 600_000_000);
    assert.equal(duckdbMemory("8GiB"), 3_435_973_836);
  });
  it("never less than 256 MB, or the whole budget when it is smaller", () => {
    assert.equal(duckdbMemory("400MB"), 256_000_000); // two fifths would be 160 MB
    assert.equal(duckdbMemory("256MB"), 256_000_000);
    assert.equal(duckdbMemory("64MB"), 64_000_000);
  });
  it("is the memory_limit a DuckDB opened under the budget runs with", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "1.5GB"});
    try {
      const [row] = await rows<{v: string}>(connection, `select current_setting('memory_limit') as v`);
      assert.equal(row!.v, "572.2 MiB"); // 600 000 000 bytes
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("threadsFor(limit, cores)", () => {
  it("gives one thread per 256 MiB of DuckDB's share of the budget, at most one per core", () => {
    assert.equal(threadsFor("1.5GB", 2), 2);
    assert.equal(threadsFor("1.5GB", 16), 2); // 600 000 000 / 268 435 456 = 2.2
    assert.equal(threadsFor("4GB", 16), 5); // 1 600 000 000 / 268 435 456 = 5.96
    assert.equal(threadsFor("2GiB", 8), 3); // 0.8 GiB / 256 MiB = 3.2
  });
  it("gives one thread to a budget below 256 MiB, never none", () => {
    assert.equal(threadsFor("256MB", 2), 1); // 256 000 000 bytes is under 256 MiB
    assert.equal(threadsFor("16MB", 2), 1);
  });
});

describe("duckdbCores()", () => {
  it("is METERBOOK_THREADS when set, else every core; threadsFor takes it as the cores", async () => {
    const before = process.env.METERBOOK_THREADS;
    try {
      process.env.METERBOOK_THREADS = "3";
      assert.equal(duckdbCores(), 3);
      assert.equal(threadsFor("4GB"), 3);
      process.env.METERBOOK_THREADS = "1";
      assert.equal(await threadsOpened("1.5GB"), "1");
      delete process.env.METERBOOK_THREADS;
      assert.equal(duckdbCores(), availableParallelism());
      for (const bad of ["0", "two", "1.5", "-1"]) {
        process.env.METERBOOK_THREADS = bad;
        assert.throws(() => duckdbCores(), /METERBOOK_THREADS must be a positive whole number/);
      }
    } finally {
      if (before === undefined) delete process.env.METERBOOK_THREADS;
      else process.env.METERBOOK_THREADS = before;
    }
  });
});

describe("resourceError(error, budget)", () => {
  const budget = {memoryLimit: "256MB", tempDirectory: "/data/.snap.spill-1"};
  it("explains DuckDB's out-of-memory error with the budget and the spill folder", () => {
    const explained = resourceError(new Error("Out of Memory Error: could not allocate block of size 256.0 KiB (244.1 MiB/244.1 MiB used)"), budget);
    assert.ok(explained instanceof InputError);
    assert.match((explained as Error).message, /^out of memory: the memory budget 256MB is too small .* spilling to \/data\/\.snap\.spill-1; raise it/);
  });
  it("explains a full disk under the spill folder", () => {
    const explained = resourceError(new Error("IO Error: Could not write file \"/data/.snap.spill-1/duckdb_temp_storage-0.tmp\": No space left on device"), budget);
    assert.ok(explained instanceof InputError);
    assert.match((explained as Error).message, /^out of disk: DuckDB could not spill to \/data\/\.snap\.spill-1 \(memory budget 256MB\)/);
  });
  it("returns any other error unchanged", () => {
    const error = new Error("Binder Error: no such column");
    assert.equal(resourceError(error, budget), error);
  });
});

describe("openDuckDB({memoryLimit, tempDirectory})", () => {
  it("spills past a small budget into the given folder and finishes the query", async () => {
    const dir = mkdtempSync(join(tmpdir(), "meterbook-spill-"));
    const {instance, connection} = await openDuckDB({memoryLimit: "64MB", tempDirectory: join(dir, "spill")});
    try {
      await connection.run(`set threads = 1; create table t as select i, md5(i::varchar) as s from range(2000000) as r(i)`);
      const [sorted] = await rows<{n: number}>(connection, `select count(*)::integer as n from (select * from t order by s)`);
      assert.equal(sorted!.n, 2_000_000);
      assert.ok((await spilled(connection)).bytes > 0, "the table held past the budget is in the spill folder");
    } finally {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe("explainedError(connection, error)", () => {
  it("explains an error raised outside the connection's promises with the budget and folder it was opened with", async () => {
    const folder = mkdtempSync(join(tmpdir(), "explained-"));
    const {instance, connection} = await openDuckDB({memoryLimit: "256MB", tempDirectory: folder});
    try {
      const explained = await explainedError(connection, new Error("Out of Memory Error: could not allocate block of size 256.0 KiB (244.1 MiB/244.1 MiB used)"));
      assert.ok(explained instanceof InputError);
      assert.match(explained.message, new RegExp(`^out of memory: the memory budget 256MB is too small for this step even spilling to ${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")};`));
      const other = new Error("Binder Error: no such column");
      assert.equal(await explainedError(connection, other), other);
      // Another connection to the same DuckDB: the limit and folder as DuckDB's settings give them.
      const second = await instance.connect();
      try {
        const read = await explainedError(second, new Error("Out of Memory Error: failed to allocate data of size 1.0 MiB"));
        assert.match((read as Error).message, new RegExp(`^out of memory: the memory budget 244\\.1 MiB is too small for this step even spilling to ${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")};`));
      } finally {
        second.closeSync();
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
      rmSync(folder, {recursive: true, force: true});
    }
  });
});

describe("withWholeBudget(connection, what, log, step)", () => {
  const limit = async (connection: Parameters<typeof rows>[0]) => (await rows<{v: string}>(connection, `select current_setting('memory_limit') as v`))[0]!.v;
  it("runs a step that ran out of memory in DuckDB's share once more with the whole budget, then gives the share back", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "750MB"});
    try {
      const logged: string[] = [];
      const seen: string[] = [];
      const result = await withWholeBudget(connection, "model int_big", (m) => logged.push(m), async () => {
        seen.push(await limit(connection));
        if (seen.length === 1) throw new Error("Out of Memory Error: failed to allocate data of size 1.0 MiB (286.0 MiB/286.1 MiB used)");
        return 42;
      });
      assert.equal(result, 42);
      assert.deepEqual(seen, ["286.1 MiB", "715.2 MiB"]); // 300 000 000 bytes (two fifths), then all of 750 000 000
      assert.equal(await limit(connection), "286.1 MiB");
      assert.deepEqual(logged, ["snapshot: model int_big ran out of memory in DuckDB's share of the budget (300MB); running it again with the whole budget, 750MB: the process may hold more than the budget meanwhile"]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
  it("runs a step once when its error is another, when it fails again, or when DuckDB has the whole budget already", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "750MB"});
    const small = await openDuckDB({memoryLimit: "256MB"});
    try {
      let runs = 0;
      const other = new Error("Binder Error: no such column");
      await assert.rejects(withWholeBudget(connection, "x", () => {}, async () => { runs++; throw other; }), (e) => e === other);
      assert.equal(runs, 1);
      runs = 0;
      await assert.rejects(withWholeBudget(connection, "x", () => {}, async () => { runs++; throw new Error("Out of Memory Error: could not allocate block of size 256.0 KiB"); }), /Out of Memory Error/);
      assert.equal(runs, 2);
      assert.equal(await limit(connection), "286.1 MiB", "the share is given back after a second failure too");
      runs = 0;
      await assert.rejects(withWholeBudget(small.connection, "x", () => {}, async () => { runs++; throw new Error("Out of Memory Error: could not allocate block"); }), /Out of Memory/);
      assert.equal(runs, 1, "256MB is DuckDB's whole budget: nothing more to give");
    } finally {
      for (const {instance: i, connection: c} of [{instance, connection}, small]) {
        c.closeSync();
        i.closeSync();
      }
    }
  });
  it("carries a query DuckDB's share cannot hold (an unspillable list of 20 M integers) through with the whole budget", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "750MB"});
    try {
      await connection.run(`set threads = 1`);
      const query = `select len(list(i))::integer as n from range(20000000) as t(i)`;
      await assert.rejects(rows(connection, query), /^InputError: out of memory|out of memory: the memory budget 750MB/, "300MB cannot hold it");
      const logged: string[] = [];
      const [row] = await withWholeBudget(connection, "the list", (m) => logged.push(m), () => rows<{n: number}>(connection, query));
      assert.equal(row!.n, 20_000_000);
      assert.equal(logged.length, 1);
      assert.equal(await limit(connection), "286.1 MiB");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
  it("runs a step on a connection openDuckDB did not return once: its budget is unknown", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "750MB"});
    const raw = await instance.connect();
    try {
      let runs = 0;
      await assert.rejects(withWholeBudget(raw, "x", () => {}, async () => { runs++; throw new Error("Out of Memory Error: x"); }), /Out of Memory/);
      assert.equal(runs, 1);
    } finally {
      raw.closeSync();
      connection.closeSync();
      instance.closeSync();
    }
  });
  it("knows an out-of-memory error as DuckDB says it and as resourceError explains it", () => {
    assert.ok(isOutOfMemory(new Error("Out of Memory Error: failed to allocate data of size 1.0 MiB")));
    assert.ok(isOutOfMemory(resourceError(new Error("Out of Memory Error: x"), {memoryLimit: "1.5GB", tempDirectory: "/t"})));
    assert.ok(!isOutOfMemory(new Error("IO Error: No space left on device")));
  });
});
