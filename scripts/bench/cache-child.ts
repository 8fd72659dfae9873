// Fills a snapshot folder's staging cache with the export as it stood on an as-of date (time travel: the partitions
// up to it), staging only — no models, no marts — so the benchmark's incremental snapshot starts from the cache the
// day before's snapshot would have left, at a third of that snapshot's cost. Arguments: export, out, as-of, budget.
import {mkdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {DEFAULT_CONFIG} from "../../data-loaders/config.js";
import {openDuckDB} from "../../data-loaders/lib/duckdb.js";
import {newCache} from "../../data-loaders/sources/export/cache.js";
import {stageExport} from "../../data-loaders/sources/export/stage.js";
import {CACHE_FOLDER, planExport} from "../../data-loaders/snapshot/snapshot.js";

const [exportDir, out, asOf, memoryLimit] = process.argv.slice(2);
const start = performance.now();
const plan = planExport(exportDir!, asOf!);
const scratch = join(out!, ".bench-scratch");
mkdirSync(out!, {recursive: true});
const {instance, connection} = await openDuckDB({memoryLimit: memoryLimit ?? DEFAULT_CONFIG.memoryLimit, tempDirectory: join(out!, ".bench-spill")});
const cache = newCache(null, join(out!, CACHE_FOLDER));
await stageExport(connection, plan.files, {environment: DEFAULT_CONFIG.environment, scratch, cache, log: (m) => process.stderr.write(`[cache ${((performance.now() - start) / 1000).toFixed(1)} s] ${m}\n`)});
connection.closeSync();
instance.closeSync();
rmSync(scratch, {recursive: true, force: true});
rmSync(join(out!, ".bench-spill"), {recursive: true, force: true});
process.stdout.write(JSON.stringify({ms: performance.now() - start, stats: cache.stats}));
