// Hand-placed customers that each demonstrate one behaviour a report must handle. Their ids are constants (not
// derived from the seed) so tests, docs and pages can refer to them whatever the seed or scale.
import {dayNumber} from "../lib/dates.js";

export interface SampleScenario {
  name: string;
  customerId: string;
  customerName: string;
  description: string;
  /** The commit (contracts_balances.id) the scenario is about, when there is one. */
  balanceId?: string;
  /** Its access-schedule item (breakdown commit_segment_id). */
  segmentId?: string;
  /** Burn status on SAMPLE_AS_OF under the definitions in docs/sample-data.md. */
  expectedStatus?: "over" | "under" | "on_track";
  expectedFlags?: string[];
  /**
   * The usage patterns planted in its burn series (docs/sample-data.md, "The history model"), for scoring pattern
   * flags: `early_spike` (sudden spike in the first 30 days), `stable_high_usage` (steady, heading for exhaustion
   * before the end), `gradual_growth`, `spike_and_drop` (repeated), `likely_breakage` (little used late in the term).
   */
  plantedPatterns?: string[];
}

/** A commit / credit in a scenario contract. Amounts are in the customer's credit type (USD cents or whole EUR). */
export interface ScenarioBalance {
  id?: string;
  type: "prepaid" | "postpaid" | "credit";
  name: string;
  segments: Array<{id?: string; start: string; end: string; amount: number}>;
  /** How it is invoiced: all up front, once per segment, never (free commit), at the end (postpaid true-up). */
  invoicing: "upfront" | "per_segment" | "free" | "end" | "none";
  /** Usage keeps drawing the commit past zero (the negative-balance scenario). */
  uncapped?: boolean;
}

export interface ScenarioContract {
  start: string;
  end: string;
  name: string;
  balances?: ScenarioBalance[];
}

/** Daily spend (minor units) over [from, to); `to` defaults to the as-of date. */
export interface ScenarioPlan {
  from: string;
  to?: string;
  daily: number;
  growth?: number;
  noise?: number;
  /** The history model's parts (history.ts); without it the plan is flat (no weekday pattern, no events). */
  history?: {
    weekday?: "business" | "flat" | "weekend";
    /** Depth of the weekend dip (business) or lift (weekend). */
    depth?: number;
    wander?: number;
    spikes?: Array<{on: string; days: number; factor: number}>;
    cycle?: {from: string; period: number; spikeDays: number; spike: number; dropDays: number; drop: number};
    fade?: {from: string; days: number; floor: number};
  };
}

export interface ScenarioCustomer {
  scenario: string;
  id: string;
  name: string;
  currency: "USD" | "EUR";
  created: string;
  owner: string;
  segment: string;
  aliases?: string[];
  billingProvider?: "stripe" | "aws_marketplace" | null;
  /** [catalog product index, share of spend]. Indices past the requested product count are dropped. */
  products: Array<[number, number]>;
  contracts: ScenarioContract[];
  plans: ScenarioPlan[];
  /** Later versions of the customer row (a newer row lands in a later partition). */
  updates?: Array<{on: string; name?: string; owner?: string}>;
}

/** Daily spend that burns `amount` over [start, end) at `pct` percent of straight-line pace. */
function pace(amount: number, start: string, end: string, pct: number): number {
  return ((amount / (dayNumber(end) - dayNumber(start))) * pct) / 100;
}

const ID = {
  onTrack: {customer: "8a6a66b7-7496-4743-9c58-60aa30087f11", balance: "394affc5-a274-4535-aaaf-47bc00744418", segment: "c2a4d9bc-bca5-4576-a267-bfe57e83f99a"},
  over: {customer: "76f4606a-d0a9-40ee-9cc3-9e1872b3ddcd", balance: "5d2dfc06-3881-432e-a647-6ae6f95cf533", segment: "cbe08bda-f61b-4f6a-a218-b5617be1d08f"},
  week1: {customer: "f11508f4-390e-4fde-8e9a-1b430e7839ac", balance: "a94dac63-bcb8-4a49-abac-8480a7921aff", segment: "904182e8-132c-430c-be2f-330b5faf83aa"},
  under: {customer: "96e5a8d6-b4d1-4ce1-b479-26887a20f10f", balance: "5e4a476a-50aa-4701-8418-4073118b0b3f", segment: "89320489-58c3-4b27-810a-7286209c2333"},
  negative: {customer: "4f642656-42ae-413b-9e0a-55ebf9a27384", balance: "a5079994-952c-4d9c-9dc7-c299342d7226", segment: "bb7302d9-2c79-4d4c-b017-2178477e0b27"},
  backdated: {customer: "beac86ce-6fbd-4fdf-b3e2-f97cb1ee3928"},
  priceChange: {customer: "4477b3f4-b9ff-4052-b9bf-53eedd522796"},
  duplicateA: {customer: "b57c25e6-e11c-4520-912d-6a0e5f825597"},
  duplicateB: {customer: "0fd925e8-778e-4f52-868c-00cddd97857f"},
  aliases: {customer: "b8025c47-17d8-4266-bba0-50d5c409f891", balance: "6758428c-26ea-451a-ab38-99d890fb94b0"},
  voided: {customer: "948e13e4-6c3c-49d4-8689-93b194beb8db"},
  eur: {customer: "982bd82c-667c-415a-bec9-5058d83112ef", balance: "c858e02f-372c-463f-a7d7-dd60dd9aa9dc"},
  apostrophe: {customer: "d52a0111-14ba-4427-bbbf-5fc0cb4214c6", balance: "369327d9-05e8-47ff-877d-c3618f9ea8c7", segment: "cbb05f2c-d9e9-4981-bedc-fee6be81969f"},
  exhaustion: {customer: "15a9edc2-60b3-487c-b409-f2cd1383ac0a", balance: "c1eb58b5-f127-4f11-9506-2b4f28b0d8a1", segment: "7f1b8b0d-0b5e-4155-b548-d63c0cd0d553"},
  growth: {customer: "38092717-936b-4067-8b77-7cf670083051", balance: "01a1683a-ea09-4906-82ad-1c5af5729940", segment: "c2f54606-e892-41a8-8ed1-fc5830276e25"},
  spikeDrop: {customer: "3c671d07-862e-4f9b-8c51-038c6c9d5fe0", balance: "4d32a0ab-b879-444b-8158-4e1bc7f8116e", segment: "ffa28b54-1747-4117-b86f-fc02887da18c"},
  breakage: {customer: "bcc1cd01-d09e-4a98-a39a-3a093e47b7f9", balance: "261d33ca-d916-4f0f-aaa3-97548c26a4fd", segment: "96d3d1f0-8a92-4d60-90c5-e8278ec8f9d4"}
} as const;

/** Scenario timings (used by the generator and asserted by the tests). */
export const BACKDATED = {day: "2026-10-03", fromSnapshot: "2026-10-11", factor: 2.5};
export const PRICE_CHANGE = {product: 5, fromSnapshot: "2026-10-08", oldPriceMicro: 1_500, newPriceMicro: 1_200};
export const VOIDED = {month: "2026-05-01", voidedOn: "2026-06-12"};

export const SAMPLE_SCENARIOS: SampleScenario[] = [
  {
    name: "on_track",
    customerId: ID.onTrack.customer,
    customerName: "Aurora Genomics",
    description: "Annual $240,000 prepaid commit from 2026-03-01 (second, sequential contract after pay-as-you-go), burning at ~100% of straight-line pace.",
    balanceId: ID.onTrack.balance,
    segmentId: ID.onTrack.segment,
    expectedStatus: "on_track",
    expectedFlags: []
  },
  {
    name: "over",
    customerId: ID.over.customer,
    customerName: "Cobalt Dynamics",
    description: "Renewal: $180,000 annual prepaid commit from 2026-09-01 (44 days elapsed) burning at ~180% of pace; the expired first-year commit burned ~92%. Owner changed on 2026-04-15 (newer customer row).",
    balanceId: ID.over.balance,
    segmentId: ID.over.segment,
    expectedStatus: "over",
    expectedFlags: ["unsustainable"]
  },
  {
    name: "week1_spike",
    customerId: ID.week1.customer,
    customerName: "Quanta Labs",
    description: "New customer: contract from 2026-10-01, $60,000 annual commit whose access starts 2026-10-10 (5 days elapsed), burning at ~350% of pace.",
    balanceId: ID.week1.balance,
    segmentId: ID.week1.segment,
    expectedStatus: "over",
    expectedFlags: ["week1_spike", "unsustainable"],
    plantedPatterns: ["early_spike"]
  },
  {
    name: "under",
    customerId: ID.under.customer,
    customerName: "Meridian Health AI",
    description: "$300,000 annual prepaid commit from 2026-06-01 (136 days elapsed) burning at ~35% of pace.",
    balanceId: ID.under.balance,
    segmentId: ID.under.segment,
    expectedStatus: "under",
    expectedFlags: ["adoption_risk"]
  },
  {
    name: "negative_balance",
    customerId: ID.negative.customer,
    customerName: "Stratus Freight",
    description: "$90,000 prepaid commit 2026-01-01 → 2027-01-01 burning at ~150% of pace; usage keeps drawing it past zero, so burned > amount and contracts_balances.balance < 0.",
    balanceId: ID.negative.balance,
    segmentId: ID.negative.segment,
    expectedStatus: "over",
    expectedFlags: ["negative_balance"]
  },
  {
    name: "backdated_usage",
    customerId: ID.backdated.customer,
    customerName: "Pinecrest Logistics",
    description: `Late events: its usage on ${BACKDATED.day} is ${BACKDATED.factor}× larger in draft snapshots from ${BACKDATED.fromSnapshot} on than in earlier snapshots. Pay-as-you-go.`
  },
  {
    name: "price_change",
    customerId: ID.priceChange.customer,
    customerName: "Nimbus Translate",
    description: `Output Tokens price drops from 0.0015 to 0.0012 cents; draft snapshots from ${PRICE_CHANGE.fromSnapshot} on re-rate the whole open month at the new price. Pay-as-you-go.`
  },
  {
    name: "duplicate_names",
    customerId: ID.duplicateA.customer,
    customerName: "Atlas AI",
    description: `Two different active customers are both named "Atlas AI": ${ID.duplicateA.customer} (since 2025-07, quarterly commit) and ${ID.duplicateB.customer} (since 2026-03, pay-as-you-go). Group by id, not name.`
  },
  {
    name: "ingest_aliases",
    customerId: ID.aliases.customer,
    customerName: "Vectorforge Systems",
    description: 'Three ingest aliases ["vf-prod-us","vf-prod-eu","acct_88412"]; also the sample\'s clearest postpaid (minimum-spend) commit.',
    balanceId: ID.aliases.balance
  },
  {
    name: "voided_invoice",
    customerId: ID.voided.customer,
    customerName: "Halcyon Media",
    description: `Its ${VOIDED.month.slice(0, 7)} usage invoice was finalized, then voided on ${VOIDED.voidedOn} (a newer VOID row of the same id) and reissued as a new FINALIZED invoice with new ids and identical content; breakdowns exist for both.`
  },
  {
    name: "eur_customer",
    customerId: ID.eur.customer,
    customerName: "Rheinwerk Systeme GmbH",
    description: "Billed in EUR (whole units, not cents) throughout, with quarterly multi-segment prepaid commits in EUR.",
    balanceId: ID.eur.balance
  },
  {
    name: "apostrophe",
    customerId: ID.apostrophe.customer,
    customerName: "O'Brien Robotics",
    description: "Apostrophes in the customer, contract and commit names and in its CSM (Liam O'Connor): quoting must survive SQL, JSON and HTML.",
    balanceId: ID.apostrophe.balance,
    segmentId: ID.apostrophe.segment
  },
  {
    name: "heading_to_exhaustion",
    customerId: ID.exhaustion.customer,
    customerName: "Borealis Robotics",
    description: "$200,000 annual prepaid commit from 2026-03-01, steady weekday-patterned usage at ~125% of pace with no trend: it runs out around mid-December 2026, some 2½ months before its end (an expansion conversation).",
    balanceId: ID.exhaustion.balance,
    segmentId: ID.exhaustion.segment,
    expectedStatus: "over",
    expectedFlags: [],
    plantedPatterns: ["stable_high_usage"]
  },
  {
    name: "gradual_growth",
    customerId: ID.growth.customer,
    customerName: "Lumen Analytics",
    description: "$150,000 annual prepaid commit from 2026-01-01 whose usage grows steadily (+0.17%/day of its starting level): ~80% of pace in January, ~120% by as-of, ~100% cumulatively.",
    balanceId: ID.growth.balance,
    segmentId: ID.growth.segment,
    expectedStatus: "on_track",
    expectedFlags: [],
    plantedPatterns: ["gradual_growth"]
  },
  {
    name: "spike_and_drop",
    customerId: ID.spikeDrop.customer,
    customerName: "Kestrel Systems",
    description: "$120,000 annual prepaid commit from 2026-04-01; every 12 days usage spikes to 3.5× for 2 days, then drops to 0.3× for 5 (an unstable implementation), ~95% of pace overall.",
    balanceId: ID.spikeDrop.balance,
    segmentId: ID.spikeDrop.segment,
    expectedStatus: "on_track",
    expectedFlags: [],
    plantedPatterns: ["spike_and_drop"]
  },
  {
    name: "likely_breakage",
    customerId: ID.breakage.customer,
    customerName: "Saffron Health",
    description: "$96,000 annual prepaid commit 2025-12-01 → 2026-12-01 burned at ~90% of pace until mid-July 2026, then usage fades over 30 days to ~10% and stays there: about a third of the commit will go unused (breakage).",
    balanceId: ID.breakage.balance,
    segmentId: ID.breakage.segment,
    expectedStatus: "under",
    expectedFlags: [],
    plantedPatterns: ["likely_breakage"]
  }
];

const llm: Array<[number, number]> = [[4, 0.35], [5, 0.45], [6, 0.1], [3, 0.1]];

/** The customers behind SAMPLE_SCENARIOS (17: duplicate_names needs two). */
export const SCENARIO_CUSTOMERS: ScenarioCustomer[] = [
  {
    scenario: "on_track", id: ID.onTrack.customer, name: "Aurora Genomics", currency: "USD", created: "2025-07-01", owner: "Priya Raman", segment: "enterprise",
    billingProvider: "stripe",
    products: [[0, 0.5], [2, 0.15], [7, 0.2], [9, 0.15]],
    contracts: [
      {start: "2025-07-01", end: "2026-03-01", name: "Aurora Genomics Pay-As-You-Go"},
      {start: "2026-03-01", end: "2027-03-01", name: "Aurora Genomics 2026 Enterprise Agreement", balances: [
        {id: ID.onTrack.balance, type: "prepaid", name: "2026 Annual Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.onTrack.segment, start: "2026-03-01", end: "2027-03-01", amount: 24_000_000}]}
      ]}
    ],
    plans: [
      {from: "2025-07-01", to: "2026-03-01", daily: 45_000, growth: 0.0008, noise: 0.15},
      {from: "2026-03-01", daily: pace(24_000_000, "2026-03-01", "2027-03-01", 100)}
    ]
  },
  {
    scenario: "over", id: ID.over.customer, name: "Cobalt Dynamics", currency: "USD", created: "2025-08-20", owner: "Marcus Feld", segment: "enterprise",
    billingProvider: "stripe",
    products: llm,
    contracts: [
      {start: "2025-09-01", end: "2026-09-01", name: "Cobalt Dynamics Enterprise Agreement 2025", balances: [
        {type: "prepaid", name: "Year 1 Prepaid Commit", invoicing: "upfront", segments: [{start: "2025-09-01", end: "2026-09-01", amount: 12_000_000}]}
      ]},
      {start: "2026-09-01", end: "2027-09-01", name: "Cobalt Dynamics Enterprise Agreement 2026", balances: [
        {id: ID.over.balance, type: "prepaid", name: "Year 2 Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.over.segment, start: "2026-09-01", end: "2027-09-01", amount: 18_000_000}]}
      ]}
    ],
    plans: [
      {from: "2025-09-01", to: "2026-09-01", daily: pace(12_000_000, "2025-09-01", "2026-09-01", 92)},
      {from: "2026-09-01", daily: pace(18_000_000, "2026-09-01", "2027-09-01", 180)}
    ],
    updates: [{on: "2026-04-15", owner: "Hannah Cho"}]
  },
  {
    scenario: "week1_spike", id: ID.week1.customer, name: "Quanta Labs", currency: "USD", created: "2026-09-24", owner: "Diego Santos", segment: "mid-market",
    billingProvider: "stripe",
    products: [[0, 0.6], [5, 0.25], [4, 0.15]],
    contracts: [
      {start: "2026-10-01", end: "2027-10-01", name: "Quanta Labs Launch Agreement", balances: [
        {id: ID.week1.balance, type: "prepaid", name: "Launch Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.week1.segment, start: "2026-10-10", end: "2027-10-10", amount: 6_000_000}]}
      ]}
    ],
    plans: [{from: "2026-10-10", daily: pace(6_000_000, "2026-10-10", "2027-10-10", 350)}]
  },
  {
    scenario: "under", id: ID.under.customer, name: "Meridian Health AI", currency: "USD", created: "2026-05-20", owner: "Elena Petrova", segment: "enterprise",
    billingProvider: null,
    products: [[4, 0.3], [5, 0.3], [6, 0.2], [8, 0.2]],
    contracts: [
      {start: "2026-06-01", end: "2027-06-01", name: "Meridian Health AI Master Agreement", balances: [
        {id: ID.under.balance, type: "prepaid", name: "Annual Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.under.segment, start: "2026-06-01", end: "2027-06-01", amount: 30_000_000}]}
      ]}
    ],
    plans: [{from: "2026-06-01", daily: pace(30_000_000, "2026-06-01", "2027-06-01", 35)}]
  },
  {
    scenario: "negative_balance", id: ID.negative.customer, name: "Stratus Freight", currency: "USD", created: "2025-07-01", owner: "Hannah Cho", segment: "mid-market",
    billingProvider: "stripe",
    products: [[1, 0.4], [2, 0.2], [9, 0.2], [3, 0.2]],
    contracts: [
      {start: "2025-07-01", end: "2026-01-01", name: "Stratus Freight Pay-As-You-Go"},
      {start: "2026-01-01", end: "2027-01-01", name: "Stratus Freight 2026 Agreement", balances: [
        {id: ID.negative.balance, type: "prepaid", name: "2026 Prepaid Commit", invoicing: "upfront", uncapped: true,
          segments: [{id: ID.negative.segment, start: "2026-01-01", end: "2027-01-01", amount: 9_000_000}]}
      ]}
    ],
    plans: [
      {from: "2025-07-01", to: "2026-01-01", daily: 20_000, growth: 0.001, noise: 0.2},
      {from: "2026-01-01", daily: pace(9_000_000, "2026-01-01", "2027-01-01", 150)}
    ]
  },
  {
    scenario: "backdated_usage", id: ID.backdated.customer, name: "Pinecrest Logistics", currency: "USD", created: "2025-07-01", owner: "Marcus Feld", segment: "mid-market",
    billingProvider: "stripe",
    products: [[3, 0.3], [4, 0.3], [5, 0.4]],
    contracts: [
      {start: "2025-07-01", end: "2026-07-01", name: "Pinecrest Logistics Agreement 2025"},
      {start: "2026-07-01", end: "2027-07-01", name: "Pinecrest Logistics Agreement 2026"}
    ],
    plans: [{from: "2025-07-01", daily: 30_000, growth: 0.001, noise: 0.12}]
  },
  {
    scenario: "price_change", id: ID.priceChange.customer, name: "Nimbus Translate", currency: "USD", created: "2025-11-10", owner: "Elena Petrova", segment: "mid-market",
    billingProvider: "stripe",
    products: [[4, 0.35], [5, 0.55], [3, 0.1]],
    contracts: [{start: "2025-12-01", end: "2026-12-01", name: "Nimbus Translate Usage Agreement"}],
    plans: [{from: "2025-12-01", daily: 25_000, growth: 0.0015, noise: 0.12}]
  },
  {
    scenario: "duplicate_names", id: ID.duplicateA.customer, name: "Atlas AI", currency: "USD", created: "2025-07-01", owner: "Diego Santos", segment: "enterprise",
    billingProvider: "stripe",
    products: [[0, 0.5], [1, 0.2], [2, 0.15], [9, 0.15]],
    contracts: [
      {start: "2025-07-01", end: "2026-07-01", name: "Atlas AI Compute Agreement", balances: [
        {type: "prepaid", name: "Quarterly Prepaid Commit", invoicing: "per_segment", segments: [
          {start: "2025-07-01", end: "2025-10-01", amount: 5_500_000}, {start: "2025-10-01", end: "2026-01-01", amount: 6_000_000},
          {start: "2026-01-01", end: "2026-04-01", amount: 6_500_000}, {start: "2026-04-01", end: "2026-07-01", amount: 7_000_000}
        ]}
      ]},
      {start: "2026-07-01", end: "2027-07-01", name: "Atlas AI Compute Agreement (Renewal)", balances: [
        {type: "prepaid", name: "Quarterly Prepaid Commit", invoicing: "per_segment", segments: [
          {start: "2026-07-01", end: "2026-10-01", amount: 7_500_000}, {start: "2026-10-01", end: "2027-01-01", amount: 8_000_000},
          {start: "2027-01-01", end: "2027-04-01", amount: 8_000_000}, {start: "2027-04-01", end: "2027-07-01", amount: 8_500_000}
        ]}
      ]}
    ],
    plans: [{from: "2025-07-01", daily: 60_000, growth: 0.0012, noise: 0.15}]
  },
  {
    scenario: "duplicate_names", id: ID.duplicateB.customer, name: "Atlas AI", currency: "USD", created: "2026-02-10", owner: "Liam O'Connor", segment: "startup",
    billingProvider: "stripe",
    products: llm,
    contracts: [{start: "2026-03-01", end: "2027-03-01", name: "Atlas AI Pay-As-You-Go"}],
    plans: [{from: "2026-03-01", daily: 4_000, growth: 0.003, noise: 0.3}]
  },
  {
    scenario: "ingest_aliases", id: ID.aliases.customer, name: "Vectorforge Systems", currency: "USD", created: "2025-12-15", owner: "Priya Raman", segment: "enterprise",
    aliases: ["vf-prod-us", "vf-prod-eu", "acct_88412"], billingProvider: "aws_marketplace",
    products: [[8, 0.4], [6, 0.3], [1, 0.2], [2, 0.1]],
    contracts: [
      {start: "2026-01-01", end: "2027-01-01", name: "Vectorforge Systems Minimum Spend Agreement", balances: [
        {id: ID.aliases.balance, type: "postpaid", name: "Annual Minimum Spend", invoicing: "end", segments: [{start: "2026-01-01", end: "2027-01-01", amount: 15_000_000}]}
      ]}
    ],
    plans: [{from: "2026-01-01", daily: pace(15_000_000, "2026-01-01", "2027-01-01", 90), growth: 0.0006, noise: 0.12}]
  },
  {
    scenario: "voided_invoice", id: ID.voided.customer, name: "Halcyon Media", currency: "USD", created: "2025-07-01", owner: "Hannah Cho", segment: "mid-market",
    billingProvider: "stripe",
    products: [[3, 0.3], [5, 0.3], [9, 0.2], [4, 0.2]],
    contracts: [
      {start: "2025-07-01", end: "2026-07-01", name: "Halcyon Media Agreement 2025"},
      {start: "2026-07-01", end: "2027-07-01", name: "Halcyon Media Agreement 2026"}
    ],
    plans: [{from: "2025-07-01", daily: 18_000, growth: 0.0008, noise: 0.2}]
  },
  {
    scenario: "eur_customer", id: ID.eur.customer, name: "Rheinwerk Systeme GmbH", currency: "EUR", created: "2025-07-01", owner: "Elena Petrova", segment: "enterprise",
    billingProvider: "stripe",
    products: [[0, 0.4], [1, 0.3], [2, 0.1], [4, 0.1], [5, 0.1]],
    contracts: [
      {start: "2025-07-01", end: "2026-07-01", name: "Rheinwerk Systeme Rahmenvertrag 2025", balances: [
        {type: "prepaid", name: "Quarterly Prepaid Commit (EUR)", invoicing: "per_segment", segments: [
          {start: "2025-07-01", end: "2025-10-01", amount: 30_000}, {start: "2025-10-01", end: "2026-01-01", amount: 32_000},
          {start: "2026-01-01", end: "2026-04-01", amount: 34_000}, {start: "2026-04-01", end: "2026-07-01", amount: 36_000}
        ]}
      ]},
      {start: "2026-07-01", end: "2027-07-01", name: "Rheinwerk Systeme Rahmenvertrag 2026", balances: [
        {id: ID.eur.balance, type: "prepaid", name: "Quarterly Prepaid Commit (EUR)", invoicing: "per_segment", segments: [
          {start: "2026-07-01", end: "2026-10-01", amount: 40_000}, {start: "2026-10-01", end: "2027-01-01", amount: 40_000},
          {start: "2027-01-01", end: "2027-04-01", amount: 40_000}, {start: "2027-04-01", end: "2027-07-01", amount: 40_000}
        ]}
      ]}
    ],
    plans: [{from: "2025-07-01", daily: 340, growth: 0.0006, noise: 0.15}]
  },
  {
    scenario: "apostrophe", id: ID.apostrophe.customer, name: "O'Brien Robotics", currency: "USD", created: "2025-09-12", owner: "Liam O'Connor", segment: "mid-market",
    billingProvider: "stripe",
    products: [[0, 0.3], [1, 0.3], [9, 0.2], [2, 0.2]],
    contracts: [
      {start: "2025-10-01", end: "2026-10-01", name: "O'Brien Robotics Annual Agreement", balances: [
        {type: "prepaid", name: "O'Brien Robotics Annual Commit", invoicing: "upfront", segments: [{start: "2025-10-01", end: "2026-10-01", amount: 7_500_000}]}
      ]},
      {start: "2026-10-01", end: "2027-10-01", name: "O'Brien Robotics Annual Agreement (Renewal)", balances: [
        {id: ID.apostrophe.balance, type: "prepaid", name: "O'Brien Robotics Annual Commit", invoicing: "upfront",
          segments: [{id: ID.apostrophe.segment, start: "2026-10-01", end: "2027-10-01", amount: 9_000_000}]}
      ]}
    ],
    plans: [{from: "2025-10-01", daily: 21_000, growth: 0.0005, noise: 0.15}]
  },
  {
    scenario: "heading_to_exhaustion", id: ID.exhaustion.customer, name: "Borealis Robotics", currency: "USD", created: "2026-02-10", owner: "Priya Raman", segment: "enterprise",
    billingProvider: "stripe",
    products: [[0, 0.55], [1, 0.15], [2, 0.15], [9, 0.15]],
    contracts: [
      {start: "2026-03-01", end: "2027-03-01", name: "Borealis Robotics Enterprise Agreement", balances: [
        {id: ID.exhaustion.balance, type: "prepaid", name: "Annual Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.exhaustion.segment, start: "2026-03-01", end: "2027-03-01", amount: 20_000_000}]}
      ]}
    ],
    plans: [{from: "2026-03-01", daily: pace(20_000_000, "2026-03-01", "2027-03-01", 125), noise: 0.08, history: {weekday: "business", depth: 0.3}}]
  },
  {
    scenario: "gradual_growth", id: ID.growth.customer, name: "Lumen Analytics", currency: "USD", created: "2025-12-05", owner: "Marcus Feld", segment: "enterprise",
    billingProvider: "stripe",
    products: [[4, 0.4], [5, 0.4], [8, 0.2]],
    contracts: [
      {start: "2026-01-01", end: "2027-01-01", name: "Lumen Analytics 2026 Agreement", balances: [
        {id: ID.growth.balance, type: "prepaid", name: "2026 Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.growth.segment, start: "2026-01-01", end: "2027-01-01", amount: 15_000_000}]}
      ]}
    ],
    plans: [{from: "2026-01-01", daily: pace(15_000_000, "2026-01-01", "2027-01-01", 80), growth: 0.5 / 287, noise: 0.1, history: {weekday: "business", depth: 0.35, wander: 0.03}}]
  },
  {
    scenario: "spike_and_drop", id: ID.spikeDrop.customer, name: "Kestrel Systems", currency: "USD", created: "2026-03-12", owner: "Diego Santos", segment: "mid-market",
    billingProvider: "stripe",
    products: [[0, 0.5], [3, 0.2], [9, 0.3]],
    contracts: [
      {start: "2026-04-01", end: "2027-04-01", name: "Kestrel Systems Agreement", balances: [
        {id: ID.spikeDrop.balance, type: "prepaid", name: "Annual Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.spikeDrop.segment, start: "2026-04-01", end: "2027-04-01", amount: 12_000_000}]}
      ]}
    ],
    // The cycle's mean is (2 × 3.5 + 5 × 0.3 + 5)/12 = 1.125 of the level.
    plans: [{from: "2026-04-01", daily: pace(12_000_000, "2026-04-01", "2027-04-01", 95) / 1.125, noise: 0.1,
      history: {weekday: "flat", cycle: {from: "2026-04-06", period: 12, spikeDays: 2, spike: 3.5, dropDays: 5, drop: 0.3}}}]
  },
  {
    scenario: "likely_breakage", id: ID.breakage.customer, name: "Saffron Health", currency: "USD", created: "2025-11-03", owner: "Elena Petrova", segment: "mid-market",
    billingProvider: null,
    products: [[4, 0.5], [5, 0.3], [6, 0.2]],
    contracts: [
      {start: "2025-12-01", end: "2026-12-01", name: "Saffron Health Annual Agreement", balances: [
        {id: ID.breakage.balance, type: "prepaid", name: "Annual Prepaid Commit", invoicing: "upfront",
          segments: [{id: ID.breakage.segment, start: "2025-12-01", end: "2026-12-01", amount: 9_600_000}]}
      ]}
    ],
    plans: [{from: "2025-12-01", daily: pace(9_600_000, "2025-12-01", "2026-12-01", 90), noise: 0.12,
      history: {weekday: "business", depth: 0.4, fade: {from: "2026-07-15", days: 30, floor: 0.1}}}]
  }
];
