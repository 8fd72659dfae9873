// ```sql fences as Framework compiles them (its own transpiler, raw template), through sqlTemplate: the SQL text the
// analyst wrote, with `?` exactly where a ${} value goes, and only those values bound.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
// @ts-expect-error: Framework's internal transpiler ships without types.
import {transpileTag} from "@observablehq/framework/dist/tag.js";
import {sqlTemplate} from "../../src/components/sqlTemplate.js";

/** Compiles `fence` as Framework does and runs it with `scope`, returning what the page's database would receive. */
function compile(fence: string, scope: Record<string, unknown> = {}): [string, unknown[]] {
  const expression: string = transpileTag(fence, "sql", true);
  const run = new Function("sql", ...Object.keys(scope), `return ${expression};`);
  return run((strings: TemplateStringsArray, ...values: unknown[]) => sqlTemplate(strings, values), ...Object.values(scope));
}

describe("sqlTemplate: fences compiled by Framework", () => {
  it("binds each ${} value as a parameter", () => {
    assert.deepEqual(compile("select * from t where a = ${x} and b = ${y}", {x: "O'Brien", y: 3}), ["select * from t where a = ? and b = ?", ["O'Brien", 3]]);
  });
  it("keeps backticks (in a comment) as text, not parameters", () => {
    assert.deepEqual(compile("-- the `days` input, it's ``quoted``\nselect ${d}::integer", {d: 30}), ["-- the `days` input, it's ``quoted``\nselect ?::integer", [30]]);
  });
  it("keeps backslashes as written (regular expressions), including a final one", () => {
    assert.deepEqual(compile("select regexp_matches(name, '\\d+\\.') from t where id = ${id}", {id: "c1"}), ["select regexp_matches(name, '\\d+\\.') from t where id = ?", ["c1"]]);
    assert.deepEqual(compile("select 1 -- \\"), ["select 1 -- \\", []]);
  });
  it("binds a string that merely contains a backtick", () => {
    assert.deepEqual(compile("select ${v}", {v: "a`b"}), ["select ?", ["a`b"]]);
  });
});
