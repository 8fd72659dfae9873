// Types for the `npm:` imports Framework resolves at build time (served from the cache scripts/offline-npm.ts primes
// from node_modules, at the lockfile's version): the same package's own types.
declare module "npm:parquet-wasm" {
  export * from "parquet-wasm/esm";
  export {default} from "parquet-wasm/esm";
}
