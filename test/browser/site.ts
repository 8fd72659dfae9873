// Where the built site under test is: the offline build `npm test` made, or a fresh offline build when a browser
// test file runs on its own.
import {existsSync} from "node:fs";
import {offlineBuild} from "../../scripts/offline-build.js";

let built: string | undefined;

export function siteDir(): string {
  const dir = process.env.METERBOOK_SITE_DIR;
  if (dir && existsSync(dir)) return dir;
  return (built ??= offlineBuild(undefined, {guideExamples: true}).dist);
}
