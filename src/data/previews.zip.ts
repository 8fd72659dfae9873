// First views drawn at build time, shown before DuckDB-WASM is ready (data-loaders/snapshot/previews.ts).
import {previews} from "../../data-loaders/snapshot/previews.js";
import {siteSnapshot, writeStdout, zip} from "../../data-loaders/snapshot/site.js";

const {dir, manifest} = await siteSnapshot();
await writeStdout(zip(await previews(dir, manifest.as_of)));
