// Runs one snapshot in its own process and prints {ms, cpuMs, maxRssBytes, phases, rssPeaks, spilledBytes, …} so the benchmark
// reads the process's own peak, and its CPU time: on a shared machine wall time moves with the neighbours' load, CPU
// time much less. Argument 4, optional: the memory budget (e.g. 256MB).
import {DEFAULT_CONFIG} from "../../data-loaders/config.js";
import {snapshot} from "../../data-loaders/snapshot/snapshot.js";

const [exportDir, out, asOf, memoryLimit] = process.argv.slice(2);
const start = performance.now();
const cpuStart = process.cpuUsage();
const phases: Record<string, number> = {};
// The process's resident memory, sampled every 100 ms (DuckDB works off the event loop), peaked per phase: where a run
// under a small budget holds memory beyond DuckDB's buffer pool (what the budget bounds).
const rssPeaks: Record<string, number> = {};
let rssSincePhase = 0;
const sampler = setInterval(() => (rssSincePhase = Math.max(rssSincePhase, process.memoryUsage.rss())), 100);
sampler.unref();
let spilledBytes = 0;
// Phases go to stderr with the time since start, so a slow run says where its time went; the phase lines are kept.
const log = (message: string) => {
  process.stderr.write(`[${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
  const phase = /^snapshot: (staging|staging files written|models and checks|marts written|model (\S+)) in (\d+) ms$/.exec(message);
  if (phase) {
    phases[phase[2] ?? phase[1]!] = Number(phase[3]);
    rssPeaks[phase[2] ?? phase[1]!] = Math.max(rssSincePhase, process.memoryUsage.rss());
    rssSincePhase = 0;
  }
  const spill = /^snapshot: spilled up to (\d+) MiB/.exec(message);
  if (spill) spilledBytes = Number(spill[1]) * 2 ** 20;
};
const manifest = await snapshot({exportDir: exportDir!, out: out!, asOf: asOf!, config: {...DEFAULT_CONFIG, ...(memoryLimit ? {memoryLimit} : {})}, log});
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const rows = (t: string) => manifest.tables[t]?.rows_in ?? 0;
process.stdout.write(JSON.stringify({
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  memoryLimit: memoryLimit ?? DEFAULT_CONFIG.memoryLimit,
  spilledBytes,
  phases,
  rssPeaks,
  breakdownLineItems: rows("breakdowns_line_items") + rows("breakdowns_draft_line_items"),
  rowsIn: Object.values(manifest.tables).reduce((n, t) => n + t.rows_in, 0),
  outputs: manifest.outputs,
  stagingCache: manifest.staging_cache
}));
