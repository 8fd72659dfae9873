// Command-line entry: `meterbook <command> [options]`. Errors about input print one clear line and exit 1.
import {parseArgs} from "node:util";
import {loadConfig} from "./config.js";
import {InputError} from "./errors.js";
import {resolveExportDir} from "./sources/resolve.js";
import {snapshot} from "./snapshot/snapshot.js";
import {siteSnapshot} from "./snapshot/site.js";

const USAGE = `usage: meterbook <command> [options]

commands:
  snapshot --out <dir> [--export <dir>] [--as-of YYYY-MM-DD] [--strict] [--memory-limit SIZE] [--no-cache] [--staging-line-items]
      Reads a Metronome Data Export (default: the embedded sample, or $METERBOOK_EXPORT_DIR) and writes staging
      tables, marts and manifest.json as Parquet into <dir>, atomically. Findings about the data are logged and
      written (docs/data-health.md); --strict fails on error-level ones and leaves <dir> as it was. --memory-limit
      (e.g. 256MB; default memoryLimit, 1.5GB) is the process's memory budget: DuckDB's buffers get two fifths of it
      (at least 256 MB, or all of a smaller budget) and past that spill beside <dir>. Each export file's typed rows are
      kept in <dir>/.cache; the next snapshot into <dir> reads only the files it has not read (--no-cache: read every
      file, keep nothing). The breakdown line tables' staging files, which nothing reads, are
      written only with --staging-line-items.
  doctor [--export <dir>] [--as-of YYYY-MM-DD] [--json]
      Reads an export (default: the one snapshot reads) and prints, writing nothing, its tables with rows, transfer
      dates and freshness, the path of the daily figures, how invoice lines were read, and the findings by severity
      (docs/data-health.md). --json prints the same as one JSON object. Exit 1 only when the export cannot be read.
  pull --out <dir> [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--concurrency N]
      Reads customers, contracts, invoices, breakdowns and usage through the Metronome API
      ($METRONOME_BEARER_TOKEN, $METRONOME_BASE_URL) into <dir>/export in the Data Export layout; a re-run pulls
      only the days after the last complete one (docs/api-source.md).
  report --month YYYY-MM (--customer <id>... | --all) --out <dir> [--snapshot <dir>] [--no-pdf] [--send [--dry-run <dir>]]
      Per customer, a self-contained monthly usage report folder and its PDF (docs/reports.md); --send emails each
      customer its own report at its admin address (reports.emailField or reports.recipients), listing those
      without one (docs/alerts.md). Exit 1 if any email was not delivered.
  alerts --state <dir> [--snapshot <dir>] [--dry-run <dir>]
      Evaluates the alert rules on the snapshot and sends what fired or resolved since the last run to Slack
      ($METERBOOK_SLACK_WEBHOOK_URL, per-owner variables) and email ($METERBOOK_SMTP_URL); --dry-run writes the
      messages into <dir> instead and records nothing. Exit 1 if anything was not delivered (docs/alerts.md).
  digest --week YYYY-Www [--snapshot <dir>] [--state <dir>] [--dry-run <dir>]
      The weekly leadership email to digest.to: at-risk accounts, what changed since the snapshot a week earlier
      (from the alerts state), revenue week over week by category. Exit 1 if not delivered (docs/alerts.md).
  backtest [--export <dir>] [--as-of YYYY-MM-DD] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--every 7d]
      Replays the baseline forecast and forecast v2 at past origins (default: the 52 weeks before the as-of date)
      over the export's daily burn, staged once, and prints their accuracy at 7, 30, 90 days and at segment end:
      WAPE, bias, P10–P90 coverage, exhaustion-date error, precision and recall (docs/forecast.md).
  qbr --quarter YYYY-Qn (--customer <id>... | --all) --out <dir> [--snapshot <dir>] [--no-pdf]
      Per customer, a 16:9 QBR deck and its one-slide-per-page PDF.
`;

export async function main(argv: string[], {log = (m: string) => console.error(m), out = (m: string) => console.log(m), env = process.env} = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "snapshot": {
        const {values} = parseArgs({args: rest, options: {export: {type: "string"}, out: {type: "string"}, "as-of": {type: "string"}, strict: {type: "boolean"}, "memory-limit": {type: "string"}, "no-cache": {type: "boolean"}, "staging-line-items": {type: "boolean"}}, strict: true});
        if (!values.out) throw new UsageError("snapshot needs --out <dir>");
        const config = loadConfig();
        if (values["memory-limit"]) config.memoryLimit = values["memory-limit"];
        const {exportDir, asOf, cost} = await resolveExportDir(values.export ?? null, config, log);
        const manifest = await snapshot({exportDir, out: values.out, asOf: values["as-of"] ?? asOf, config: {...config, cost}, log, strict: values.strict ?? false, cache: !values["no-cache"], stagingLineItems: values["staging-line-items"] ?? false});
        const rows = Object.values(manifest.tables).reduce((n, t) => n + t.rows_in, 0);
        out(`snapshot ${values.out}: as of ${manifest.as_of}, ${rows} rows read, ${Object.keys(manifest.outputs).length} tables, content ${manifest.content_hash.slice(0, 12)}`);
        return 0;
      }
      case "doctor": {
        const {values} = parseArgs({args: rest, options: {export: {type: "string"}, "as-of": {type: "string"}, json: {type: "boolean"}}, strict: true});
        const config = loadConfig();
        const {exportDir, asOf, cost} = await resolveExportDir(values.export ?? null, config, log);
        const {doctor, formatDoctor} = await import("./doctor/doctor.js");
        const report = await doctor({exportDir, asOf: values["as-of"] ?? asOf, config: {...config, cost}, log});
        out(values.json ? JSON.stringify(report, null, 2) : formatDoctor(report));
        return 0;
      }
      case "backtest": {
        const {values} = parseArgs({args: rest, options: {export: {type: "string"}, "as-of": {type: "string"}, from: {type: "string"}, to: {type: "string"}, every: {type: "string"}}, strict: true});
        for (const name of ["from", "to"] as const) if (values[name] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values[name])) throw new UsageError(`--${name} must be YYYY-MM-DD`);
        const config = loadConfig();
        const {exportDir, asOf} = await resolveExportDir(values.export ?? null, config, log);
        const {formatAccuracy, parseEvery, runBacktest} = await import("./forecast/backtest.js");
        let every: number | undefined;
        try {
          every = values.every === undefined ? undefined : parseEvery(values.every);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        const run = await runBacktest({exportDir, asOf: values["as-of"] ?? asOf, config, from: values.from, to: values.to, every, log});
        out(formatAccuracy(run));
        return 0;
      }
      case "report":
      case "qbr": {
        const {values} = parseArgs({
          args: rest,
          options: {month: {type: "string"}, quarter: {type: "string"}, customer: {type: "string", multiple: true}, all: {type: "boolean"}, out: {type: "string"}, snapshot: {type: "string"}, "no-pdf": {type: "boolean"}, send: {type: "boolean"}, "dry-run": {type: "string"}},
          strict: true
        });
        const period = command === "report" ? values.month : values.quarter;
        if (!period) throw new UsageError(command === "report" ? "report needs --month YYYY-MM" : "qbr needs --quarter YYYY-Qn");
        if (!values.out) throw new UsageError(`${command} needs --out <dir>`);
        if (Boolean(values.all) === Boolean(values.customer?.length)) throw new UsageError(`${command} needs --customer <id> or --all (one of them)`);
        if ((values.send || values["dry-run"]) && command !== "report") throw new UsageError("--send and --dry-run are for report only");
        if (values["dry-run"] && !values.send) throw new UsageError("--dry-run goes with --send");
        const config = loadConfig(env);
        if (values.send && !config.reports.emailField && !config.reports.recipients) throw new InputError("report --send needs reports.emailField (a customer custom field) or reports.recipients (a CSV/JSON file) in meterbook.config.json");
        const started = performance.now();
        const snapshotDir = values.snapshot ?? (await siteSnapshot(log)).dir;
        const {buildReports, buildDecks} = await import("./documents/build.js");
        const build = command === "report" ? buildReports : buildDecks;
        const built = await build(period, {snapshotDir, out: values.out, customers: values.all ? "all" : values.customer!, branding: config.branding, pdf: !values["no-pdf"], log});
        const seconds = (performance.now() - started) / 1000;
        out(`${command} ${period}: ${built.length} customer${built.length === 1 ? "" : "s"}${values["no-pdf"] ? "" : " with PDFs"} in ${values.out} (${seconds.toFixed(1)} s)`);
        if (!values.send) return 0;
        const {sendReports} = await import("./documents/send.js");
        // A customer without an address is listed, not a failure: only undelivered email makes the exit status 1.
        const sent = await sendReports({built, month: period, snapshotDir, dryRun: values["dry-run"] ?? null, config, env, log, out});
        return sent.failures.length ? 1 : 0;
      }
      case "alerts": {
        const {values} = parseArgs({args: rest, options: {state: {type: "string"}, snapshot: {type: "string"}, "dry-run": {type: "string"}}, strict: true});
        if (!values.state) throw new UsageError("alerts needs --state <dir> (where what was delivered is recorded)");
        const config = loadConfig(env);
        const snapshotDir = values.snapshot ?? (await siteSnapshot(log)).dir;
        const {runAlerts} = await import("./alerts/run.js");
        const result = await runAlerts({snapshotDir, stateDir: values.state, dryRun: values["dry-run"] ?? null, config, env, log, out});
        return result.failures.length ? 1 : 0;
      }
      case "digest": {
        const {values} = parseArgs({args: rest, options: {week: {type: "string"}, snapshot: {type: "string"}, state: {type: "string"}, "dry-run": {type: "string"}}, strict: true});
        if (!values.week) throw new UsageError("digest needs --week YYYY-Www");
        const config = loadConfig(env);
        const snapshotDir = values.snapshot ?? (await siteSnapshot(log)).dir;
        const {runDigest} = await import("./digest/digest.js");
        const result = await runDigest({snapshotDir, week: values.week, stateDir: values.state ?? null, dryRun: values["dry-run"] ?? null, config, env, log, out});
        return result.failures.length ? 1 : 0;
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
        const {pull} = await import("./sources/api/pull.js");
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
