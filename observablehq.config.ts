// Observable Framework configuration. Offline by construction: no remote stylesheet (Framework's default loads Google
// Fonts; the system font stacks in its theme take over), no DuckDB extension downloads, and every `npm:` import
// served from the cache that scripts/offline-npm.ts primes from node_modules (docs/offline.md).
export default {
  root: "src",
  title: "Meterbook",
  theme: ["air", "near-midnight"],
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  search: false,
  footer: "Meterbook — usage-based billing reports from Metronome data."
};
