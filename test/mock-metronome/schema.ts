// Validates mock responses against Metronome's published OpenAPI document (the spec the SDK's own tests mock against):
// each 200 body must match the response schema of its path and method. The schemas live beside this file, in
// openapi.json, extracted from the full document by scripts/extract-openapi.ts; METRONOME_OPENAPI may name the full one.
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {Ajv} from "ajv";

export const OPENAPI_PATH = process.env.METRONOME_OPENAPI ?? fileURLToPath(new URL("openapi.json", import.meta.url));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type ResponseValidator = (method: string, path: string, body: unknown) => string[];

export function responseValidator(specPath = OPENAPI_PATH): ResponseValidator {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as {paths: Record<string, Record<string, unknown>>; components: unknown};
  // OpenAPI 3.0 schemas: `nullable`, `example`, `x-*` and `discriminator` are not JSON-schema keywords; strict off.
  const ajv = new Ajv({strict: false, allErrors: false, logger: false, validateFormats: true});
  ajv.addFormat("uuid", UUID);
  ajv.addFormat("date-time", DATE_TIME);
  ajv.addSchema({$id: "metronome", components: nullableToJsonSchema(spec.components)});
  const compiled = new Map<string, ReturnType<Ajv["compile"]>>();
  return (method, path, body) => {
    const key = `${method.toLowerCase()} ${path}`;
    let validate = compiled.get(key);
    if (!validate) {
      const operation = spec.paths[path]?.[method.toLowerCase()] as {responses: Record<string, {content: Record<string, {schema: unknown}>}>} | undefined;
      const schema = operation?.responses["200"]?.content["application/json"]?.schema;
      if (!schema) return [`no 200 response schema for ${key}`];
      // The response schema's "#/components/..." references resolve against the document registered above.
      validate = ajv.compile(nullableToJsonSchema(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"metronome#/components/'))) as object);
      compiled.set(key, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath} ${e.message}`);
  };
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: `type: [t, "null"]`, or `anyOf [schema, null]` when there is no type
 * (the spec uses it beside `$ref`/`allOf`, which Ajv's own `nullable` support rejects). */
export function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const {nullable, ...rest} = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === "example" || k === "examples" ? v : nullableToJsonSchema(v)]));
  if (nullable !== true) return out;
  if (typeof out.type === "string") return {...out, type: [out.type, "null"], ...(Array.isArray(out.enum) ? {enum: [...out.enum, null]} : {})};
  return {anyOf: [out, {type: "null"}]};
}
