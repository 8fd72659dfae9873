// The /alerts and /owners pages' extracts: alerts firing now and their weekly history, replayed (docs/alerts.md).
import {loadConfig} from "../../data-loaders/config.js";
import {alertExtracts, siteSnapshot, writeStdout, zip} from "../../data-loaders/snapshot/site.js";

const {dir, manifest} = await siteSnapshot();
await writeStdout(zip(await alertExtracts(manifest, loadConfig(), (m) => console.error(m), dir)));
