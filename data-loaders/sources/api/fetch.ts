// Reading the account through the SDK: one cheap check per kind of access, then the catalog, each customer's
// contracts, balances and invoices, and the daily breakdown and usage windows of the pulled range. Every failure is
// explained by the access it needed, with the token redacted.
import type {ApiClient, Access} from "./client.js";
import {explain} from "./client.js";
import type {ApiBalance, ApiBillableMetric, ApiBreakdown, ApiContract, ApiCustomer, ApiInvoice, ApiPricingUnit, ApiProduct, ApiUsage} from "./translate.js";

/** Runs `fn` over `items` with at most `limit` in flight. After a failure no new item starts; the call settles
 * only when every started item has (no request outlives the pull), then throws the first error. */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: {error: unknown} | null = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= {error};
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  if (failure) throw (failure as {error: unknown}).error;
  return results;
}

export interface CustomerObjects {
  customer: ApiCustomer;
  contracts: ApiContract[];
  balances: ApiBalance[];
  invoices: ApiInvoice[];
}

export interface Account {
  customers: ApiCustomer[];
  metrics: ApiBillableMetric[];
  products: ApiProduct[];
  creditTypes: ApiPricingUnit[];
  /** Per customer: contracts, balances (commits and credits, with schedules), invoices. */
  perCustomer: CustomerObjects[];
}

/** The account's reads, each explained by the access it needs when it fails. */
export function reader({client, redact}: ApiClient, concurrency: number) {
  const call = async <T>(access: Access, what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw explain(error, access, what, redact);
    }
  };
  const all = async <T>(access: Access, what: string, list: () => AsyncIterable<T>): Promise<T[]> =>
    call(access, what, async () => {
      const items: T[] = [];
      for await (const item of list()) items.push(item);
      return items;
    });

  return {
    /** One cheap read per kind of access, so a token missing one fails before any work, naming it. */
    async checkAccess(lastDay: string, snapshotAt: string): Promise<void> {
      const firstCustomers = await call("customers", "GET /v1/customers", async () => (await client.v1.customers.list({limit: 1})).data as ApiCustomer[]);
      const firstMetrics = await call("billable metrics", "GET /v1/billable-metrics", async () => (await client.v1.billableMetrics.list({limit: 1})).data as ApiBillableMetric[]);
      await call("usage", "POST /v1/usage", () => client.v1.usage.list({starting_on: lastDay, ending_before: snapshotAt, window_size: "DAY", ...(firstMetrics[0] ? {billable_metrics: [{id: firstMetrics[0].id}]} : {})}));
      if (firstCustomers[0]) {
        const customer_id = firstCustomers[0].id;
        await call("invoice breakdowns", `GET /v1/customers/{id}/invoices/breakdowns`, () =>
          client.v1.customers.invoices.listBreakdowns({customer_id, starting_on: lastDay, ending_before: snapshotAt, window_size: "DAY", limit: 1}));
      }
    },

    async catalog(): Promise<Omit<Account, "perCustomer">> {
      const active = await all("customers", "GET /v1/customers", () => client.v1.customers.list({limit: 100}));
      const archived = await all("customers", "GET /v1/customers?only_archived=true", () => client.v1.customers.list({limit: 100, only_archived: true}));
      const customers = [...new Map([...active, ...archived].map((c) => [c.id, c as ApiCustomer])).values()];
      const metrics = (await all("billable metrics", "GET /v1/billable-metrics", () => client.v1.billableMetrics.list({include_archived: true, limit: 100}))) as ApiBillableMetric[];
      const products = (await all("products", "POST /v1/contract-pricing/products/list", () => client.v1.contracts.products.list({archive_filter: "ALL", limit: 100}))) as ApiProduct[];
      const creditTypes = await all("credit types", "GET /v1/credit-types/list", () => client.v1.pricingUnits.list({limit: 100}));
      return {customers, metrics, products, creditTypes};
    },

    perCustomer(customers: ApiCustomer[]): Promise<CustomerObjects[]> {
      return mapPool(customers, concurrency, async (customer) => {
        const customer_id = customer.id;
        const contracts = await call("contracts and balances", "POST /v2/contracts/list", async () => (await client.v2.contracts.list({customer_id, include_archived: true})).data as unknown as ApiContract[]);
        const balances = (await all("contracts and balances", "POST /v1/contracts/customerBalances/list", () =>
          client.v1.contracts.listBalances({customer_id, include_balance: true, include_ledgers: true, include_contract_balances: true, include_archived: true, limit: 25}))) as unknown as ApiBalance[];
        const invoices = (await all("invoices", "GET /v1/customers/{id}/invoices", () => client.v1.customers.invoices.list({customer_id, limit: 100}))) as unknown as ApiInvoice[];
        return {customer, contracts, balances, invoices};
      });
    },

    /** Daily breakdowns over [fromTs, snapshotAt), per customer; `received` sees each customer's windows. */
    breakdowns(customers: ApiCustomer[], fromTs: string, snapshotAt: string, received: (windows: number) => void): Promise<ApiBreakdown[][]> {
      return mapPool(customers, concurrency, async (customer) => {
        const items = (await all("invoice breakdowns", "GET /v1/customers/{id}/invoices/breakdowns", () =>
          client.v1.customers.invoices.listBreakdowns({customer_id: customer.id, starting_on: fromTs, ending_before: snapshotAt, window_size: "DAY", limit: 100}))) as unknown as ApiBreakdown[];
        received(items.length);
        return items;
      });
    },

    /** Daily usage over [fromTs, snapshotAt) of every billable metric not archived; `received` sees each metric's windows. */
    async usage(metrics: ApiBillableMetric[], fromTs: string, snapshotAt: string, received: (windows: number) => void): Promise<ApiUsage[]> {
      const perMetric = await mapPool(metrics.filter((m) => !m.archived_at), concurrency, async (metric) => {
        const items = (await all("usage", "POST /v1/usage", () =>
          client.v1.usage.list({starting_on: fromTs, ending_before: snapshotAt, window_size: "DAY", billable_metrics: [{id: metric.id}]}))) as unknown as ApiUsage[];
        received(items.length);
        return items;
      });
      return perMetric.flat();
    }
  };
}
