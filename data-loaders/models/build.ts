// The models that turn staging tables into marts (issue: commit burn, pacing, forecast, revenue). Until they exist
// a snapshot holds staging tables only.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../config.js";
import type {Finding} from "../errors.js";

export interface Mart {
  name: string;
  table: string;
  order: string;
}

export interface ModelResult {
  checks: {name: string; passed: boolean}[];
  findings: Finding[];
}

export const MARTS: Mart[] = [];

export async function buildModels(_connection: DuckDBConnection, _options: {asOf: string; config: Config}): Promise<ModelResult> {
  return {checks: [], findings: []};
}
