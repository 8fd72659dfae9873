// Re-export only, for branches that still import "../atomic.js" (data-loaders/reports/build.ts): the helper lives in
// data-loaders/lib/atomic.ts. Remove once no file imports this path.
export {swapInto, writeFolderAtomically} from "./lib/atomic.js";
