import assert from "node:assert/strict";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {CUSTOMER_VIEW_ID} from "../../data-loaders/snapshot/site.js";
import {hashedName, writeCustomerPages} from "../../scripts/customer-pages.js";

const V = CUSTOMER_VIEW_ID;

/** A view as Framework renders it: registerFile lines for the placeholder's files and a shared one, the id inlined. */
function view(files: string[]): string {
  const lines = files.map((f) => `registerFile("../data/customers/${V}/${f}", {"name":"../data/customers/${V}/${f}","path":"../_file/data/customers/${V}/${f.replace(".", ".0000aaaa.")}","lastModified":1,"size":0});`);
  return [
    `<html><head><title>Customer</title></head><body>`,
    `<script type="module">`,
    `import {registerFile} from "../_observablehq/stdlib.js";`,
    ...lines,
    `registerFile("../data/snapshot.json", {"name":"../data/snapshot.json","mimeType":"application/json","path":"../_file/data/snapshot.1234abcd.json","lastModified":2,"size":9});`,
    `const db = FileAttachment("../data/customers/${V}/pacing.parquet"); const id = "${V}";`,
    `</script><a href="../qbr/${V}">QBR</a></body></html>`
  ].join("\n");
}

describe("writeCustomerPages({dist, filesDir})", () => {
  let root: string;
  let dist: string;
  let filesDir: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "customer-pages-"));
    dist = join(root, "dist");
    filesDir = join(root, "customers");
    for (const [id, text] of [["c1", "one"], ["c2", "two"], [V, ""]]) {
      mkdirSync(join(filesDir, id!), {recursive: true});
      writeFileSync(join(filesDir, id!, "pacing.parquet"), `pacing ${text}`);
      writeFileSync(join(filesDir, id!, "invoices.parquet"), `invoices ${text}`);
    }
    writeFileSync(join(filesDir, ".snapshot"), "hash");
    mkdirSync(join(dist, "customers"), {recursive: true});
    mkdirSync(join(dist, "qbr"), {recursive: true});
    mkdirSync(join(dist, "_file", "data", "customers", V), {recursive: true});
    writeFileSync(join(dist, "_file", "data", "customers", V, "pacing.0000aaaa.parquet"), "");
    writeFileSync(join(dist, "customers", `${V}.html`), view(["invoices.parquet", "pacing.parquet"]));
    writeFileSync(join(dist, "qbr", `${V}.html`), view(["pacing.parquet"]));
    writeFileSync(join(dist, "index.html"), "<html></html>");
    await writeCustomerPages({dist, filesDir});
  });
  after(() => rmSync(root, {recursive: true, force: true}));

  it("writes one page per customer per view, and removes the views", () => {
    assert.deepEqual(readdirSync(join(dist, "customers")).sort(), ["c1.html", "c2.html"]);
    assert.deepEqual(readdirSync(join(dist, "qbr")).sort(), ["c1.html", "c2.html"]);
  });

  it("copies each customer's files content-hashed, and removes the placeholder's", () => {
    const pacing = hashedName("pacing.parquet", Buffer.from("pacing one"));
    assert.equal(readFileSync(join(dist, "_file", "data", "customers", "c1", pacing), "utf8"), "pacing one");
    assert.equal(existsSync(join(dist, "_file", "data", "customers", V)), false);
  });

  it("points the page's registerFile entries at the customer's own files, with their size", () => {
    const html = readFileSync(join(dist, "customers", "c2.html"), "utf8");
    const pacing = hashedName("pacing.parquet", Buffer.from("pacing two"));
    assert.ok(html.includes(`registerFile("../data/customers/c2/pacing.parquet", {"name":"../data/customers/c2/pacing.parquet","path":"../_file/data/customers/c2/${pacing}","lastModified":`));
    assert.match(html, /c2\/pacing\.parquet","path":"[^"]+","lastModified":\d+,"size":10\}\);/);
  });

  it("puts the customer's id wherever the page had the placeholder, and keeps shared files as they were", () => {
    const html = readFileSync(join(dist, "qbr", "c1.html"), "utf8");
    assert.equal(html.includes(V), false);
    assert.ok(html.includes(`const id = "c1";`));
    assert.ok(html.includes(`<a href="../qbr/c1">`));
    assert.ok(html.includes(`"path":"../_file/data/snapshot.1234abcd.json"`));
  });

  it("fails when a view reads a file not written per customer", async () => {
    const broken = join(root, "broken");
    mkdirSync(join(broken, "customers"), {recursive: true});
    writeFileSync(join(broken, "customers", `${V}.html`), view(["forecast.json"]));
    await assert.rejects(writeCustomerPages({dist: broken, filesDir}), /forecast\.json, which is not written per customer/);
  });

  it("fails when a view reads a per-customer file of a parameterized loader", async () => {
    const broken = join(root, "broken-loader");
    mkdirSync(join(broken, "accounts"), {recursive: true});
    writeFileSync(join(broken, "accounts", `${V}.html`), `registerFile("../data/forecast/${V}.json", {"name":"../data/forecast/${V}.json","path":"../_file/data/forecast/${V}.0000aaaa.json"});\n`);
    await assert.rejects(writeCustomerPages({dist: broken, filesDir}), /forecast\/meterbook-customer-view\.json, which is not written per customer/);
  });
});
