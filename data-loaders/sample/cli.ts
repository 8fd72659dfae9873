// `npm run sample -- [--out DIR] [--customers N] [--products P] [--days D | --start YYYY-MM-DD] [--as-of YYYY-MM-DD]
//                    [--seed S] [--dense] [--no-scenarios] [--variant full|guide] [--history knob=x,…]`
// Writes the sample Metronome Data Export (default: data/sample-export under the project root, data/sample-export-guide
// for --variant guide) and prints what it wrote.
import {dirname, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {dayNumber, isoDay} from "../lib/dates.js";
import {SAMPLE_AS_OF, generateSampleExport} from "./generate.js";
import type {SampleOptions, SampleVariant} from "./generate.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const {values} = parseArgs({
  options: {
    out: {type: "string"},
    customers: {type: "string"},
    products: {type: "string"},
    days: {type: "string"},
    start: {type: "string"},
    "as-of": {type: "string"},
    seed: {type: "string"},
    dense: {type: "boolean"},
    "no-scenarios": {type: "boolean"},
    variant: {type: "string"},
    history: {type: "string"},
    help: {type: "boolean", short: "h"}
  },
  strict: true
});

if (values.help) {
  console.log("usage: tsx data-loaders/sample/cli.ts [--out DIR] [--customers N] [--products P] [--days D | --start YYYY-MM-DD] [--as-of YYYY-MM-DD] [--seed S] [--dense] [--no-scenarios] [--variant full|guide] [--history weekday=1,trend=1,noise=1,seasonality=1,events=1]");
  process.exit(0);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new Error(`--${name} must be an integer, got ${value}`);
  return Number(value);
}

const asOf = values["as-of"] ?? SAMPLE_AS_OF;
const days = integer("days", values.days);
if (days !== undefined && values.start) throw new Error("give --days or --start, not both");
const variant = (values.variant ?? "full") as SampleVariant;
if (variant !== "full" && variant !== "guide") throw new Error(`--variant must be full or guide, got ${values.variant}`);
// --history weekday=1.5,noise=0.5: multipliers of the history model's parts (docs/sample-data.md).
const history: Record<string, number> = {};
for (const item of values.history ? values.history.split(",") : []) {
  const [name, value] = item.split("=");
  if (!name || value === undefined || !/^\d+(\.\d+)?$/.test(value)) throw new Error(`--history takes knob=number pairs separated by commas, got ${item}`);
  history[name.trim()] = Number(value);
}
const options: SampleOptions = {
  out: resolve(values.out ?? resolve(root, variant === "guide" ? "data/sample-export-guide" : "data/sample-export")),
  seed: integer("seed", values.seed),
  customers: integer("customers", values.customers),
  products: integer("products", values.products),
  startDate: days !== undefined ? isoDay(dayNumber(asOf) - days) : values.start,
  asOf,
  scenarios: !values["no-scenarios"],
  dense: values.dense ?? false,
  variant,
  history
};

const started = performance.now();
const stats = await generateSampleExport(options);
const seconds = (performance.now() - started) / 1000;
const total = Object.values(stats.rows).reduce((s, n) => s + n, 0);
console.log(`wrote ${options.out}: ${stats.files} files, ${total} rows in ${seconds.toFixed(1)} s`);
for (const [table, n] of Object.entries(stats.rows)) console.log(`  ${table.padEnd(28)} ${String(n).padStart(10)}`);
