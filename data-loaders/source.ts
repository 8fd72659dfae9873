// Which export a run reads: an explicit folder, the configured one, or the embedded sample (generated on first use
// into data/sample-export, deterministic, with its fixed as-of date).
import {existsSync} from "node:fs";
import {join} from "node:path";
import {PROJECT_ROOT, type Config} from "./config.js";

export const SAMPLE_EXPORT_DIR = join(PROJECT_ROOT, "data", "sample-export");

export async function resolveExportDir(explicit: string | null, config: Config, log: (message: string) => void = () => {}): Promise<{exportDir: string; asOf?: string}> {
  if (explicit) return {exportDir: explicit};
  if (config.exportDir) return {exportDir: config.exportDir};
  const {generateSampleExport, SAMPLE_AS_OF} = await import("./sample/generate.js");
  if (!existsSync(SAMPLE_EXPORT_DIR)) {
    log(`meterbook: generating the sample export into ${SAMPLE_EXPORT_DIR}`);
    await generateSampleExport({out: SAMPLE_EXPORT_DIR});
  }
  return {exportDir: SAMPLE_EXPORT_DIR, asOf: SAMPLE_AS_OF};
}
