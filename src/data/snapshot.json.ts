// The snapshot's identity for the freshness line on every page: as-of date, build time, content hash.
import {siteSnapshot} from "../../data-loaders/snapshot/site.js";

const {manifest} = await siteSnapshot();
process.stdout.write(JSON.stringify({as_of: manifest.as_of, built_at: manifest.built_at, content_hash: manifest.content_hash, environment: manifest.environment}));
