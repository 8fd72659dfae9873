// Finds Debian's Chromium for the browser tests, installing it when running as root (CI does), else says how.
import {execFileSync} from "node:child_process";
import {existsSync} from "node:fs";
import {chromiumPath} from "../data-loaders/lib/chromium.js";

const PACKAGES = ["chromium", "poppler-utils"]; // poppler-utils: pdftoppm/pdftotext for the report tests
const PDFTOPPM = "/usr/bin/pdftoppm";

export function ensureChromium(log: (message: string) => void = console.error): void {
  const missing = () => [...(chromiumPath() ? [] : ["chromium"]), ...(existsSync(PDFTOPPM) ? [] : [PDFTOPPM])];
  if (missing().length === 0) return;
  const command = `apt-get update && apt-get install -y ${PACKAGES.join(" ")}`;
  if (process.getuid?.() !== 0) throw new Error(`Chromium or poppler-utils is missing; run as root: ${command}`);
  log(`ensure-chromium: installing ${PACKAGES.join(", ")} from Debian's packages`);
  execFileSync("sh", ["-c", `DEBIAN_FRONTEND=noninteractive ${command.replace("install -y", "install -y -q --no-install-recommends")}`], {stdio: ["ignore", "inherit", "inherit"]});
  if (missing().length) throw new Error(`${missing().join(", ")} still missing after: ${command}`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
