import {launchProfile, serveStatic, openPage} from "./test/browser/harness.ts";
const server = await serveStatic("/work/main/.test-site/dist");
for (const f of ["/scratch.html", "/scratch2.html", "/scratch.html", "/scratch2.html"]) {
const context = await launchProfile();
const {page, log} = await openPage(context, server.origin);
  await page.goto(server.origin + f);
  await page.waitForFunction(() => (window as any).__t, null, {timeout: 60000});
  console.log(f, JSON.stringify(await page.evaluate(() => (window as any).__t), (k, v) => typeof v === "number" ? Math.round(v) : v));
await context.close();
}
await server.close();
