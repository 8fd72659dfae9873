// A mock Metronome API on loopback: the endpoints `meterbook pull` calls, served from MockData with cursor pages,
// bearer-token auth, per-endpoint access denial and injected faults (429 with Retry-After, 500, a slow response).
// Every 200 body is recorded with its OpenAPI path so tests can validate it against the published schemas.
import {createServer, type IncomingMessage, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import type {MockData} from "./dataset.js";

type Json = Record<string, unknown>;

export interface Fault {
  /** OpenAPI path, e.g. "/v1/customers/{customer_id}/invoices/breakdowns". */
  path: string;
  kind: "429" | "500" | "slow";
  /** Matching requests to let through before the fault starts (default 0). */
  skip?: number;
  /** How many requests it hits (default 1). */
  times?: number;
  /** 429: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** slow: delay before answering. */
  delayMs?: number;
}

export interface MockOptions {
  data: MockData;
  token: string;
  /** Largest page served (default: the API's own limits), overall or per OpenAPI path. Small values force many pages. */
  pageSize?: number | Record<string, number>;
  faults?: Fault[];
  /** OpenAPI paths answered with 403 (a token without that access). */
  deny?: string[];
}

export interface Recorded {
  method: string;
  path: string;
  /** The request's URL (path and query) and, for POSTs, its body: identifies a retried request. */
  request: string;
  /** Arrival time (ms). */
  at: number;
  /** The status answered; 0 while the answer is pending (a slow fault). */
  status: number;
  body: unknown;
}

export interface MockServer {
  url: string;
  /** Every request, in arrival order, with its status and (for 200s) the body sent. */
  log: Recorded[];
  close: () => Promise<void>;
}

const LIMITS: Record<string, number> = {
  "/v1/customers": 100,
  "/v1/billable-metrics": 100,
  "/v1/contract-pricing/products/list": 100,
  "/v1/credit-types/list": 100,
  "/v1/contracts/customerBalances/list": 25,
  "/v1/customers/{customer_id}/invoices": 100,
  "/v1/customers/{customer_id}/invoices/breakdowns": 35,
  "/v1/usage": 100
};

function page(path: string, items: Json[], cursor: string | undefined, limit: unknown, pageSize: MockOptions["pageSize"]): {data: Json[]; next_page: string | null} {
  const start = cursor ? Number(cursor) : 0;
  const cap = typeof pageSize === "number" ? pageSize : (pageSize?.[path] ?? LIMITS[path]!);
  const size = Math.max(1, Math.min(Number(limit) || LIMITS[path]!, cap));
  const end = start + size;
  return {data: items.slice(start, end), next_page: end < items.length ? String(end) : null};
}

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Json) : {};
}

export async function startMockServer({data, token, pageSize, faults = [], deny = []}: MockOptions): Promise<MockServer> {
  const log: Recorded[] = [];
  // Indexes so a sample-sized dataset (hundreds of thousands of usage windows) pages in constant time per request.
  const ms = new Map<Json, [number, number]>();
  const times = (item: Json, start: string, end: string) => {
    let t = ms.get(item);
    if (!t) ms.set(item, (t = [Date.parse(String(item[start])), Date.parse(String(item[end]))]));
    return t;
  };
  const usageByMetric = new Map<string, Json[]>();
  for (const u of data.usage) {
    const list = usageByMetric.get(String(u.billable_metric_id));
    if (list) list.push(u);
    else usageByMetric.set(String(u.billable_metric_id), [u]);
  }
  const filtered = new Map<string, Json[]>();
  const hits = new Map<Fault, number>();
  const sockets = new Set<import("node:net").Socket>();

  const route = (method: string, pathname: string): {path: string; customerId?: string} | null => {
    const fixed = ["/v1/customers", "/v1/billable-metrics", "/v1/contract-pricing/products/list", "/v1/credit-types/list", "/v2/contracts/list", "/v1/contracts/customerBalances/list", "/v1/usage"];
    if (fixed.includes(pathname)) return {path: pathname};
    const m = /^\/v1\/customers\/([^/]+)\/invoices(\/breakdowns)?$/.exec(pathname);
    if (m && method === "GET") return {path: `/v1/customers/{customer_id}/invoices${m[2] ?? ""}`, customerId: decodeURIComponent(m[1]!)};
    return null;
  };

  const answer = (path: string, query: URLSearchParams, body: Json, customerId: string | undefined): Json => {
    const q = (name: string) => query.get(name) ?? undefined;
    switch (path) {
      case "/v1/customers": {
        const archived = q("only_archived") === "true";
        const ids = q("customer_ids")?.split(",");
        const list = data.customers.filter((c) => (archived ? c.archived_at !== null : c.archived_at === null) && (!ids || ids.includes(String(c.id))));
        return page(path, list, q("next_page"), q("limit"), pageSize);
      }
      case "/v1/billable-metrics": {
        const list = q("include_archived") === "true" ? data.metrics : data.metrics.filter((m) => !m.archived_at);
        return page(path, list, q("next_page"), q("limit"), pageSize);
      }
      case "/v1/contract-pricing/products/list": {
        const filter = String(body.archive_filter ?? "NOT_ARCHIVED");
        const list = data.products.filter((p) => filter === "ALL" || (filter === "ARCHIVED") === Boolean(p.archived_at));
        return page(path, list, q("next_page"), q("limit"), pageSize);
      }
      case "/v1/credit-types/list":
        return page(path, data.creditTypes, q("next_page"), q("limit"), pageSize);
      case "/v2/contracts/list": {
        // Not paginated (shared/reference §5.5).
        const list = (data.contracts.get(String(body.customer_id)) ?? []).filter((c) => body.include_archived || !c.archived_at);
        return {data: list};
      }
      case "/v1/contracts/customerBalances/list": {
        const list = (data.balances.get(String(body.customer_id)) ?? []).map(({customer_id: _omit, ...rest}) => rest);
        return page(path, list, body.next_page as string | undefined, body.limit, pageSize);
      }
      case "/v1/customers/{customer_id}/invoices": {
        const status = q("status");
        const list = (data.invoices.get(customerId!) ?? []).filter((i) => !status || i.status === status);
        return page(path, list, q("next_page"), q("limit"), pageSize);
      }
      case "/v1/customers/{customer_id}/invoices/breakdowns": {
        // Windows that start on or after starting_on and end on or before ending_before.
        const from = Date.parse(q("starting_on")!);
        const to = Date.parse(q("ending_before")!);
        const list = (data.breakdowns.get(customerId!) ?? []).filter((b) => {
          const [start, end] = times(b, "breakdown_start_timestamp", "breakdown_end_timestamp");
          return start >= from && end <= to;
        });
        return page(path, list, q("next_page"), q("limit"), pageSize);
      }
      case "/v1/usage": {
        const from = Date.parse(String(body.starting_on));
        const to = Date.parse(String(body.ending_before));
        const metrics = (body.billable_metrics as Array<{id: string}> | undefined)?.map((m) => m.id);
        const customers = body.customer_ids as string[] | undefined;
        // The same body is re-sent for every page: filter once per distinct body.
        const key = JSON.stringify(body);
        let list = filtered.get(key);
        if (!list) {
          const candidates = metrics ? metrics.flatMap((id) => usageByMetric.get(id) ?? []) : data.usage;
          list = candidates.filter((u) => {
            const [start, end] = times(u, "start_timestamp", "end_timestamp");
            return start >= from && end <= to && (!customers || customers.includes(String(u.customer_id)));
          });
          filtered.set(key, list);
        }
        return page(path, list, q("next_page"), undefined, pageSize);
      }
    }
    throw new Error(`unrouted ${path}`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const at = Date.now();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = request.method ?? "GET";
    const body = method === "POST" ? await readBody(request) : {};
    const matched = route(method, url.pathname);
    // Recorded on arrival, not on answer: a slow answer the client gave up on is in the log while it is pending.
    const entry: Recorded = {method, path: matched?.path ?? url.pathname, request: `${request.url} ${JSON.stringify(body)}`, at, status: 0, body: undefined};
    log.push(entry);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      entry.body = status === 200 ? payload : undefined;
      if (response.destroyed) return;
      response.writeHead(status, {"content-type": "application/json", ...headers});
      response.end(JSON.stringify(payload));
    };
    if (!matched) return send(404, {message: "Not found"});
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, {message: "Unauthorized"});
    if (deny.includes(matched.path)) return send(403, {message: "Forbidden"});
    for (const fault of faults) {
      if (fault.path !== matched.path) continue;
      const n = (hits.get(fault) ?? 0) + 1;
      hits.set(fault, n);
      const skip = fault.skip ?? 0;
      if (n <= skip || n > skip + (fault.times ?? 1)) continue;
      if (fault.kind === "429") return send(429, {message: "Too many requests"}, {"retry-after": String(fault.retryAfter ?? 1)});
      if (fault.kind === "500") return send(500, {message: "Internal server error"});
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    }
    send(200, answer(matched.path, url.searchParams, body, matched.customerId));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) {
        response.writeHead(500, {"content-type": "application/json"});
        response.end(JSON.stringify({message: String(error)}));
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      })
  };
}
