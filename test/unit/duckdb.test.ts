import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {loadTable, openDuckDB, rows, sqlIdentifier, sqlString} from "../../data-loaders/lib/duckdb.js";

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
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
