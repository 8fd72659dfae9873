// Portfolio extracts for the overview, pacing, revenue and usage pages (docs/site-data.md).
import {extracts, PORTFOLIO_EXTRACTS, siteSnapshot, writeStdout, zip} from "../../data-loaders/snapshot/site.js";

const {dir} = await siteSnapshot();
await writeStdout(zip(await extracts(dir, PORTFOLIO_EXTRACTS)));
