// Re-extracts test/mock-metronome/openapi.json, the part of Metronome's OpenAPI document the mock server is checked
// against: the 200 responses of the operations the mock serves, and every component schema they reference,
// transitively. The full document is the one embedded (base64 + gzip) in Metronome-Industries/metronome-node's
// scripts/mock, the spec the SDK's own tests run a mock server against.
//
//   npx tsx scripts/extract-openapi.ts path/to/metronome-openapi.json > test/mock-metronome/openapi.json
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";

/** The mock's routes (test/mock-metronome/server.ts), as OpenAPI method and path. */
export const MOCK_OPERATIONS: [method: string, path: string][] = [
  ["get", "/v1/customers"],
  ["get", "/v1/billable-metrics"],
  ["post", "/v1/contract-pricing/products/list"],
  ["get", "/v1/credit-types/list"],
  ["post", "/v2/contracts/list"],
  ["post", "/v1/contracts/customerBalances/list"],
  ["get", "/v1/customers/{customer_id}/invoices"],
  ["get", "/v1/customers/{customer_id}/invoices/breakdowns"],
  ["post", "/v1/usage"]
];

type Spec = {openapi: string; info: unknown; paths: Record<string, Record<string, {responses: Record<string, unknown>}>>; components: Record<string, Record<string, unknown>>};

/** The extract of `spec` for `operations`: their 200 responses and the components those reach through `$ref`. */
export function extractOpenApi(spec: Spec, operations = MOCK_OPERATIONS, source = ""): object {
  const paths: Spec["paths"] = {};
  const components: Spec["components"] = {};
  const pending: string[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") pending.push(value);
      else collect(value);
    }
  };
  for (const [method, path] of operations) {
    const response = spec.paths[path]?.[method]?.responses["200"];
    if (!response) throw new Error(`no 200 response for ${method} ${path} in the OpenAPI document`);
    (paths[path] ??= {})[method] = {responses: {"200": response}};
    collect(response);
  }
  while (pending.length) {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(pending.pop()!);
    if (!match) continue;
    const [, section, name] = match as unknown as [string, string, string];
    if (components[section]?.[name] !== undefined) continue;
    const value = spec.components[section]?.[name];
    if (value === undefined) throw new Error(`unresolved reference #/components/${section}/${name}`);
    (components[section] ??= {})[name] = value;
    collect(value);
  }
  const sorted = Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)).map(([s, v]) => [s, Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))]));
  return {
    "x-meterbook-extract": `Extract of Metronome's OpenAPI document (sha256 ${source}) made by scripts/extract-openapi.ts: the 200 responses the mock serves and the schemas they reference. Do not edit by hand; re-run the script.`,
    openapi: spec.openapi,
    info: spec.info,
    paths,
    components: sorted
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: npx tsx scripts/extract-openapi.ts <metronome-openapi.json>");
  const text = readFileSync(file, "utf8");
  const sha = createHash("sha256").update(text).digest("hex");
  process.stdout.write(JSON.stringify(extractOpenApi(JSON.parse(text) as Spec, MOCK_OPERATIONS, sha), null, 1) + "\n");
}
