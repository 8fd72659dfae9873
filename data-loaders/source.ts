// Which export a run reads: an explicit folder, a pulled API folder (source "api"), the configured export, or the
// embedded sample (generated on first use into data/sample-export, deterministic, with its fixed as-of date).
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, type Config} from "./config.js";
import {InputError} from "./errors.js";

export const SAMPLE_EXPORT_DIR = join(PROJECT_ROOT, "data", "sample-export");

export async function resolveExportDir(explicit: string | null, config: Config, log: (message: string) => void = () => {}): Promise<{exportDir: string; asOf?: string}> {
  if (explicit) return {exportDir: explicit};
  if (config.source === "api" && config.apiDir) {
    // A pull is complete for the days before its `until`: that is the snapshot's as-of.
    const state = join(config.apiDir, "state.json");
    if (!existsSync(state)) throw new InputError(`no pulled data in ${config.apiDir}: run meterbook pull --out ${config.apiDir} first`);
    return {exportDir: join(config.apiDir, "export"), asOf: (JSON.parse(readFileSync(state, "utf8")) as {until: string}).until};
  }
  if (config.exportDir) return {exportDir: config.exportDir};
  const {generateSampleExport, SAMPLE_AS_OF} = await import("./sample/generate.js");
  if (!existsSync(SAMPLE_EXPORT_DIR)) {
    log(`meterbook: generating the sample export into ${SAMPLE_EXPORT_DIR}`);
    await generateSampleExport({out: SAMPLE_EXPORT_DIR});
  }
  return {exportDir: SAMPLE_EXPORT_DIR, asOf: SAMPLE_AS_OF};
}
