#!/usr/bin/env node
// The `meterbook` command. The library is TypeScript, run through tsx's loader (a dependency, as Framework's .ts
// data loaders need it at build time too).
import {register} from "tsx/esm/api";

register();
const {main} = await import("../data-loaders/cli.ts");
process.exitCode = await main(process.argv.slice(2));
