// Runs one snapshot in its own process and prints {ms, maxRssBytes} so the benchmark reads the process's own peak.
import {DEFAULT_CONFIG} from "../../data-loaders/config.js";
import {snapshot} from "../../data-loaders/snapshot/snapshot.js";

const [exportDir, out, asOf] = process.argv.slice(2);
const start = performance.now();
// Phases go to stderr with the time since start, so a slow run says where its time went.
const log = (message: string) => process.stderr.write(`[${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
const manifest = await snapshot({exportDir: exportDir!, out: out!, asOf: asOf!, config: DEFAULT_CONFIG, log});
const ms = performance.now() - start;
const rows = (t: string) => manifest.tables[t]?.rows_in ?? 0;
process.stdout.write(JSON.stringify({
  ms,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  breakdownLineItems: rows("breakdowns_line_items") + rows("breakdowns_draft_line_items"),
  rowsIn: Object.values(manifest.tables).reduce((n, t) => n + t.rows_in, 0),
  outputs: manifest.outputs
}));
