// Headless Chromium in one place: where Debian's binary is, the flags that keep it off the network and able to run
// as root in a container, and the launch. The PDF renderer (documents), the browser tests and the benchmark use it.
import {existsSync} from "node:fs";
import {chromium, type Browser, type LaunchOptions} from "playwright-core";

/** The first Chromium found: CHROMIUM_PATH, then Debian's binaries; undefined when there is none. */
export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p): p is string => !!p && existsSync(p));
}

/** Headless, root-safe, and no network: no name resolves, except 127.0.0.1 when `loopback` (a test server). */
export function chromiumArgs({loopback = false}: {loopback?: boolean} = {}): string[] {
  return [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    `--host-resolver-rules=MAP * ~NOTFOUND${loopback ? ", EXCLUDE 127.0.0.1" : ""}`
  ];
}

/** playwright-core's launch options for the Chromium found, with the flags above; throws, saying how, when none is. */
export function chromiumLaunchOptions(options: {loopback?: boolean} = {}): Required<Pick<LaunchOptions, "executablePath" | "args">> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found: run `apt-get install -y chromium` (or set CHROMIUM_PATH)");
  return {executablePath, args: chromiumArgs(options)};
}

export function launchChromium(options: {loopback?: boolean} = {}): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions(options));
}
