// The catalog and customer tables (incremental): one row per version, in the partition of its updated_at day,
// written from the model in JS.
import type {DuckDBConnection} from "@duckdb/node-api";
import {stagedBatches, type Batch, type Cell, type StagedRow} from "../sources/export/layout.js";
import {DAY_MS, isoTime} from "../lib/dates.js";
import type {Model} from "./model.js";
import {uuidFor} from "./random.js";
import {EUR, USD_CENTS} from "./catalog.js";
import {incremental} from "./transfers.js";

/** Catalog and customer tables (incremental): one row per version, in the partition of its updated_at day. */
export async function catalogBatches(connection: DuckDBConnection, model: Model): Promise<Batch[]> {
  const {seed, startDay} = model.options;
  const batches: Batch[] = [];
  const at = (table: string, updatedMs: number, values: Record<string, Cell>): StagedRow => ({...incremental(table, updatedMs), values});

  // Credit types are global in Metronome (USD (cents) has the same id everywhere), so both environments deliver the
  // same ids: readers must filter environment_type before keeping the latest row per id.
  const creditTypes: StagedRow[] = [];
  for (const env of ["PRODUCTION", "SANDBOX"] as const) {
    [USD_CENTS, EUR].forEach((ct, i) => {
      const updatedMs = startDay * DAY_MS + (1 + i) * 60_000;
      creditTypes.push(at("credit_type", updatedMs, {_metronome_metadata_id: uuidFor(seed, "credit-type-row", env, ct.id), id: ct.id, name: ct.name, is_currency: true, updated_at: isoTime(updatedMs), environment_type: env}));
    });
  }
  batches.push(...(await stagedBatches(connection, "credit_type", creditTypes)));

  const metrics: StagedRow[] = [];
  for (const m of model.legacyMetrics) {
    const base = {id: m.id, name: m.name, aggregate: "SUM", aggregate_keys: JSON.stringify(["gpu_minutes"]), group_keys: "[]", created_at: isoTime(m.createdMs), environment_type: m.env};
    metrics.push(at("billable_metric", m.createdMs, {...base, archived_at: null, updated_at: isoTime(m.createdMs)}));
    metrics.push(at("billable_metric", m.archivedMs, {...base, archived_at: isoTime(m.archivedMs), updated_at: isoTime(m.archivedMs)}));
  }
  for (const p of model.products) {
    const d = p.def;
    metrics.push(at("billable_metric", p.createdMs, {
      id: p.metricId, name: d.metric, aggregate: d.aggregate, aggregate_keys: JSON.stringify(d.aggregateKey ? [d.aggregateKey] : []), group_keys: JSON.stringify(d.groupKeys),
      created_at: isoTime(p.createdMs), archived_at: null, updated_at: isoTime(p.createdMs), environment_type: p.env
    }));
  }
  batches.push(...(await stagedBatches(connection, "billable_metric", sortRows(metrics))));

  const products: StagedRow[] = [];
  for (const f of model.fixedProducts) {
    products.push(at("product", f.createdMs, {id: f.id, name: f.name, type: "FIXED", billable_metric_id: null, tags: "[]", created_at: isoTime(f.createdMs), updated_at: isoTime(f.createdMs), archived_at: null, environment_type: f.env}));
  }
  for (const p of model.products) {
    const base = {id: p.id, name: p.def.name, type: "USAGE", billable_metric_id: p.metricId, created_at: isoTime(p.createdMs), archived_at: null, environment_type: p.env};
    products.push(at("product", p.createdMs, {...base, tags: JSON.stringify(p.def.tags), updated_at: isoTime(p.createdMs)}));
    for (const u of p.updates) products.push(at("product", u.updatedMs, {...base, tags: JSON.stringify(u.tags), updated_at: isoTime(u.updatedMs)}));
  }
  batches.push(...(await stagedBatches(connection, "product", sortRows(products))));

  const customers: StagedRow[] = [];
  for (const c of model.customers) {
    for (const v of c.versions) {
      customers.push(at("customer", v.updatedMs, {
        id: c.id,
        name: v.name,
        ingest_aliases: JSON.stringify(v.aliases),
        salesforce_account_id: c.salesforceId,
        billing_provider_type: c.billingProviderType,
        billing_provider_customer_id: c.billingProviderCustomerId,
        custom_fields: JSON.stringify({owner: v.owner, segment: v.segment}),
        created_at: isoTime(c.createdMs),
        updated_at: isoTime(v.updatedMs),
        archived_at: v.archivedMs === null ? null : isoTime(v.archivedMs),
        environment_type: c.env
      }));
    }
  }
  batches.push(...(await stagedBatches(connection, "customer", sortRows(customers))));
  return batches;
}

/** Code-unit order (localeCompare would depend on the machine's locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows in transfer order, then by updated_at, then id: files list their rows deterministically. */
function sortRows(rows: StagedRow[]): StagedRow[] {
  return rows
    .map((r, i) => ({r, i}))
    .sort((a, b) => a.r.stampMs - b.r.stampMs || compare(String(a.r.values.updated_at), String(b.r.values.updated_at)) || compare(String(a.r.values.id), String(b.r.values.id)) || a.i - b.i)
    .map(({r}) => r);
}
