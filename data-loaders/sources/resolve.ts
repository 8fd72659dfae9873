// Which export a run reads: an explicit folder, a pulled API folder (source "api"), the configured export, or the
// embedded sample (generated on first use into data/sample-export, deterministic, with its fixed as-of date). The
// sample brings its own cost input (data/sample-cost, derived from the sample's usage) unless the config names one.
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, type Config, type CostConfig} from "../config.js";
import {InputError} from "../errors.js";

export const SAMPLE_EXPORT_DIR = join(PROJECT_ROOT, "data", "sample-export");
export const SAMPLE_COST_DIR = join(PROJECT_ROOT, "data", "sample-cost");

/** The export to read, its as-of date when known, and the cost input (the config's; for the sample, the sample's). */
export async function resolveExportDir(explicit: string | null, config: Config, log: (message: string) => void = () => {}): Promise<{exportDir: string; asOf?: string; cost: CostConfig | null}> {
  const chosen = config.asOf ?? undefined;
  if (explicit) return {exportDir: explicit, asOf: chosen, cost: config.cost};
  if (config.source === "api" && config.apiDir) {
    // A pull is complete for the days before its `until`: that is the snapshot's as-of.
    const state = join(config.apiDir, "state.json");
    if (!existsSync(state)) throw new InputError(`no pulled data in ${config.apiDir}: run meterbook pull --out ${config.apiDir} first`);
    return {exportDir: join(config.apiDir, "export"), asOf: chosen ?? (JSON.parse(readFileSync(state, "utf8")) as {until: string}).until, cost: config.cost};
  }
  if (config.exportDir) return {exportDir: config.exportDir, asOf: chosen, cost: config.cost};
  const {generateSampleExport, SAMPLE_AS_OF} = await import("../sample/generate.js");
  if (!existsSync(SAMPLE_EXPORT_DIR)) {
    log(`meterbook: generating the sample export into ${SAMPLE_EXPORT_DIR}`);
    await generateSampleExport({out: SAMPLE_EXPORT_DIR});
  }
  if (config.cost) return {exportDir: SAMPLE_EXPORT_DIR, asOf: chosen ?? SAMPLE_AS_OF, cost: config.cost};
  const {generateSampleCost, sampleCostConfig} = await import("../sample/cost.js");
  if (!existsSync(SAMPLE_COST_DIR)) {
    log(`meterbook: generating the sample cost export into ${SAMPLE_COST_DIR}`);
    await generateSampleCost({exportDir: SAMPLE_EXPORT_DIR, out: SAMPLE_COST_DIR, asOf: SAMPLE_AS_OF});
  }
  return {exportDir: SAMPLE_EXPORT_DIR, asOf: chosen ?? SAMPLE_AS_OF, cost: sampleCostConfig(SAMPLE_COST_DIR)};
}
