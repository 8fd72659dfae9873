// runChecks counts many checks in one query; a failure still names the first failing check in declared order, how
// many rows break it and a few of them, as one check at a time did.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {InputError} from "../../data-loaders/errors.js";
import {openDuckDB, rows} from "../../data-loaders/lib/duckdb.js";
import type {Model} from "../../data-loaders/models/declare.js";
import {checksOf, runChecks, runModels} from "../../data-loaders/models/run.js";

const model = (name: string, key: string[]): Model => ({name, layer: "marts", grain: "one row per id", key}) as Model;

describe("runChecks(connection, models)", () => {
  it("passes every check of valid tables, more than one query's worth", async () => {
    const {connection} = await openDuckDB();
    const models = Array.from({length: 30}, (_, i) => model(`mart_t${i}`, ["id"]));
    for (const m of models) await connection.run(`create table ${m.name} as select range as id from range(3)`);
    const results = await runChecks(connection, models);
    assert.equal(results.length, checksOf(models).length);
    assert.ok(results.length > 40 && results.every((r) => r.passed));
  });

  it("names the first failing check in declared order, its count and examples", async () => {
    const {connection} = await openDuckDB();
    const models = Array.from({length: 30}, (_, i) => model(`mart_t${i}`, ["id"]));
    for (const m of models) await connection.run(`create table ${m.name} as select range as id from range(3)`);
    // Two models broken: the 25th (a key repeated, in the second query) and the 28th (a null key).
    await connection.run(`insert into mart_t24 values (1), (2)`);
    await connection.run(`insert into mart_t27 values (null)`);
    await assert.rejects(runChecks(connection, models), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^model check failed: t24: key \(id\) unique — 2 rows, e\.g\. /);
      return true;
    });
  });

  it("finds a key repeated over several columns, a null among them, and only that one (keys found by their hash first)", async () => {
    const {connection} = await openDuckDB();
    const models = [model("mart_pairs", ["a", "b"])];
    models[0]!.nullable = ["b"];
    await connection.run(`create table mart_pairs as select * from (values (1, 'x'), (1, null), (null, '1'), (2, 'x'), (1, null)) as t(a, b)`);
    await assert.rejects(runChecks(connection, models), (error: Error) => {
      assert.match(error.message, /^model check failed: pairs: key \(a\) not null — 1 row, e\.g\. /);
      return true;
    });
    await connection.run(`delete from mart_pairs where a is null`);
    await assert.rejects(runChecks(connection, models), (error: Error) => {
      assert.equal(error.message, 'model check failed: pairs: key (a, b) unique — 1 row, e.g. {"a":1,"b":null,"n":"2"}');
      return true;
    });
  });
});

describe("runModels(connection, models): the memory each model is built in", () => {
  it("builds a model declared wholeBudget with the whole budget as DuckDB's limit, the others in DuckDB's share", async () => {
    const {instance, connection} = await openDuckDB({memoryLimit: "750MB"});
    try {
      const seen: Record<string, string> = {};
      const built = (name: string, extra: Partial<Model> = {}): Model => ({
        ...model(name, ["id"]),
        ...extra,
        build: async (c) => {
          seen[name] = (await rows<{v: string}>(c, `select current_setting('memory_limit') as v`))[0]!.v;
          await c.run(`create or replace table ${name} as select 1 as id`);
        }
      });
      await runModels(connection, [built("int_half"), built("int_whole", {wholeBudget: true}), built("int_after")]);
      assert.deepEqual(seen, {int_half: "286.1 MiB", int_whole: "715.2 MiB", int_after: "286.1 MiB"}); // two fifths of 750 MB, all of it, two fifths
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
