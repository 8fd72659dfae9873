// The fictional AI-infrastructure company's catalog and the vocabulary the sample draws names from.

export interface CreditType {
  id: string;
  name: string;
}

/** Metronome's global id for USD (cents); the same in every Metronome account. */
export const USD_CENTS: CreditType = {id: "2714e483-4ff1-48e4-9e25-ac732e8f24f2", name: "USD (cents)"};
/** A fiat credit type in whole units (not cents): the sample's EUR customer is billed in it. */
/** A mid-history list-price cut on CPU Compute: the same vCPU hours cost less from this day on (every customer's
 * contracted price scales with the list price), so revenue steps down while quantity does not. */
export const LIST_PRICE_CHANGE = {product: 1, on: "2026-04-01", usdMicro: 3_600_000, eurMicro: 34_000};

export const EUR: CreditType = {id: "4f2b1b6e-8c0a-4a5e-9a43-6f1d3c2e9b70", name: "EUR"};

/** A usage product (with its billable metric). Prices are per unit in millionths of the minor unit, so every price
 * has at most 6 decimals and totals (whole quantity × price) stay exact. */
export interface ProductDef {
  name: string;
  metric: string;
  aggregate: "SUM" | "COUNT" | "MAX";
  /** The event property the metric aggregates (null for COUNT). */
  aggregateKey: string | null;
  groupKeys: string[][];
  tags: string[];
  /** List price in millionths of a US cent. */
  usdMicro: number;
  /** List price in millionths of a euro (EUR is billed in whole units). */
  eurMicro: number;
  /** Which customer profiles buy it. */
  profiles: Profile[];
  /** Share of days a customer that buys it actually uses it (bursty products such as fine-tuning are < 1). */
  dailyUse: number;
}

export type Profile = "llm" | "training" | "platform";

// The first ten are the core catalog (the default sample uses exactly these); the rest let benchmarks ask for more.
export const PRODUCT_CATALOG: ProductDef[] = [
  {name: "GPU Compute (H100 hours)", metric: "H100 GPU hours", aggregate: "SUM", aggregateKey: "gpu_hours", groupKeys: [["region"]], tags: ["compute", "gpu"], usdMicro: 349_000_000, eurMicro: 3_250_000, profiles: ["training", "llm"], dailyUse: 1},
  {name: "CPU Compute (vCPU hours)", metric: "vCPU hours", aggregate: "SUM", aggregateKey: "vcpu_hours", groupKeys: [["region"]], tags: ["compute", "cpu"], usdMicro: 4_200_000, eurMicro: 39_000, profiles: ["platform", "training"], dailyUse: 1},
  {name: "Object Storage (GB-month)", metric: "Object storage GB-months", aggregate: "SUM", aggregateKey: "gb_months", groupKeys: [], tags: ["storage"], usdMicro: 2_300_000, eurMicro: 21_000, profiles: ["platform", "training"], dailyUse: 1},
  {name: "API Calls", metric: "API requests", aggregate: "COUNT", aggregateKey: null, groupKeys: [["endpoint"]], tags: ["platform"], usdMicro: 20_000, eurMicro: 190, profiles: ["llm", "platform"], dailyUse: 1},
  {name: "Input Tokens", metric: "Input tokens", aggregate: "SUM", aggregateKey: "input_tokens", groupKeys: [["model"]], tags: ["inference", "tokens"], usdMicro: 300, eurMicro: 3, profiles: ["llm"], dailyUse: 1},
  {name: "Output Tokens", metric: "Output tokens", aggregate: "SUM", aggregateKey: "output_tokens", groupKeys: [["model"]], tags: ["inference", "tokens"], usdMicro: 1_500, eurMicro: 14, profiles: ["llm"], dailyUse: 1},
  {name: "Embeddings (tokens)", metric: "Embedding tokens", aggregate: "SUM", aggregateKey: "tokens", groupKeys: [["model"]], tags: ["inference", "tokens"], usdMicro: 20, eurMicro: 1, profiles: ["llm", "platform"], dailyUse: 1},
  {name: "Fine-tuning (GPU hours)", metric: "Fine-tuning GPU hours", aggregate: "SUM", aggregateKey: "gpu_hours", groupKeys: [["base_model"]], tags: ["training", "gpu"], usdMicro: 600_000_000, eurMicro: 5_600_000, profiles: ["training", "llm"], dailyUse: 0.3},
  {name: "Vector DB Queries", metric: "Vector queries", aggregate: "COUNT", aggregateKey: null, groupKeys: [["index"]], tags: ["database"], usdMicro: 4_000, eurMicro: 37, profiles: ["llm", "platform"], dailyUse: 1},
  {name: "Bandwidth (GB egress)", metric: "Egress GB", aggregate: "SUM", aggregateKey: "bytes_out_gb", groupKeys: [["region"]], tags: ["network"], usdMicro: 8_000_000, eurMicro: 75_000, profiles: ["platform", "training"], dailyUse: 1},
  {name: "GPU Compute (A100 hours)", metric: "A100 GPU hours", aggregate: "SUM", aggregateKey: "gpu_hours", groupKeys: [["region"]], tags: ["compute", "gpu"], usdMicro: 199_000_000, eurMicro: 1_850_000, profiles: ["training"], dailyUse: 1},
  {name: "Batch Inference Tokens", metric: "Batch tokens", aggregate: "SUM", aggregateKey: "tokens", groupKeys: [["model"]], tags: ["inference", "tokens"], usdMicro: 150, eurMicro: 1, profiles: ["llm"], dailyUse: 0.6},
  {name: "Image Generations", metric: "Images generated", aggregate: "COUNT", aggregateKey: null, groupKeys: [["resolution"]], tags: ["inference", "media"], usdMicro: 4_000_000, eurMicro: 37_000, profiles: ["llm"], dailyUse: 1},
  {name: "Speech-to-Text (minutes)", metric: "Audio minutes transcribed", aggregate: "SUM", aggregateKey: "minutes", groupKeys: [], tags: ["inference", "audio"], usdMicro: 600_000, eurMicro: 5_600, profiles: ["llm"], dailyUse: 1},
  {name: "Text-to-Speech (characters)", metric: "Characters synthesized", aggregate: "SUM", aggregateKey: "characters", groupKeys: [], tags: ["inference", "audio"], usdMicro: 1_500, eurMicro: 14, profiles: ["llm"], dailyUse: 1},
  {name: "Rerank Queries", metric: "Rerank requests", aggregate: "COUNT", aggregateKey: null, groupKeys: [], tags: ["inference"], usdMicro: 100_000, eurMicro: 930, profiles: ["llm"], dailyUse: 1},
  {name: "Model Hosting (replica hours)", metric: "Replica hours", aggregate: "SUM", aggregateKey: "replica_hours", groupKeys: [["model"]], tags: ["compute", "hosting"], usdMicro: 120_000_000, eurMicro: 1_120_000, profiles: ["training", "platform"], dailyUse: 1},
  {name: "Log Ingestion (GB)", metric: "Logs ingested GB", aggregate: "SUM", aggregateKey: "gb", groupKeys: [], tags: ["observability"], usdMicro: 25_000_000, eurMicro: 230_000, profiles: ["platform"], dailyUse: 1},
  {name: "Dedicated Endpoints (hours)", metric: "Endpoint hours", aggregate: "SUM", aggregateKey: "hours", groupKeys: [["model"]], tags: ["inference", "hosting"], usdMicro: 450_000_000, eurMicro: 4_200_000, profiles: ["llm"], dailyUse: 1},
  {name: "Cached Input Tokens", metric: "Cached input tokens", aggregate: "SUM", aggregateKey: "cached_tokens", groupKeys: [["model"]], tags: ["inference", "tokens"], usdMicro: 30, eurMicro: 1, profiles: ["llm"], dailyUse: 1},
  {name: "Web Search Calls", metric: "Search tool calls", aggregate: "COUNT", aggregateKey: null, groupKeys: [], tags: ["tools"], usdMicro: 1_000_000, eurMicro: 9_300, profiles: ["llm"], dailyUse: 1},
  {name: "Code Sandbox (minutes)", metric: "Sandbox minutes", aggregate: "SUM", aggregateKey: "minutes", groupKeys: [], tags: ["tools", "compute"], usdMicro: 100_000, eurMicro: 930, profiles: ["platform", "llm"], dailyUse: 1},
  {name: "Block Storage (GB-month)", metric: "Block storage GB-months", aggregate: "SUM", aggregateKey: "gb_months", groupKeys: [], tags: ["storage"], usdMicro: 10_000_000, eurMicro: 93_000, profiles: ["platform"], dailyUse: 1},
  {name: "Managed Postgres (vCPU hours)", metric: "Database vCPU hours", aggregate: "MAX", aggregateKey: "vcpus", groupKeys: [], tags: ["database"], usdMicro: 6_000_000, eurMicro: 56_000, profiles: ["platform"], dailyUse: 1}
];

/** The catalog entry for product index `i`, inventing plain SKUs past the end so any product count works. */
export function productDef(i: number): ProductDef {
  const def = PRODUCT_CATALOG[i];
  if (def) return def;
  return {name: `Usage SKU ${i + 1}`, metric: `SKU ${i + 1} units`, aggregate: "SUM", aggregateKey: "units", groupKeys: [], tags: ["other"], usdMicro: 1_000_000, eurMicro: 9_000, profiles: ["platform"], dailyUse: 1};
}

/** FIXED products that commits and credits are booked against (contracts_balances.product_id). */
export const COMMIT_PRODUCTS = {
  prepaid: "Prepaid Commitment",
  postpaid: "Postpaid Minimum Commitment",
  credit: "Promotional Credit"
} as const;

/** Customer success managers (custom_fields.owner). One has an apostrophe on purpose. */
export const CSMS = ["Priya Raman", "Marcus Feld", "Elena Petrova", "Diego Santos", "Hannah Cho", "Liam O'Connor"];

export const SEGMENTS = ["enterprise", "mid-market", "startup"] as const;

const NAME_STEMS = [
  "Acumen", "Aether", "Altair", "Amberly", "Arclight", "Ardent", "Axiom", "Basalt", "Beacon", "Bluefin", "Brightwave", "Cascade",
  "Cedar", "Cinder", "Clearpath", "Corvid", "Crestline", "Cypress", "Delphi", "Driftwood", "Ember", "Evergreen", "Fathom", "Fernhill",
  "Firefly", "Foxglove", "Galena", "Gradient", "Granite", "Harbor", "Hawthorn", "Horizon", "Ironclad", "Juniper", "Keystone", "Kestrel",
  "Lattice", "Lodestar", "Luminous", "Magnolia", "Maple", "Mosaic", "Northstar", "Oakridge", "Obsidian", "Onyx", "Orchid", "Parallax",
  "Pinnacle", "Prism", "Quarry", "Redwood", "Riverbend", "Saffron", "Sequoia", "Silverline", "Solstice", "Sparrow", "Tidewater", "Trellis",
  "Umber", "Vantage", "Verdant", "Willow", "Zenith", "Zephyr"
];
const NAME_SUFFIXES = [
  "AI", "Labs", "Robotics", "Analytics", "Systems", "Health", "Bio", "Networks", "Studios", "Logistics", "Security", "Cloud",
  "Data", "Research", "Technologies", "Finance", "Media", "Energy", "Learning", "Insights"
];

/** Every stem × suffix combination, in a fixed order (the generator shuffles it with the seed). */
export function nameCombinations(): string[] {
  return NAME_STEMS.flatMap((stem) => NAME_SUFFIXES.map((suffix) => `${stem} ${suffix}`));
}

export const SANDBOX_NAMES = ["QA Sandbox Tenant", "Load Test Org 01", "Partner Demo Account", "Integration Test Co", "Staging Billing Check"];
