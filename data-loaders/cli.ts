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
        const {exportDir, asOf} = await resolveExportDir(values.export ?? null, config, log);
        const manifest = await snapshot({exportDir, out: values.out, asOf: values["as-of"] ?? asOf, config, log});
        const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows_in, 0);
        out(`snapshot ${values.out}: as of ${manifest.as_of}, ${rows} rows read, ${Object.keys(manifest.outputs).length} tables, content ${manifest.content_hash.slice(0, 12)}`);
        return 0;
      }
      case "pull": {
        const {values} = parseArgs({
          args: rest,
          options: {out: {type: "string"}, since: {type: "string"}, until: {type: "string"}, concurrency: {type: "string"}},
          strict: true
        });
        if (!values.out) throw new UsageError("pull needs --out <dir>");
        const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError(`--concurrency must be an integer in 1..16, got ${values.concurrency}`);
        const {pull} = await import("./api/pull.js");
        const tty = process.stderr.isTTY;
        const result = await pull({
          out: values.out,
          since: values.since,
          until: values.until,
          concurrency,
          config: loadConfig(),
          log,
          // On a terminal: one line rewritten in place; elsewhere the phase log lines are enough.
          progress: (p) => {
            if (!tty) return;
            process.stderr.write(`\rpull: ${p.phase}: customers ${p.customersDone}/${p.customersTotal}, ${p.windows} windows, ${p.requests} requests   ${p.phase === "done" ? "\n" : ""}`);
          }
        });
        out(`pull ${values.out}: [${result.from}, ${result.until}) for ${result.customers} customers, ${result.windows} windows, ${result.requests} requests in ${result.seconds} s; last complete day ${result.lastCompleteDay}`);
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
