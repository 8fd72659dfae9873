// Builds the models of a snapshot after staging: parameter tables from the config, then the intermediate models and
// marts (models/run.ts, in dependency order), the cost models (cost/models.ts), the findings, and every declared check.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Config} from "../config.js";
import {buildCostModels} from "./cost.js";
import type {Finding} from "../errors.js";
import {INTERMEDIATE} from "./intermediate/schema.js";
import {MART_MODELS} from "./marts/schema.js";
import {runChecks, runModels} from "./run.js";

export {MARTS, type Mart} from "./marts/schema.js";

export interface ModelResult {
  checks: {name: string; passed: boolean}[];
  findings: Finding[];
}

/** Every model after staging, in declared order (the runner orders them by what they read). */
export const MODELS = [...INTERMEDIATE, ...MART_MODELS];

export async function buildModels(connection: DuckDBConnection, {asOf, config, log = () => {}}: {asOf: string; config: Config; log?: (message: string) => void}): Promise<ModelResult> {
  await connection.run(`create or replace table meterbook_params (as_of date, owner_field varchar, label_source varchar)`);
  await connection.run(`insert into meterbook_params values ($1::date, $2, $3)`, [asOf, `$.${JSON.stringify(config.ownerField)}`, config.labelSource] as never);
  await connection.run(`create or replace table meterbook_burn_types (line_item_type varchar)`);
  for (const type of config.burnLineItemTypes) await connection.run(`insert into meterbook_burn_types values ($1)`, [type] as never);

  await runModels(connection, MODELS.filter((m) => m.source !== "cost"), {log});
  const costFindings = await buildCostModels(connection, config.cost, {log});
  const findings = [...(await burnFindings(connection)), ...costFindings];
  const checks = await runChecks(connection, MODELS);
  return {checks, findings};
}

async function burnFindings(connection: DuckDBConnection): Promise<Finding[]> {
  const [u] = (await connection.runAndReadAll(`select count(*)::integer as n, list(distinct balance_id order by balance_id)[1:5] as examples from int_unattributed_burn`)).getRowObjectsJson() as {n: number; examples: string[]}[];
  if (!u || u.n === 0) return [];
  return [{
    check: "unattributed_burn",
    table: "breakdowns_line_items",
    rows: u.n,
    examples: u.examples,
    message: `${u.n} burn line-day${u.n > 1 ? "s" : ""} name a commit with no matching segment (balance absent, or dated outside every segment); left out of burn`
  }];
}
