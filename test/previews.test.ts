// First views drawn at build time (data-loaders/snapshot/previews.ts): /revenue's default view — the currency with
// the most revenue, by product, by day over the 90 days before as_of — on hand-made marts.
import assert from "node:assert/strict";
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {openMarts} from "../data-loaders/snapshot/site.js";
import {previews, revenuePreviewData} from "../data-loaders/snapshot/previews.js";

const AS_OF = "2026-10-15";
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "meterbook-previews-"));
  mkdirSync(join(dir, "marts"));
  const {instance, connection} = await openDuckDB();
  // USD: $30.00 + $5.00 on 2026-10-14 (two customers' rows of one product), $7.00 of Storage on 2026-07-17 (the
  // window's first day), $100.00 on 2026-07-16 (the day before it: out), $1.00 on 2026-10-15 (as_of: out), and $9.00
  // without a product name (out: the page's product list holds names). EUR: €40. Currencies are ranked by their
  // revenue over every date, as the page ranks them: USD's $159.00 against €40.
  await connection.run(`copy (select * from (values
      ('2026-10-14'::date, 'p1', 'Compute', 'usd', 3000::decimal(38,9), 1::decimal(38,9), 'c1', 'usage'),
      ('2026-10-14'::date, 'p1', 'Compute', 'usd', 500::decimal(38,9), 1::decimal(38,9), 'c2', 'usage'),
      ('2026-07-17'::date, 'p2', 'Storage', 'usd', 700::decimal(38,9), 1::decimal(38,9), 'c1', 'usage'),
      ('2026-07-16'::date, 'p2', 'Storage', 'usd', 10000::decimal(38,9), 1::decimal(38,9), 'c1', 'usage'),
      ('2026-10-15'::date, 'p1', 'Compute', 'usd', 100::decimal(38,9), 1::decimal(38,9), 'c1', 'usage'),
      ('2026-10-01'::date, null, null, 'usd', 900::decimal(38,9), 1::decimal(38,9), 'c1', 'usage'),
      ('2026-10-01'::date, 'p1', 'Compute', 'eur', 40::decimal(38,9), 1::decimal(38,9), 'c3', 'usage')
    ) as t(date, product_id, product_name, credit_type_id, revenue_minor, quantity, customer_id, category))
    to '${join(dir, "marts", "revenue_daily.parquet")}' (format parquet)`);
  await connection.run(`copy (select * from (values ('usd', 'USD (cents)', 'USD', 100), ('eur', 'EUR', 'EUR', 1)) as t(credit_type_id, name, currency_code, minor_per_major))
    to '${join(dir, "marts", "credit_types.parquet")}' (format parquet)`);
  connection.closeSync();
  instance.closeSync();
});
after(() => rmSync(dir, {recursive: true, force: true}));

describe("revenuePreviewData(connection, asOf)", () => {
  it("selects the page's default view: the largest currency, named products, the 90 days before as_of, summed per day and product", async () => {
    const {instance, connection} = await openMarts(dir);
    try {
      const data = await revenuePreviewData(connection, AS_OF);
      assert.equal(data.currency, "usd");
      assert.equal(data.start.toISOString(), "2026-07-17T00:00:00.000Z");
      assert.equal(data.end.toISOString(), "2026-10-14T00:00:00.000Z");
      assert.deepEqual(data.points.map((p) => [p.date.toISOString().slice(0, 10), p.series, p.revenue_minor]), [
        ["2026-07-17", "Storage", 700],
        ["2026-10-14", "Compute", 3500]
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("previews(dir, asOf)", () => {
  it("draws /revenue's preview with the page's title and description, one area per product", async () => {
    const html = new TextDecoder().decode((await previews(dir, AS_OF))["revenue.html"]);
    assert.match(html, /<h2>Daily revenue by product \(USD\)<\/h2>/);
    assert.match(html, /Daily revenue in USD, stacked by product, from 2026-07-17 to 2026-10-14\./);
    const areas = /<g aria-label="area" class="mb-series">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
    assert.equal(areas.match(/<path/g)?.length, 2);
    assert.deepEqual([...html.matchAll(/-swatch"><svg[^>]*><rect[^>]*><\/rect><\/svg>([^<]+)<\/span>/g)].map((m) => m[1]), ["Compute", "Storage"]);
  });
});
