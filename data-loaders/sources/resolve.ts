// Which export a run reads: an explicit folder, a pulled API folder (source "api"), the configured export, or the
// embedded sample (generated on first use into data/sample-export, deterministic, with its fixed as-of date). The
// sample brings its own cost input (data/sample-cost, derived from the sample's usage) unless the config names one.
// METERBOOK_SAMPLE=guide picks the sample's guide variant instead (data/sample-export-guide, data/sample-cost-guide):
// the table set Metronome's commit-analytics guide enables, with no breakdowns (docs/sample-data.md).
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, type Config, type CostConfig} from "../config.js";
import {InputError} from "../errors.js";

export const SAMPLE_EXPORT_DIR = join(PROJECT_ROOT, "data", "sample-export");
export const SAMPLE_COST_DIR = join(PROJECT_ROOT, "data", "sample-cost");

/** The embedded sample's variant, from METERBOOK_SAMPLE ("full" when unset). */
export function sampleVariant(env: NodeJS.ProcessEnv = process.env): "full" | "guide" {
  const value = env.METERBOOK_SAMPLE ?? "full";
  if (value !== "full" && value !== "guide") throw new InputError(`METERBOOK_SAMPLE must be "full" or "guide", got "${value}"`);
  return value;
}

/** Where a sample variant's export and cost input live: each its own folders, so switching never reuses the other's. */
export function sampleDirs(variant: "full" | "guide"): {exportDir: string; costDir: string} {
  return variant === "guide"
    ? {exportDir: join(PROJECT_ROOT, "data", "sample-export-guide"), costDir: join(PROJECT_ROOT, "data", "sample-cost-guide")}
    : {exportDir: SAMPLE_EXPORT_DIR, costDir: SAMPLE_COST_DIR};
}

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
  const variant = sampleVariant();
  // The snapshot cache's fingerprint includes the export folder, so a variant switch always re-snapshots.
  const {exportDir, costDir} = sampleDirs(variant);
  if (!existsSync(exportDir)) {
    log(`meterbook: generating the sample export${variant === "guide" ? " (guide variant)" : ""} into ${exportDir}`);
    await generateSampleExport({out: exportDir, variant});
  }
  if (config.cost) return {exportDir, asOf: chosen ?? SAMPLE_AS_OF, cost: config.cost};
  const {generateSampleCost, sampleCostConfig} = await import("../sample/cost.js");
  if (!existsSync(costDir)) {
    log(`meterbook: generating the sample cost export into ${costDir}`);
    await generateSampleCost({exportDir, out: costDir, asOf: SAMPLE_AS_OF});
  }
  return {exportDir, asOf: chosen ?? SAMPLE_AS_OF, cost: sampleCostConfig(costDir, variant)};
}
