// The shape of the tree, as a test: data flows one way (sources → models → marts → site and documents), so
// - data-loaders/ imports only src/core/ of the site, and src/core/ imports nothing else of the site;
// - the site (pages, components, core) does not import data-loaders/ — only Framework's loaders in src/data/ run in
//   Node and call into it;
// - no production file of data-loaders/ imports the sample generator (data-loaders/sample/): sources/resolve.ts's zero-config
//   default may load it, by dynamic import only;
// - a page's SQL selects, filters and draws, but defines no figure: no threshold literal in a comparison, no
//   `case when … then 'status'`, no ratio scaled to a percent. Those belong in a mart (docs/metrics.md).
// Every finding names its file and line.
import assert from "node:assert/strict";
import {readFileSync, readdirSync} from "node:fs";
import {dirname, join, normalize, relative} from "node:path";
import {describe, it} from "node:test";

const ROOT = join(import.meta.dirname, "..");

export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** Known offenders, as "file: rule". Each entry must still be needed (a stale entry fails too), so the list only shrinks. */
const KNOWN: Set<string> = new Set([
]);

const SOURCE = /\.(ts|js|md)$/;

function listFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), {withFileTypes: true}).flatMap((e) => {
    if (e.name.startsWith(".") || e.name === "node_modules") return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? listFiles(path) : SOURCE.test(e.name) ? [path] : [];
  });
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

const IMPORT = /(?:\bimport\s*(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?|\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+)["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Relative imports of `file` (repository-relative), resolved to repository-relative paths, with how they are made. */
export function importsOf(file: string, text: string): {target: string; line: number; dynamic: boolean}[] {
  const found: {target: string; line: number; dynamic: boolean}[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2]!;
    if (!specifier.startsWith(".")) continue;
    found.push({target: normalize(join(dirname(file), specifier)), line: lineOf(text, match.index), dynamic: match[2] !== undefined});
  }
  return found;
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Imports that break the one-way flow. */
export function importFindings(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const add = (line: number, rule: string, target: string) => findings.push({file, line, rule, text: target});
  for (const {target, line, dynamic} of importsOf(file, text)) {
    if (inside(file, "data-loaders") && inside(target, "src") && !inside(target, "src/core")) add(line, "data-loaders imports src/ outside src/core/", target);
    if (inside(file, "src/core") && !inside(target, "src/core")) add(line, "src/core/ imports outside src/core/", target);
    if (inside(file, "src") && !inside(file, "src/data") && inside(target, "data-loaders")) add(line, "the site imports data-loaders/", target);
    if (inside(file, "data-loaders") && !inside(file, "data-loaders/sample") && inside(target, "data-loaders/sample")) {
      // The one exception, by name: the zero-config default generates the sample when nothing else is configured.
      if (!(file === "data-loaders/sources/resolve.ts" && dynamic)) add(line, "production code imports the sample generator", target);
    }
  }
  return findings;
}

/** The SQL of a page: its ```sql fences and its sql`…` templates, with the line each starts on. */
export function pageSql(text: string): {sql: string; line: number}[] {
  const blocks: {sql: string; line: number}[] = [];
  for (const m of text.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)) blocks.push({sql: m[1]!, line: lineOf(text, m.index) + 1});
  for (const m of text.matchAll(/\bsql`([^`]*)`/g)) blocks.push({sql: m[1]!, line: lineOf(text, m.index)});
  return blocks;
}

const SQL_RULES: {rule: string; pattern: RegExp}[] = [
  // A comparison with a number other than 0 or 1 is a threshold (110 %, 80 %, day 90 …): a metric's definition.
  {rule: "page SQL compares with a threshold literal", pattern: /[<>]=?\s*-?(?!(?:0|1)(?![\d.]))\d+(?:\.\d+)?/},
  // `case when … then 'over'`: a status vocabulary decided on the page.
  {rule: "page SQL derives a status word", pattern: /\b(?:case|CASE)\b[\s\S]*?\b(?:then|else|THEN|ELSE)\s+'[a-z_]+'/},
  // `100 * (a - b) / b`: a rate computed on the page.
  {rule: "page SQL scales a ratio to a percent", pattern: /\b100(?:\.0*)?\s*\*|\*\s*100(?:\.0*)?\b/}
];

/** Figures a page's SQL defines, one finding per rule and line. */
export function sqlFindings(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const block of pageSql(text)) {
    const sql = block.sql.replace(/--[^\n]*/g, (c) => " ".repeat(c.length)); // comments may explain thresholds
    for (const {rule, pattern} of SQL_RULES) {
      const global = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`);
      for (const m of sql.matchAll(global)) {
        const line = block.line + lineOf(sql, m.index) - 1;
        findings.push({file, line, rule, text: sql.split("\n")[lineOf(sql, m.index) - 1]!.trim()});
      }
    }
  }
  return findings;
}

function treeFindings(): Finding[] {
  const files = [...listFiles("data-loaders"), ...listFiles("src")];
  return files.flatMap((file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    return [...importFindings(file, text), ...(file.startsWith("src/") && file.endsWith(".md") ? sqlFindings(file, text) : [])];
  });
}

const show = (f: Finding) => `${f.file}:${f.line}: ${f.rule}: ${f.text}`;

describe("the tree's shape", () => {
  const findings = treeFindings();

  it("has no import or page SQL against the one-way flow, but the known offenders", () => {
    assert.deepEqual(findings.filter((f) => !KNOWN.has(`${f.file}: ${f.rule}`)).map(show), []);
  });

  it("lists no known offender that is gone (shrink KNOWN when one is fixed)", () => {
    const present = new Set(findings.map((f) => `${f.file}: ${f.rule}`));
    assert.deepEqual([...KNOWN].filter((k) => !present.has(k)), []);
  });

  it("checks every folder it names (the walk finds data-loaders/ and src/ files)", () => {
    assert.ok(listFiles("data-loaders").includes("data-loaders/sources/resolve.ts"));
    assert.ok(listFiles("src").some((f) => f.endsWith(".md")));
  });
});

describe("importFindings(file, text)", () => {
  it("catches data-loaders/ importing a site component, with its line", () => {
    const text = `// a document\nimport {money} from "../../src/components/format.js";\n`;
    assert.deepEqual(importFindings("data-loaders/documents/report.ts", text), [
      {file: "data-loaders/documents/report.ts", line: 2, rule: "data-loaders imports src/ outside src/core/", text: "src/components/format.js"}
    ]);
  });

  it("lets data-loaders/ import src/core/", () => {
    assert.deepEqual(importFindings("data-loaders/documents/report.ts", `import {money} from "../../src/core/format.js";`), []);
  });

  it("catches src/core/ importing a component", () => {
    assert.equal(importFindings("src/core/charts/burn.ts", `import {cards} from "../../components/cards.js";`)[0]?.rule, "src/core/ imports outside src/core/");
  });

  it("catches a page or component importing data-loaders/, but not a loader in src/data/", () => {
    assert.equal(importFindings("src/components/cards.ts", `import {snapshot} from "../../data-loaders/snapshot/snapshot.js";`)[0]?.rule, "the site imports data-loaders/");
    assert.deepEqual(importFindings("src/data/snapshot.json.ts", `import {siteSnapshot} from "../../data-loaders/snapshot/site.js";`), []);
  });

  it("catches a source, model or document importing the sample generator, statically or not", () => {
    const rule = "production code imports the sample generator";
    assert.equal(importFindings("data-loaders/sources/api/pull.ts", `import {stagedBatches} from "../../sample/writers.js";`)[0]?.rule, rule);
    assert.equal(importFindings("data-loaders/sources/export/stage.ts", `export {isoDay} from "../../sample/dates.js";`)[0]?.rule, rule);
    assert.equal(importFindings("data-loaders/models/build.ts", `const m = await import("../sample/generate.js");`)[0]?.rule, rule);
    assert.equal(importFindings("data-loaders/documents/build.ts", `import type {Model} from "../sample/model.js";`)[0]?.rule, rule);
  });

  it("allows sources/resolve.ts's dynamic import of the generator, and only that", () => {
    assert.deepEqual(importFindings("data-loaders/sources/resolve.ts", `const {generateSampleExport} = await import("../sample/generate.js");`), []);
    assert.equal(importFindings("data-loaders/sources/resolve.ts", `import {generateSampleExport} from "../sample/generate.js";`).length, 1);
  });

  it("ignores package imports", () => {
    assert.deepEqual(importFindings("src/core/format.ts", `import * as d3 from "d3";\nimport {x} from "node:fs";`), []);
  });
});

describe("sqlFindings(file, text)", () => {
  const page = (sql: string) => `# Page\n\n\`\`\`sql id=x\n${sql}\n\`\`\`\n`;

  it("catches a threshold literal in a comparison, with the page line", () => {
    const found = sqlFindings("src/p.md", page("select *\nfrom pacing where burn_rate_pct >= 110"));
    assert.deepEqual(found.map((f) => [f.line, f.rule]), [[5, "page SQL compares with a threshold literal"]]);
  });

  it("catches thresholds in sql`` templates too", () => {
    const text = "```js\nconst rows = await sql`select * from pacing where pct < 80`;\n```\n";
    assert.deepEqual(sqlFindings("src/p.md", text).map((f) => [f.line, f.rule]), [[2, "page SQL compares with a threshold literal"]]);
  });

  it("lets comparisons with 0 and 1 through (signs, presence), and decimals starting with them are still caught", () => {
    assert.deepEqual(sqlFindings("src/p.md", page("select * from t where len(flags) > 0 and n >= 1 and shared > 0")), []);
    assert.equal(sqlFindings("src/p.md", page("select * from t where pct > 1.1")).length, 1);
    assert.equal(sqlFindings("src/p.md", page("select * from t where pct > 10")).length, 1);
  });

  it("catches a case expression that produces a status word", () => {
    const sql = "select case when bool_or(status = 'over') then 'over' else 'on_track' end as status from pacing";
    assert.equal(sqlFindings("src/p.md", page(sql))[0]?.rule, "page SQL derives a status word");
  });

  it("lets a case expression that produces a display label or a sort key through", () => {
    assert.deepEqual(sqlFindings("src/p.md", page("select case when label in (select label from top) then label else 'Other customers' end from r")), []);
    assert.deepEqual(sqlFindings("src/p.md", page("select * from m order by case when pct is not null then 1 else 2 end")), []);
  });

  it("catches a ratio scaled to a percent", () => {
    assert.equal(sqlFindings("src/p.md", page("select 100 * (a - b) / b as growth_pct from u"))[0]?.rule, "page SQL scales a ratio to a percent");
  });

  it("ignores SQL comments and code outside SQL", () => {
    assert.deepEqual(sqlFindings("src/p.md", page("-- over when > 110 %\nselect * from pacing")), []);
    assert.deepEqual(sqlFindings("src/p.md", "```js\nconst big = rows.filter((r) => r.pct > 110);\n```\n"), []);
  });
});
