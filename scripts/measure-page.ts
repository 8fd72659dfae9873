// `tsx scripts/measure-page.ts <dist> <path> [pacing|revenue|customer]`: time to first chart, bytes fetched and
// query latencies of one page of a built site, in Chromium on loopback (the benchmark's page measurement alone).
import {serveStatic} from "../test/browser/harness.js";
import {measure} from "./bench/site.js";

const [dist = "dist", path = "/", kind = "pacing"] = process.argv.slice(2);
const server = await serveStatic(dist);
try {
  const figures = await measure(server.origin, path, kind as "pacing", server.served);
  console.log(JSON.stringify(figures, null, 2));
} finally {
  await server.close();
}
