// Which export a run reads: an explicit folder, the configured one, or the embedded sample (generated on first use
// into data/sample-export, deterministic, with its fixed as-of date). The sample brings its own cost input
// (data/sample-cost, derived from the sample's usage) unless the config names one.
import {existsSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, type Config, type CostConfig} from "./config.js";

export const SAMPLE_EXPORT_DIR = join(PROJECT_ROOT, "data", "sample-export");
export const SAMPLE_COST_DIR = join(PROJECT_ROOT, "data", "sample-cost");

/** The export to read, its as-of date when known, and the cost input (the config's; for the sample, the sample's). */
export async function resolveExportDir(explicit: string | null, config: Config, log: (message: string) => void = () => {}): Promise<{exportDir: string; asOf?: string; cost: CostConfig | null}> {
  if (explicit) return {exportDir: explicit, cost: config.cost};
  if (config.exportDir) return {exportDir: config.exportDir, cost: config.cost};
  const {generateSampleExport, SAMPLE_AS_OF} = await import("./sample/generate.js");
  if (!existsSync(SAMPLE_EXPORT_DIR)) {
    log(`meterbook: generating the sample export into ${SAMPLE_EXPORT_DIR}`);
    await generateSampleExport({out: SAMPLE_EXPORT_DIR});
  }
  if (config.cost) return {exportDir: SAMPLE_EXPORT_DIR, asOf: SAMPLE_AS_OF, cost: config.cost};
  const {generateSampleCost, sampleCostConfig} = await import("./sample/cost.js");
  if (!existsSync(SAMPLE_COST_DIR)) {
    log(`meterbook: generating the sample cost export into ${SAMPLE_COST_DIR}`);
    await generateSampleCost({exportDir: SAMPLE_EXPORT_DIR, out: SAMPLE_COST_DIR, asOf: SAMPLE_AS_OF});
  }
  return {exportDir: SAMPLE_EXPORT_DIR, asOf: SAMPLE_AS_OF, cost: sampleCostConfig(SAMPLE_COST_DIR)};
}
