// Command-line entry: `meterbook <command> [options]`. Errors about input print one clear line and exit 1.
import {parseArgs} from "node:util";
import {loadConfig} from "./config.js";
import {InputError} from "./errors.js";
import {resolveExportDir} from "./source.js";
import {snapshot} from "./snapshot.js";

const USAGE = `usage: meterbook <command> [options]

commands:
  snapshot --out <dir> [--export <dir>] [--as-of YYYY-MM-DD]
      Reads a Metronome Data Export (default: the embedded sample, or $METERBOOK_EXPORT_DIR) and writes staging
      tables, marts and manifest.json as Parquet into <dir>, atomically.
`;

export async function main(argv: string[], {log = (m: string) => console.error(m), out = (m: string) => console.log(m)} = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "snapshot": {
        const {values} = parseArgs({args: rest, options: {export: {type: "string"}, out: {type: "string"}, "as-of": {type: "string"}}, strict: true});
        if (!values.out) throw new UsageError("snapshot needs --out <dir>");
        const config = loadConfig();
        const {exportDir, asOf, cost} = await resolveExportDir(values.export ?? null, config, log);
        const manifest = await snapshot({exportDir, out: values.out, asOf: values["as-of"] ?? asOf, config: {...config, cost}, log});
        const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows_in, 0);
        out(`snapshot ${values.out}: as of ${manifest.as_of}, ${rows} rows read, ${Object.keys(manifest.outputs).length} tables, content ${manifest.content_hash.slice(0, 12)}`);
        return 0;
      }
      case undefined:
      case "help":
      case "--help":
        out(USAGE);
        return command ? 0 : 2;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      log(`meterbook: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InputError || (error as {code?: string}).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      log(`meterbook: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

class UsageError extends Error {}
