// The sample's infrastructure cost, beside (never inside) the sample export: monthly FOCUS files (Parquet) and one
// minimal cost CSV, derived from the export's daily usage so that margins are plausible — most customers profitable,
// some not. Seeded and deterministic; written into a temporary folder and swapped into place. docs/sample-data.md.
import {existsSync} from "node:fs";
import {mkdir, rm, writeFile} from "node:fs/promises";
import {join, resolve} from "node:path";
import type {CostConfig} from "../config.js";
import {writeFolderAtomically} from "../lib/atomic.js";
import {openDuckDB, rows as queryRows, sqlString} from "../lib/duckdb.js";
import {PRODUCT_CATALOG} from "./catalog.js";
import {GUIDE_DEFAULTS} from "./generate.js";
import {dayNumber, isoDay} from "../lib/dates.js";
import {hashSeed} from "./random.js";

/** The tag that names a cost's product in the sample's FOCUS files. */
export const PRODUCT_TAG = "meterbook:product";

/** Each usage product's cloud service and unit cost as a share of its US list price (cost of goods sold). */
const PRODUCT_COST: Record<string, {service: string; resource: string; share: number}> = {
  "GPU Compute (H100 hours)": {service: "Amazon EC2", resource: "p5-h100-pool", share: 0.74},
  "CPU Compute (vCPU hours)": {service: "Amazon EC2", resource: "c7i-cpu-pool", share: 0.5},
  "Object Storage (GB-month)": {service: "Amazon S3", resource: "customer-objects", share: 0.42},
  "API Calls": {service: "Amazon API Gateway", resource: "public-api", share: 0.2},
  "Input Tokens": {service: "Amazon EC2", resource: "inference-fleet-input", share: 0.3},
  "Output Tokens": {service: "Amazon EC2", resource: "inference-fleet-output", share: 0.34},
  "Embeddings (tokens)": {service: "Amazon EC2", resource: "embedding-fleet", share: 0.25},
  "Vector DB Queries": {service: "Amazon OpenSearch Service", resource: "vector-index", share: 0.38},
  "Bandwidth (GB egress)": {service: "AWS Data Transfer", resource: "egress", share: 0.6}
};

/** "Fine-tuning (GPU hours)" gets its cost from the minimal CSV's training cost center, not from FOCUS tags. */
export const TRAINING_COST_CENTER = "training-cluster";

/**
 * Where the sample's cost lives, relative to the project: a sibling of data/sample-export. The guide variant has only
 * the first GUIDE_DEFAULTS.products products and no billable_metric table, so its rules name only those products and
 * shared cost is split by the "API Calls" product's usage.
 */
export function sampleCostConfig(dir: string, variant: "full" | "guide" = "full"): CostConfig {
  const guide = variant === "guide";
  const present = new Set(PRODUCT_CATALOG.slice(0, guide ? GUIDE_DEFAULTS.products : PRODUCT_CATALOG.length).map((p) => p.name));
  return {
    files: [dir],
    rules: [
      ...Object.keys(PRODUCT_COST).filter((product) => present.has(product)).map((product) => ({product, tag: `${PRODUCT_TAG}=${product}`})),
      ...(present.has("Fine-tuning (GPU hours)") ? [{product: "Fine-tuning (GPU hours)", costCenter: TRAINING_COST_CENTER}] : []),
      {product: "shared", tag: "team=platform"},
      {product: "shared", costCenter: "observability"},
      {product: "shared", costCenter: "customer-support"}
    ],
    sharedAllocationMetric: guide ? "API Calls" : "API requests",
    focusCostColumn: "EffectiveCost"
  };
}

interface UsageDay {
  date: string;
  product: string;
  quantity: number;
}

/** Cents with two decimals → a major-unit string with 10 decimals, as FOCUS exports write them. */
function major(cents: number): string {
  return (Math.round(cents * 1e8) / 1e10).toFixed(10);
}

/** Writes `<out>/focus/<YYYY-MM>.parquet` and `<out>/cost-centers.csv` from the usage in `exportDir`, before `asOf`. */
export async function generateSampleCost({exportDir, out, asOf, seed = 42}: {exportDir: string; out: string; asOf: string; seed?: number}): Promise<{focusRows: number; minimalRows: number}> {
  const {instance, connection} = await openDuckDB();
  try {
    return await writeFolderAtomically(resolve(out), async (staging) => {
      await mkdir(join(staging, "focus"), {recursive: true});
      // Daily usage per product: finalized breakdowns, plus the open month from the latest draft snapshot.
      const lines = (table: string) => `read_parquet(${sqlString(join(exportDir, table, "*", "*.parquet"))})`;
      // Without breakdowns (the guide variant): each usage line's quantity spread evenly over the days it covers.
      const spread = (table: string, until: string, where: string) => `
        select unnest(generate_series(starting_at::date, ${until}::date - 1, interval 1 day))::date as date, name as product,
          quantity / date_diff('day', starting_at::date, ${until}::date) as quantity
        from ${lines(table)}
        where environment_type = 'PRODUCTION' and line_item_type = 'usage' and quantity is not null and product_id is not null and ${where}`;
      const usage = !existsSync(join(exportDir, "breakdowns_line_items")) ? await queryRows<UsageDay>(connection, `
        select date::varchar as date, product, sum(quantity)::double as quantity from (
          ${spread("line_item", "ending_before", "true")}
          union all
          ${spread("draft_line_item", "snapshot_time", `snapshot_time = (select max(snapshot_time) from ${lines("draft_line_item")})`)}
        )
        where date < $1::date group by all order by all`, [asOf]) : await queryRows<UsageDay>(connection, `
        with final as (
          select breakdown_start_timestamp::date as date, name as product, quantity from ${lines("breakdowns_line_items")}
          where environment_type = 'PRODUCTION' and quantity is not null and product_id is not null
        ),
        drafts as (
          select breakdown_start_timestamp::date as date, name as product, quantity from ${lines("breakdowns_draft_line_items")}
          where environment_type = 'PRODUCTION' and quantity is not null and product_id is not null
            and snapshot_timestamp = (select max(snapshot_timestamp) from ${lines("breakdowns_draft_line_items")})
        )
        select date::varchar as date, product, sum(quantity)::double as quantity from (select * from final union all select * from drafts)
        where date < $1::date group by all order by all`, [asOf]);
      const price = new Map(PRODUCT_CATALOG.map((p) => [p.name, p.usdMicro / 1e6]));
      const noise = (...parts: (string | number)[]) => hashSeed(seed, "cost", ...parts) / 4294967296;

      const focus: Record<string, string | null>[] = [];
      const tags = (product: string) => JSON.stringify({[PRODUCT_TAG]: product, env: "production"});
      const charge = (start: number, end: number, service: string, resource: string, category: string, cents: number, tagText: string | null, description: string) => {
        focus.push({
          BillingAccountId: "111122223333", SubAccountId: "444455556666", ChargePeriodStart: `${isoDay(start)}T00:00:00Z`, ChargePeriodEnd: `${isoDay(end)}T00:00:00Z`,
          BillingPeriodStart: `${isoDay(start).slice(0, 8)}01T00:00:00Z`, ChargeCategory: category, ChargeClass: null, ChargeDescription: description,
          ServiceName: service, ServiceCategory: service.includes("S3") ? "Storage" : service.includes("Transfer") ? "Networking" : "Compute",
          ResourceId: resource, RegionId: "us-east-1", BillingCurrency: "USD", BilledCost: major(cents), EffectiveCost: major(cents), ListCost: major(Math.max(cents, 0)), Tags: tagText
        });
      };
      for (const u of usage) {
        const def = PRODUCT_COST[u.product];
        if (!def) continue;
        const day = dayNumber(u.date);
        const cents = u.quantity * price.get(u.product)! * def.share * (0.9 + 0.2 * noise(u.product, day));
        charge(day, day + 1, def.service, def.resource, "Usage", cents, tags(u.product), `${u.product} capacity`);
      }
      const first = dayNumber(usage[0]!.date);
      const last = dayNumber(asOf);
      const months: number[] = [];
      for (let day = first; day < last; day++) if (isoDay(day).endsWith("-01") || day === first) months.push(day);
      for (let day = first; day < last; day++) {
        // Shared platform: the Kubernetes control plane and the shared ingress, tagged for the platform team.
        charge(day, day + 1, "Amazon EKS", "platform-cluster", "Usage", 600_000 * (0.95 + 0.1 * noise("eks", day)), JSON.stringify({team: "platform", env: "production"}), "Shared Kubernetes platform");
        // Untagged DNS: no rule maps it, so it is reported as unmapped.
        charge(day, day + 1, "Amazon Route 53", "dns", "Usage", 2_500 * (0.9 + 0.2 * noise("dns", day)), null, "Hosted zones and queries");
      }
      for (const start of months) {
        const next = Math.min(dayNumber(`${isoDay(start + 32).slice(0, 8)}01`), last);
        // A monthly support plan over the whole month (spread over its days), untagged: unmapped.
        charge(start, next, "AWS Support (Business)", "support", "Usage", 1_500_000 * (next - start) / 30, null, "Business support plan");
        // Promotional credits on GPU capacity: negative, netted against that product's cost for the month.
        charge(start, next, "Amazon EC2", "p5-h100-pool", "Credit", -2_000_000 * (next - start) / 30, tags("GPU Compute (H100 hours)"), "EDP promotional credit");
      }
      const byMonth = new Map<string, Record<string, string | null>[]>();
      for (const row of focus) byMonth.set(row.ChargePeriodStart!.slice(0, 7), [...(byMonth.get(row.ChargePeriodStart!.slice(0, 7)) ?? []), row]);
      for (const [month, rows] of byMonth) {
        const json = join(staging, `focus-${month}.jsonl`);
        await writeFile(json, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
        const columns = Object.keys(rows[0]!).map((c) => `'${c}': 'VARCHAR'`).join(", ");
        await connection.run(`copy (
          select * replace (ChargePeriodStart::timestamptz as ChargePeriodStart, ChargePeriodEnd::timestamptz as ChargePeriodEnd, BillingPeriodStart::timestamptz as BillingPeriodStart,
            BilledCost::decimal(38, 10) as BilledCost, EffectiveCost::decimal(38, 10) as EffectiveCost, ListCost::decimal(38, 10) as ListCost)
          from read_json(${sqlString(json)}, format = 'newline_delimited', columns = {${columns}})
        ) to ${sqlString(join(staging, "focus", `${month}.parquet`))} (format parquet, compression zstd)`);
        await rm(json);
      }

      // The minimal CSV: costs that are not in the cloud bill — the training cluster (colocated), observability and support.
      const training = new Map(usage.filter((u) => u.product === "Fine-tuning (GPU hours)").map((u) => [u.date, u.quantity]));
      const csv = ["date,cost_center,amount,currency"];
      for (let day = first; day < last; day++) {
        const hours = training.get(isoDay(day)) ?? 0;
        if (hours > 0) csv.push(`${isoDay(day)},${TRAINING_COST_CENTER},${major(hours * price.get("Fine-tuning (GPU hours)")! * 0.55 * (0.9 + 0.2 * noise("training", day)))},USD`);
        csv.push(`${isoDay(day)},observability,${major(200_000 * (0.9 + 0.2 * noise("observability", day)))},USD`);
        csv.push(`${isoDay(day)},customer-support,${major(250_000)},USD`);
      }
      await writeFile(join(staging, "cost-centers.csv"), csv.join("\n") + "\n");
      return {focusRows: focus.length, minimalRows: csv.length - 1};
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
