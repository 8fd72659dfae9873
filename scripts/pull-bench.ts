// `npx tsx scripts/pull-bench.ts [--check]`: pulls the sample-sized dataset (the embedded sample export: 160
// customers, 15 months) through the mock Metronome API on loopback and prints the pull time and request count.
// With --check it also snapshots the pull and the export and compares every mart (acceptance: same marts).
// The mock serves the API's own page limits (35 daily breakdown windows, 25 balances, 100 elsewhere).
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {pull} from "../data-loaders/sources/api/pull.js";
import {DEFAULT_CONFIG} from "../data-loaders/config.js";
import {SAMPLE_AS_OF} from "../data-loaders/sample/generate.js";
import {snapshot} from "../data-loaders/snapshot/snapshot.js";
import {resolveExportDir} from "../data-loaders/sources/resolve.js";
import {buildMockData} from "../test/mock-metronome/dataset.js";
import {startMockServer} from "../test/mock-metronome/server.js";

process.env.TZ = "UTC";
const {values} = parseArgs({options: {check: {type: "boolean"}, concurrency: {type: "string"}}});
const log = (m: string) => console.error(m);
const {exportDir} = await resolveExportDir(null, DEFAULT_CONFIG, log);
const work = await mkdtemp(join(tmpdir(), "meterbook-pull-bench-"));
const token = `bench-${process.pid}-${Date.now()}`;
try {
  let t = performance.now();
  const data = await buildMockData(exportDir, SAMPLE_AS_OF);
  console.error(`mock data from ${exportDir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const server = await startMockServer({data, token});
  const now = () => new Date(`${SAMPLE_AS_OF}T06:00:00Z`);
  t = performance.now();
  const result = await pull({
    out: join(work, "pull"),
    until: SAMPLE_AS_OF,
    config: DEFAULT_CONFIG,
    env: {METRONOME_BEARER_TOKEN: token, METRONOME_BASE_URL: server.url},
    concurrency: values.concurrency ? Number(values.concurrency) : 4,
    now
  });
  const seconds = (performance.now() - t) / 1000;
  await server.close();
  console.log(`pull: ${result.customers} customers, [${result.from}, ${result.until}), ${result.windows} windows`);
  console.log(`pull time: ${seconds.toFixed(1)} s`);
  console.log(`requests: ${result.requests} (served: ${server.log.length}; ${server.log.filter((r) => r.status !== 200).length} not 200)`);
  if (values.check) {
    const a = await snapshot({exportDir: join(work, "pull", "export"), out: join(work, "pulled-snapshot"), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now});
    const b = await snapshot({exportDir, out: join(work, "export-snapshot"), asOf: SAMPLE_AS_OF, config: DEFAULT_CONFIG, now});
    const differ = Object.keys(b.outputs).filter((k) => k.startsWith("marts/") && a.outputs[k]?.sha256 !== b.outputs[k]!.sha256);
    console.log(differ.length ? `marts differ: ${differ.join(", ")}` : `marts: all ${Object.keys(b.outputs).filter((k) => k.startsWith("marts/")).length} identical to the export's`);
    if (differ.length) process.exitCode = 1;
  }
} finally {
  await rm(work, {recursive: true, force: true});
}
