// Customers and the catalog (billable metrics, products, credit types) → their export rows.
import type {ApiBillableMetric, ApiCustomer, ApiPricingUnit, ApiProduct} from "./objects.js";
import type {PullContext, Row} from "./rows.js";

export function customerRow(c: ApiCustomer, ctx: PullContext): Row {
  return {
    id: c.id,
    name: c.name,
    ingest_aliases: JSON.stringify(c.ingest_aliases ?? []),
    salesforce_account_id: c.customer_config?.salesforce_account_id ?? null,
    custom_fields: JSON.stringify(c.custom_fields ?? {}),
    created_at: c.created_at ?? null,
    updated_at: c.updated_at ?? ctx.pulledAt,
    archived_at: c.archived_at ?? null,
    environment_type: ctx.environment
  };
}

export function billableMetricRow(m: ApiBillableMetric, ctx: PullContext): Row {
  return {
    id: m.id,
    name: m.name,
    aggregate: m.aggregation_type ?? null,
    aggregate_keys: JSON.stringify(m.aggregation_key ? [m.aggregation_key] : []),
    group_keys: JSON.stringify(m.group_keys ?? []),
    archived_at: m.archived_at ?? null,
    updated_at: ctx.pulledAt,
    environment_type: ctx.environment
  };
}

export function productRow(p: ApiProduct, ctx: PullContext): Row {
  return {
    id: p.id,
    name: p.current.name,
    type: p.type,
    billable_metric_id: p.current.billable_metric_id ?? null,
    tags: JSON.stringify(p.current.tags ?? []),
    created_at: p.initial?.created_at ?? null,
    updated_at: ctx.pulledAt,
    archived_at: p.archived_at ?? null,
    environment_type: ctx.environment
  };
}

export function creditTypeRow(t: ApiPricingUnit, ctx: PullContext): Row | null {
  if (!t.id || !t.name) return null;
  return {id: t.id, name: t.name, is_currency: t.is_currency ?? null, updated_at: ctx.pulledAt, environment_type: ctx.environment};
}
