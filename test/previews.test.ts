// First views drawn at build time (data-loaders/snapshot/previews.ts), each page's on hand-made marts: what it
// selects (the page's default view) and what it draws (the page's own chart or table code).
import assert from "node:assert/strict";
import {cpSync, mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {after, before, describe, it} from "node:test";
import {JSDOM} from "jsdom";
import type {DuckDBConnection} from "@duckdb/node-api";
import {openDuckDB} from "../data-loaders/lib/duckdb.js";
import {openMarts} from "../data-loaders/snapshot/site.js";
import {NO_COST_INPUT_HTML} from "../src/core/vocabulary.js";
import {ALERTS_PREVIEW_ROWS, OWNER_PREVIEW_ROWS, dataHealthPreview, ownerPreviews, alertsPreview, forecastPreviewData, overviewPreviewData, previews, revenuePreviewData, unitEconomicsPreviewData, usagePreviewData} from "../data-loaders/snapshot/previews.js";

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
  // Usage: "Alpha" has usage only in the 12-month window, "Beta" in the 3-month one too: /usage opens on Beta, its
  // customers in rank order. (Zeta is after Beta by name.)
  await connection.run(`copy (select * from (values
      ('c1', 'pa', 12, 500::decimal(38,9), 50.0, '2025-10-01'::date, 1),
      ('c2', 'pb', 3, 70::decimal(38,9), 70.0, '2026-07-01'::date, 1),
      ('c1', 'pb', 3, 30::decimal(38,9), 30.0, '2026-07-01'::date, 2),
      ('c1', 'pb', 12, 130::decimal(38,9), 100.0, '2025-10-01'::date, 1),
      ('c1', 'pz', 3, 9::decimal(38,9), 100.0, '2026-07-01'::date, 1)
    ) as t(customer_id, product_id, window_months, quantity, share_pct, window_start_date, quantity_rank))
    to '${join(dir, "marts", "usage_top_customers.parquet")}' (format parquet)`);
  await connection.run(`copy (select * from (values
      ('v2', '30d', 'all', 'all', 2, 12.5), ('baseline', '30d', 'all', 'all', 2, 15.0), ('v2', '7d', 'all', 'all', 1, 9.0),
      ('baseline', '7d', 'all', 'all', 1, null), ('v2', '7d', 'balance_type', 'prepaid', 1, 3.0)
    ) as t(method, horizon, slice_kind, slice, horizon_rank, wape_pct)) to '${join(dir, "marts", "forecast_accuracy.parquet")}' (format parquet)`);
  await connection.run(`copy (select * from (values ('c1', 'Acme', 'Dana Ruiz', false), ('c2', 'Borealis', null, false)) as t(customer_id, label, owner, is_archived)) to '${join(dir, "marts", "customers.parquet")}' (format parquet)`);
  // Pacing: Acme's b1 at 120 % (over, a flag and a pattern), Borealis's b2 with nothing expected yet (null %), Acme's
  // b3 at 90 % (a postpaid commit with a true-up): the page's order is burn % descending, nulls last.
  await connection.run(`copy (select * from (values
      ('c1', 'b1', 's1', 'prepaid', 'usd', 100000::decimal(38,9), 50000::decimal(38,9), 60000::decimal(38,9), 40000::decimal(38,9), 120.0, 'over', ['unsustainable'], ['gradual_growth'], '2026-12-01'::date, 64.5, 0::decimal(38,9), null::decimal(38,9)),
      ('c2', 'b2', 's2', 'credit', 'eur', 500::decimal(38,9), 0::decimal(38,9), 0::decimal(38,9), 500::decimal(38,9), null, 'on_track', [], [], null, null, null, null),
      ('c1', 'b3', 's3', 'postpaid', 'usd', 200000::decimal(38,9), 100000::decimal(38,9), 90000::decimal(38,9), 110000::decimal(38,9), 90.0, 'on_track', [], [], null, 10.0, null, 2500::decimal(38,9))
    ) as t(customer_id, balance_id, segment_id, balance_type, credit_type_id, amount_minor, expected_to_date_minor, burned_to_date_minor, remaining_minor,
      burn_rate_pct, status, flags, patterns, projected_exhaustion_date, exhaust_chance_pct, projected_breakage_minor, projected_true_up_minor))
    to '${join(dir, "marts", "pacing.parquet")}' (format parquet)`);
  // Cost per unit: EUR comes before USD by id, so /unit-economics opens on EUR, and on its first product by name,
  // Compute (p1) before Storage (p0); of the two named Compute, p1 before p2 by id. USD's Alpha is not shown. p1's
  // days: Oct 1 had cost but no usage (no cost per unit), Oct 2 €50 over 2 units, Oct 3 usage and no cost (0 a unit),
  // in date order whatever the file's.
  await connection.run(`copy (select * from (values
      ('2026-10-01'::date, 'p2', 'Compute', 'eur', 9::decimal(38,9), 3::decimal(38,9), 3::decimal(38,9)),
      ('2026-10-02'::date, 'p1', 'Compute', 'eur', 50::decimal(38,9), 2::decimal(38,9), 25::decimal(38,9)),
      ('2026-10-01'::date, 'p1', 'Compute', 'eur', 30::decimal(38,9), 0::decimal(38,9), null::decimal(38,9)),
      ('2026-10-03'::date, 'p1', 'Compute', 'eur', 0::decimal(38,9), 5::decimal(38,9), 0::decimal(38,9)),
      ('2026-10-01'::date, 'p0', 'Storage', 'eur', 8::decimal(38,9), 4::decimal(38,9), 2::decimal(38,9)),
      ('2026-10-01'::date, 'pa', 'Alpha', 'usd', 100::decimal(38,9), 1::decimal(38,9), 100::decimal(38,9))
    ) as t(date, product_id, product_name, credit_type_id, cost_minor, quantity, cost_per_unit_minor)) to '${join(dir, "marts", "unit_cost_daily.parquet")}' (format parquet)`);
  await connection.run(`copy (select * from (values ('pa', 'Alpha'), ('pb', 'Beta'), ('pz', 'Zeta')) as t(product_id, product_name)) to '${join(dir, "marts", "products.parquet")}' (format parquet)`);
  // Customer status (mart_customer_status): Acme on track; Borealis has no active segment (no row).
  await connection.run(`copy (select * from (values ('c1', 'on_track', 2, 0, 0)) as t(customer_id, status, active_segments, over_segments, under_segments))
    to '${join(dir, "marts", "customer_status.parquet")}' (format parquet)`);
  // Findings: an info, two warnings (the later check first in the file), an error with four examples (three shown,
  // one with no customer and no detail). The page's order: error, warning, info, each by check then table.
  await connection.run(`copy (select * from (values
      ('unknown_line_type', 'info', 'line_item', 'line_item_type', 2::bigint, ['l1'], [null::varchar], ['type x']::varchar[], 's1', 'm1', 'a1'),
      ('stale_table', 'warning', 'invoice', null, 1::bigint, []::varchar[], []::varchar[], []::varchar[], 's2', 'm2', 'a2'),
      ('backdated_usage', 'warning', 'breakdowns_line_items', null, 1::bigint, ['l2'], ['c2'], ['3 days late'], 's3', 'm3', 'a3'),
      ('duplicate_key', 'error', 'customer', 'customer_id', 4::bigint, ['k1', 'k2', 'k3', 'k4'], ['c1', null, 'c2', 'c1'], ['twice', null, 'twice', 'twice'], 's4', 'm4', 'a4')
    ) as t(check_id, severity, table_name, column_name, finding_count, example_keys, example_customer_ids, example_details, summary, meaning, action))
    to '${join(dir, "marts", "findings.parquet")}' (format parquet)`);
  connection.closeSync();
  instance.closeSync();
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** Runs `use` on the connection `open` gives (a fresh DuckDB by default), closing both after. */
async function withConnection<T>(use: (connection: DuckDBConnection) => Promise<T>, open: () => ReturnType<typeof openDuckDB> = () => openDuckDB()): Promise<T> {
  const {instance, connection} = await open();
  try {
    return await use(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("revenuePreviewData(connection, asOf)", () => {
  it("selects the page's default view: the largest currency, named products, the 90 days before as_of, summed per day and product", async () => {
    await withConnection(async (connection) => {
      const data = await revenuePreviewData(connection, AS_OF);
      assert.equal(data.currency, "usd");
      assert.equal(data.start.toISOString(), "2026-07-17T00:00:00.000Z");
      assert.equal(data.end.toISOString(), "2026-10-14T00:00:00.000Z");
      assert.deepEqual(data.points.map((p) => [p.date.toISOString().slice(0, 10), p.series, p.revenue_minor]), [
        ["2026-07-17", "Storage", 700],
        ["2026-10-14", "Compute", 3500]
      ]);
    }, () => openMarts(dir));
  });
});

describe("usagePreviewData(connection)", () => {
  it("selects the page's default view: the first product by name with usage in the last 3 months, its customers by rank", async () => {
    await withConnection(async (connection) => {
      const {product, top} = await usagePreviewData(connection);
      assert.deepEqual(product, {product_id: "pb", product_name: "Beta"});
      assert.deepEqual(top.map((d) => [d.label, d.quantity, d.share_pct, d.window_start_date]), [
        ["Borealis", 70, 70, "2026-07-01"],
        ["Acme", 30, 30, "2026-07-01"]
      ]);
    }, () => openMarts(dir));
  });
});

describe("overviewPreviewData(connection, asOf) and forecastPreviewData(connection)", () => {
  it("the overview's daily revenue: the largest currency from as_of − 90 days on (as_of's own day included, as the page reads it), every product", async () => {
    await withConnection(async (connection) => {
      assert.deepEqual((await overviewPreviewData(connection, AS_OF)).map((d) => [d.date, d.credit_type_id, d.revenue_minor]), [
        ["2026-07-17", "usd", 700],
        ["2026-10-01", "usd", 900],
        ["2026-10-14", "usd", 3500],
        ["2026-10-15", "usd", 100]
      ]);
      assert.deepEqual((await forecastPreviewData(connection)).map((d) => [d.method, d.horizon, d.wape_pct]), [
        ["baseline", "7d", null],
        ["v2", "7d", 9],
        ["baseline", "30d", 15],
        ["v2", "30d", 12.5]
      ]);
    }, () => openMarts(dir));
  });
});

describe("unitEconomicsPreviewData(connection)", () => {
  it("selects the page's default view: the first currency by id, its first product by name (then id), cost per unit by day", async () => {
    await withConnection(async (connection) => {
      const {currency, product, points} = await unitEconomicsPreviewData(connection);
      assert.equal(currency, "eur");
      assert.deepEqual(product, {product_id: "p1", product_name: "Compute"});
      assert.deepEqual(points.map((d) => [d.date.toISOString().slice(0, 10), d.cost_per_unit_minor]), [["2026-10-01", null], ["2026-10-02", 25], ["2026-10-03", 0]]);
    }, () => openMarts(dir));
  });
});

describe("dataHealthPreview(connection, asOf, document)", () => {
  it("with no finding: the count line at zero and the page's empty state, no table", async () => {
    await withConnection(async (connection) => {
      await connection.run(`create view mart_findings as select * from (values ('c', 'info', 't', null::varchar, 1::bigint, ['k'], ['x'], ['d'], 's', 'm', 'a'))
        as t(check_id, severity, table_name, column_name, finding_count, example_keys, example_customer_ids, example_details, summary, meaning, action) where false`);
      const {document} = new JSDOM(await dataHealthPreview(connection, AS_OF, new JSDOM("").window.document)).window;
      assert.equal(document.querySelector(".mb-finding-counts")?.textContent, "0 errors · 0 warnings · 0 info");
      assert.equal(document.querySelector(".mb-empty-state")?.textContent, "No findings: the snapshot found nothing in the data worth reporting.");
      assert.equal(document.querySelectorAll("table, h3").length, 0);
    });
  });
});

describe("ownerPreviews(connection, asOf, document)", () => {
  it("orders each owner's customers as the page does (over, under, on track, none; then label and id) and shows the first OWNER_PREVIEW_ROWS, saying how many", async () => {
    await withConnection(async (connection) => {
      // 55 customers of one owner: five named alike to test the id tie-break, statuses spread over the four kinds.
      await connection.run(`create view mart_customers as select 'c' || lpad(i::varchar, 2, '0') as customer_id, case when i < 5 then 'Same' else 'Customer ' || lpad(i::varchar, 2, '0') end as label,
        'Ana' as owner, i = 7 as is_archived from range(${OWNER_PREVIEW_ROWS + 5}) as t(i)`);
      await connection.run(`create view mart_customer_status as select 'c' || lpad(i::varchar, 2, '0') as customer_id,
        case i % 4 when 0 then 'on_track' when 1 then 'under' else 'over' end as status, 1 as active_segments, (i % 4 > 1)::integer as over_segments, (i % 4 = 1)::integer as under_segments
        from range(${OWNER_PREVIEW_ROWS + 5}) as t(i) where i % 4 <> 3 or i < 20`);
      const {document} = new JSDOM((await ownerPreviews(connection, AS_OF, new JSDOM("").window.document)).pages.ana).window;
      const keys = [...document.querySelectorAll("tbody tr")].map((r) => (r as HTMLElement).dataset.key!);
      const expected = (await (await connection.runAndReadAll(`select c.customer_id from mart_customers as c left join mart_customer_status as s using (customer_id)
        order by s.status = 'over' desc, s.status = 'under' desc, s.status is null, c.label, c.customer_id limit ${OWNER_PREVIEW_ROWS}`)).getRowObjectsJS()).map((r) => r.customer_id);
      assert.deepEqual(keys, expected);
      // By hand: 19 over (i % 4 = 2, and 3 below 20), 14 under, 14 on track, then 3 of the 8 with no status. The first
      // over by label is "Customer 06"; the two "Same" overs (c02, c03) follow every "Customer" over, before the unders.
      assert.equal(keys[0], "c06");
      assert.ok(keys.indexOf("c02") > keys.indexOf("c19") && keys.indexOf("c02") < keys.indexOf("c01"), "Same (over) after every other over, before the unders");
      assert.deepEqual(keys.filter((k) => ["c00", "c04"].includes(k)), ["c00", "c04"], "two 'Same' on track in id order");
      assert.equal(document.querySelector(".mb-count")?.textContent, `${OWNER_PREVIEW_ROWS} of ${OWNER_PREVIEW_ROWS + 5} rows`);
      assert.match(document.querySelector(".mb-legend")?.textContent ?? "", new RegExp(`^The first ${OWNER_PREVIEW_ROWS} of ${OWNER_PREVIEW_ROWS + 5} customers, over first\\.`));
      assert.match(document.querySelector("tr[data-key='c07'] td")?.textContent ?? "", /^Customer 07 archived$/);
    });
  });
});

describe("alertsPreview(connection, now, owners, asOf, document)", () => {
  // Four alerts firing: info, critical, warning, and a second critical whose customer sorts first by label. The page's
  // order is critical, then warning, then the rest, each by label: Acme's critical, Borealis's, Cobalt's warning,
  // Acme's info. Owners are slugged over every customer's owner, as the page slugs them.
  const NOW = `select * from (values
      ('flag_x', 'info', 's4', 'c1', 'Acme', 'Dana Ruiz', 'firing', 'Adoption risk: 30 %'),
      ('runs_out', 'critical', 's2', 'c2', 'Borealis', null, 'fired', 'Runs out in 9 days'),
      ('over_pace', 'warning', 's3', 'c3', 'Cobalt', 'Dana Ruiz', 'firing', 'Burn 130 %'),
      ('runs_out', 'critical', 's1', 'c1', 'Acme', 'Dana Ruiz', 'fired', 'Runs out in 3 days')
    ) as t(rule_id, severity, subject_id, customer_id, label, owner, event, figure)`;
  const draw = (now: string) => withConnection((connection) => alertsPreview(connection, now, ["Dana Ruiz", null], AS_OF, new JSDOM("").window.document));

  it("draws the page's table over the alerts in its order: critical first, each cell as the page draws it, the count, no download", async () => {
    const {document} = new JSDOM(await draw(NOW)).window;
    const rows = [...document.querySelectorAll("tbody tr")];
    assert.deepEqual(rows.map((r) => (r as HTMLElement).dataset.key), ["runs_out|s1", "runs_out|s2", "over_pace|s3", "flag_x|s4"]);
    const cells = (i: number) => [...rows[i]!.querySelectorAll("td")].map((td) => td.textContent);
    assert.deepEqual(cells(0), ["Acme", "Dana Ruiz", "runs_out", "critical", "new this week", "Runs out in 3 days"]);
    assert.deepEqual(cells(1), ["Borealis", "Unassigned", "runs_out", "critical", "new this week", "Runs out in 9 days"]);
    assert.deepEqual(cells(3), ["Acme", "Dana Ruiz", "flag_x", "info", "a week or more", "Adoption risk: 30 %"]);
    assert.equal(rows[0]!.querySelector("td a")?.getAttribute("href"), "./customers/c1");
    assert.equal(rows[1]!.querySelectorAll("td")[1]!.querySelector("a")?.getAttribute("href"), "./owners/unassigned");
    assert.equal(document.querySelector(".mb-count")?.textContent, "4 of 4 rows");
    assert.match(document.querySelector(".mb-legend")?.textContent ?? "", /^The 4 alerts firing, critical first\./);
    assert.equal(document.querySelector(".mb-download"), null);
  });

  it("shows the first ALERTS_PREVIEW_ROWS of more, saying how many; nothing when none fires", async () => {
    const many = `select 'rule' as rule_id, 'info' as severity, 's' || lpad(i::varchar, 3, '0') as subject_id, 'c' || i as customer_id,
      'Customer ' || lpad(i::varchar, 3, '0') as label, null as owner, 'firing' as event, 'x' as figure from range(${ALERTS_PREVIEW_ROWS + 7}) as t(i)`;
    const {document} = new JSDOM(await draw(many)).window;
    assert.equal(document.querySelectorAll("tbody tr").length, ALERTS_PREVIEW_ROWS);
    assert.equal(document.querySelector(".mb-count")?.textContent, `${ALERTS_PREVIEW_ROWS} of ${ALERTS_PREVIEW_ROWS + 7} rows`);
    assert.match(document.querySelector(".mb-legend")?.textContent ?? "", new RegExp(`^The first ${ALERTS_PREVIEW_ROWS} of ${ALERTS_PREVIEW_ROWS + 7} alerts firing`));
    assert.equal(await draw(`${NOW} where false`), "");
  });
});

describe("previews(dir, asOf)", () => {
  it("draws /data-health's findings with the page's count line and tables: by severity, each in its order, three examples and how many more, no download", async () => {
    const {document} = new JSDOM(new TextDecoder().decode((await previews(dir, AS_OF))["data-health.html"])).window;
    assert.equal(document.querySelector(".mb-finding-counts")?.textContent, "1 errors · 2 warnings · 1 info");
    assert.deepEqual([...document.querySelectorAll("h3")].map((h) => h.textContent), ["Errors", "Warnings", "Info"]);
    assert.deepEqual([...document.querySelectorAll("table.mb-table")].map((t) => [...t.querySelectorAll("tbody tr")].map((r) => (r as HTMLElement).dataset.key)),
      [["duplicate_key/customer"], ["backdated_usage/breakdowns_line_items", "stale_table/invoice"], ["unknown_line_type/line_item"]]);
    const cells = [...document.querySelectorAll("tbody tr")[0]!.querySelectorAll("td")].map((td) => td.textContent);
    assert.deepEqual(cells, ["duplicate_key", "customer.customer_id", "4", "m4", "a4", "k1: twice (c1)k2k3: twice (c2)and 1 more"]);
    assert.deepEqual([...document.querySelectorAll("tbody tr")[0]!.querySelectorAll("ul.mb-examples a")].map((a) => a.getAttribute("href")), ["./customers/c1", "./customers/c2"]);
    assert.equal([...document.querySelectorAll("tbody tr")[2]!.querySelectorAll("td")].at(-1)!.textContent, "", "no examples, an empty cell");
    assert.equal(document.querySelector(".mb-download"), null);
    assert.match(document.querySelector(".mb-legend")?.textContent ?? "", /CSV downloads come with the data engine/);
  });

  it("draws each owner's first table with the page's table: by slug, the owner's customers only, their status, no download; and each slug's owner", async () => {
    const files = await previews(dir, AS_OF);
    assert.deepEqual(Object.keys(files).filter((f) => f.startsWith("owners/")).sort(), ["owners/dana-ruiz.html", "owners/unassigned.html"]);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(files["owners.json"])), {"dana-ruiz": "Dana Ruiz", unassigned: null}, "each page's owner by its slug");
    const page = (slug: string) => new JSDOM(new TextDecoder().decode(files[`owners/${slug}.html`])).window.document;
    const dana = page("dana-ruiz");
    assert.deepEqual([...dana.querySelectorAll("tbody tr")].map((r) => [(r as HTMLElement).dataset.key, ...[...r.querySelectorAll("td")].map((td) => td.textContent)]), [["c1", "Acme", "On track", "2", "0", "0"]]);
    assert.equal(dana.querySelector("tbody tr a")?.getAttribute("href"), "../customers/c1");
    assert.equal(dana.querySelector(".mb-count")?.textContent, "1 of 1 rows");
    assert.equal(dana.querySelector(".mb-download"), null);
    const unassigned = page("unassigned");
    assert.deepEqual([...unassigned.querySelectorAll("tbody tr td")].map((td) => td.textContent), ["Borealis", "no active commitment", "0", "0", "0"]);
  });

  it("draws /unit-economics' preview with the page's title and description: a line through the days with a cost per unit, ✕ where none", async () => {
    const html = new TextDecoder().decode((await previews(dir, AS_OF))["unit-economics.html"]);
    assert.match(html, /<h2>Compute: cost per unit \(EUR\)<\/h2>/);
    assert.match(html, /Daily cost per unit of Compute in EUR, from 2026-10-01 to 2026-10-03\./);
    assert.equal(/<g aria-label="line" class="mb-unit-cost"[^>]*>([\s\S]*?)<\/g>/.exec(html)?.[1]?.match(/<path/g)?.length, 1);
    assert.equal(/<g aria-label="dot"[^>]*>([\s\S]*?)<\/g>/.exec(html)?.[1]?.match(/<path/g)?.length, 1, "Oct 1: cost, no usage");
  });

  it("shows /unit-economics' empty state, as the page words it, when there is no cost at all (no cost input)", async () => {
    const bare = mkdtempSync(join(tmpdir(), "meterbook-previews-nocost-"));
    try {
      cpSync(join(dir, "marts"), join(bare, "marts"), {recursive: true});
      await withConnection((connection) => connection.run(`copy (select * from read_parquet('${join(dir, "marts", "unit_cost_daily.parquet")}') where false) to '${join(bare, "marts", "unit_cost_daily.parquet")}' (format parquet)`));
      const html = new TextDecoder().decode((await previews(bare, AS_OF))["unit-economics.html"]);
      assert.equal(html, `<p class="mb-empty-state">${NO_COST_INPUT_HTML}</p>`);
      assert.match(html, /No cost input is configured: add a <code>cost<\/code> section/);
    } finally {
      rmSync(bare, {recursive: true, force: true});
    }
  });

  it("draws /usage's preview: the product's top customers as bars, titled as the page titles them", async () => {
    const html = new TextDecoder().decode((await previews(dir, AS_OF))["usage.html"]);
    assert.match(html, /<h2>Top customers by Beta usage since 2026-07-01<\/h2>/);
    const bars = /<g aria-label="bar" class="mb-bars"[^>]*>([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
    assert.equal(bars.match(/<rect/g)?.length, 2);
  });

  it("draws /revenue's preview with the page's title and description, one area per product", async () => {
    const html = new TextDecoder().decode((await previews(dir, AS_OF))["revenue.html"]);
    assert.match(html, /<h2>Daily revenue by product \(USD\)<\/h2>/);
    assert.match(html, /Daily revenue in USD, stacked by product, from 2026-07-17 to 2026-10-14\./);
    const areas = /<g aria-label="area" class="mb-series">([\s\S]*?)<\/g>/.exec(html)?.[1] ?? "";
    assert.equal(areas.match(/<path/g)?.length, 2);
    assert.deepEqual([...html.matchAll(/-swatch"><svg[^>]*><rect[^>]*><\/rect><\/svg>([^<]+)<\/span>/g)].map((m) => m[1]), ["Compute", "Storage"]);
  });

  it("draws /pacing's first rows with the page's table: its order, its cells, how many there are, no download", async () => {
    const html = new TextDecoder().decode((await previews(dir, AS_OF))["pacing.html"]);
    const {document} = new JSDOM(html).window;
    const rows = [...document.querySelectorAll("tbody tr")];
    assert.deepEqual(rows.map((r) => (r as HTMLElement).dataset.key), ["b1/s1", "b3/s3", "b2/s2"]);
    const cells = (i: number) => [...rows[i]!.querySelectorAll("td")].map((td) => td.textContent);
    // Customer (type under it), owner, amount, expected, burned, remaining (true-up or breakage under it), burn %,
    // status, flags and patterns, exhaustion (chance under it).
    assert.deepEqual(cells(0), ["AcmePrepaid commit", "Dana Ruiz", "$1,000.00", "$500.00", "$600.00", "$400.00$0.00 breakage", "120.0%", "Over pace", "UnsustainableGradual growth", "2026-12-0164.5% chance"]);
    assert.deepEqual(cells(1), ["AcmePostpaid commit", "Dana Ruiz", "$2,000.00", "$1,000.00", "$900.00", "$1,100.00$25.00 true-up", "90.0%", "On track", "", "—10.0% chance"]);
    assert.deepEqual(cells(2), ["BorealisCredit", "Unassigned", "€500", "€0", "€0", "€500", "–", "On track", "", "—"]);
    assert.equal(rows[0]!.querySelector("td a")?.getAttribute("href"), "./customers/c1?segment=s1");
    assert.equal(rows[0]!.querySelectorAll("td")[1]!.querySelector("a")?.getAttribute("href"), "./owners/dana-ruiz");
    assert.equal(document.querySelector(".mb-count")?.textContent, "3 of 3 rows");
    assert.equal(document.querySelector(".mb-download"), null);
  });
});
