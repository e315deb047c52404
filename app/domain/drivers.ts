import { type CategoryCounts, compareNps, type NpsSummary, summarizeNps } from "./nps";

// What drives a shop's NPS: answers split by the facts of their order (bands of order value and fulfillment time,
// new vs returning, discount, channel, country), and for each binary fact the NPS with it against the NPS without
// it, with the 95 % confidence interval of the difference (the two groups are independent samples, so the standard
// error of the difference is sqrt(se₁² + se₂²), each se from nps.ts).

/** Below this many answers in either group a driver is listed as "not enough answers", without a number. */
export const MIN_GROUP_SIZE = 30;

const Z_95 = 1.959963984540054;

/** A band holds the values from `from` (inclusive) up to `to` (exclusive); null is open-ended. */
export interface Band<K extends string = string> {
  key: K;
  label: string;
  from: number | null;
  to: number | null;
}

/** Order total in the shop's currency (Shopify's `total_price`). */
export const ORDER_VALUE_BANDS = [
  { key: "under_50", label: "Under 50", from: null, to: 50 },
  { key: "50_100", label: "50–100", from: 50, to: 100 },
  { key: "100_200", label: "100–200", from: 100, to: 200 },
  { key: "200_plus", label: "200 and more", from: 200, to: null },
] as const satisfies readonly Band[];

/**
 * Time from the invitation (made when the order webhook arrived) to the order's fulfillment, in days of 24 hours
 * (the shop's time zone is not known): "same or next day" is under 2 days, "more than 5 days" is 6 days or more.
 */
export const FULFILLMENT_DELAY_BANDS = [
  { key: "same_or_next_day", label: "Same or next day", from: null, to: 2 },
  { key: "2_3_days", label: "2–3 days", from: 2, to: 4 },
  { key: "4_5_days", label: "4–5 days", from: 4, to: 6 },
  { key: "over_5_days", label: "More than 5 days", from: 6, to: null },
] as const satisfies readonly Band[];

export const ITEM_COUNT_BANDS = [
  { key: "single", label: "One item", from: null, to: 2 },
  { key: "multi", label: "Several items", from: 2, to: null },
] as const satisfies readonly Band[];

export type OrderValueBand = (typeof ORDER_VALUE_BANDS)[number]["key"];
export type FulfillmentDelayBand = (typeof FULFILLMENT_DELAY_BANDS)[number]["key"];
export type ItemCountBand = (typeof ITEM_COUNT_BANDS)[number]["key"];

/** Orders worth this much or more count as "high value" for the drivers. */
export const HIGH_ORDER_VALUE = 100;
/** Fulfilled this many days (of 24 h) or more after the order counts as "shipped in > 5 days". */
export const SLOW_FULFILLMENT_DAYS = 6;

const DAY_MS = 86_400_000;

/** The lower bounds of every band but the first, ascending: what a SQL CASE needs to number the bands. */
export function bandBoundaries(bands: readonly Band[]): number[] {
  return bands.slice(1).map((band) => {
    if (band.from === null) throw new RangeError(`band ${band.key} needs a lower bound`);
    return band.from;
  });
}

/** The band's position: how many boundaries the value reached (below the first boundary → 0). */
export function bandIndex(boundaries: readonly number[], value: number): number {
  return boundaries.filter((boundary) => value >= boundary).length;
}

export function bandFor<B extends Band>(
  bands: readonly B[],
  value: number | null | undefined,
): B["key"] | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return bands[bandIndex(bandBoundaries(bands), value)]?.key ?? null;
}

export function orderValueBand(orderValue: number | null | undefined): OrderValueBand | null {
  return bandFor(ORDER_VALUE_BANDS, orderValue);
}

export function fulfillmentDelayDays(invitedAt: Date, fulfilledAt: Date): number {
  return (fulfilledAt.getTime() - invitedAt.getTime()) / DAY_MS;
}

/** Null while the order is not fulfilled. A fulfillment before the invitation counts as the same day. */
export function fulfillmentDelayBand(invitedAt: Date, fulfilledAt: Date | null): FulfillmentDelayBand | null {
  if (!fulfilledAt) return null;
  return bandFor(FULFILLMENT_DELAY_BANDS, fulfillmentDelayDays(invitedAt, fulfilledAt));
}

export function itemCountBand(itemCount: number | null | undefined): ItemCountBand | null {
  return bandFor(ITEM_COUNT_BANDS, itemCount);
}

// ── segments ────────────────────────────────────────────────────────────────────────────────────────────────

export type DriverDimension =
  | "customer" // "new" | "returning"
  | "orderValue" // OrderValueBand
  | "itemCount" // ItemCountBand
  | "discount" // "with" | "without"
  | "fulfillmentDelay" // FulfillmentDelayBand
  | "salesChannel" // Shopify's source_name, lower case
  | "country"; // ISO 3166-1 alpha-2

/** The answers of one segment (null: the fact is unknown for them) counted by category. */
export interface SegmentCounts {
  dimension: DriverDimension;
  segment: string | null;
  counts: CategoryCounts;
}

export const NO_COUNTS: CategoryCounts = { promoters: 0, passives: 0, detractors: 0 };

export function addCounts(a: CategoryCounts, b: CategoryCounts): CategoryCounts {
  return {
    promoters: a.promoters + b.promoters,
    passives: a.passives + b.passives,
    detractors: a.detractors + b.detractors,
  };
}

export function responsesIn(counts: CategoryCounts): number {
  return counts.promoters + counts.passives + counts.detractors;
}

const SALES_CHANNEL_LABELS: Record<string, string> = {
  web: "Online Store",
  pos: "Point of Sale",
  shopify_draft_order: "Draft orders",
};

export function salesChannelLabel(channel: string): string {
  return SALES_CHANNEL_LABELS[channel] ?? channel;
}

let regionNames: Intl.DisplayNames | null | undefined;

/** "DE" → "Germany"; the code itself when the runtime has no name for it. */
export function countryLabel(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(["en"], { type: "region" });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const FIXED_SEGMENT_LABELS: Partial<Record<DriverDimension, Record<string, string>>> = {
  customer: { new: "New customers", returning: "Returning customers" },
  discount: { with: "With a discount code", without: "Without a discount code" },
  orderValue: Object.fromEntries(ORDER_VALUE_BANDS.map((band) => [band.key, band.label])),
  itemCount: Object.fromEntries(ITEM_COUNT_BANDS.map((band) => [band.key, band.label])),
  fulfillmentDelay: Object.fromEntries(FULFILLMENT_DELAY_BANDS.map((band) => [band.key, band.label])),
};

/** How a segment is named in the admin. */
export function segmentLabel(dimension: DriverDimension, segment: string | null): string {
  if (segment === null) {
    if (dimension === "customer") return "Unknown (guest checkout)";
    if (dimension === "fulfillmentDelay") return "Not fulfilled yet";
    return "Unknown";
  }
  if (dimension === "salesChannel") return salesChannelLabel(segment);
  if (dimension === "country") return countryLabel(segment);
  return FIXED_SEGMENT_LABELS[dimension]?.[segment] ?? segment;
}

// ── drivers ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface DriverGroup {
  counts: CategoryCounts;
  summary: NpsSummary;
}

export interface Driver {
  key: string;
  dimension: DriverDimension;
  /** The answers with the fact, e.g. "Orders shipped in > 5 days". */
  label: string;
  /** The answers without it, e.g. "orders shipped within 5 days". */
  comparedWith: string;
  with: DriverGroup;
  without: DriverGroup;
  /** NPS with the fact minus NPS without it; null when a group has no answers. */
  difference: number | null;
  standardError: number | null;
  confidenceInterval95: { low: number; high: number } | null;
  /** Both groups have at least the minimum number of answers. */
  enoughAnswers: boolean;
  /** Enough answers, and the 95 % interval of the difference excludes 0. */
  significant: boolean;
  /** "Orders shipped in > 5 days: −23 NPS" or "…: not enough answers". */
  text: string;
}

interface BinaryFact {
  key: string;
  dimension: DriverDimension;
  with: readonly string[];
  without: readonly string[];
  label: string;
  comparedWith: string;
}

const keysOf = (bands: readonly Band[], test: (band: Band) => boolean) =>
  bands.filter(test).map((band) => band.key);
const reaches = (threshold: number) => (band: Band) => band.from !== null && band.from >= threshold;

const BINARY_FACTS: readonly BinaryFact[] = [
  {
    key: "returning_customer",
    dimension: "customer",
    with: ["returning"],
    without: ["new"],
    label: "Returning customers",
    comparedWith: "new customers",
  },
  {
    key: "discount_used",
    dimension: "discount",
    with: ["with"],
    without: ["without"],
    label: "Orders with a discount code",
    comparedWith: "orders without one",
  },
  {
    key: "shipped_after_5_days",
    dimension: "fulfillmentDelay",
    with: keysOf(FULFILLMENT_DELAY_BANDS, reaches(SLOW_FULFILLMENT_DAYS)),
    without: keysOf(FULFILLMENT_DELAY_BANDS, (band) => !reaches(SLOW_FULFILLMENT_DAYS)(band)),
    label: "Orders shipped in > 5 days",
    comparedWith: "orders shipped within 5 days",
  },
  {
    key: "order_value_100_plus",
    dimension: "orderValue",
    with: keysOf(ORDER_VALUE_BANDS, reaches(HIGH_ORDER_VALUE)),
    without: keysOf(ORDER_VALUE_BANDS, (band) => !reaches(HIGH_ORDER_VALUE)(band)),
    label: `Orders of ${HIGH_ORDER_VALUE} or more`,
    comparedWith: `orders under ${HIGH_ORDER_VALUE}`,
  },
  {
    key: "multi_item",
    dimension: "itemCount",
    with: ["multi"],
    without: ["single"],
    label: "Orders with several items",
    comparedWith: "single-item orders",
  },
];

/** Dimensions where each segment is compared with all the others. */
const ONE_AGAINST_OTHERS: readonly {
  dimension: DriverDimension;
  label: (segment: string) => string;
  others: string;
  /** Only segments with at least the minimum number of answers become drivers. */
  onlyLargeSegments: boolean;
}[] = [
  {
    dimension: "salesChannel",
    label: (segment) => `Orders from ${salesChannelLabel(segment)}`,
    others: "orders from other channels",
    onlyLargeSegments: false,
  },
  {
    dimension: "country",
    label: (segment) => `Orders to ${countryLabel(segment)}`,
    others: "orders to other countries",
    onlyLargeSegments: true,
  },
];

function formatDifference(difference: number): string {
  const rounded = Math.round(difference);
  if (rounded === 0) return "0";
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

/** One fact's NPS with against without, the difference and its 95 % confidence interval. */
export function compareGroups(
  fact: { key: string; dimension: DriverDimension; label: string; comparedWith: string },
  withCounts: CategoryCounts,
  withoutCounts: CategoryCounts,
  minimumGroupSize = MIN_GROUP_SIZE,
): Driver {
  const comparison = compareNps(withCounts, withoutCounts);
  const { difference, standardError } = comparison;
  const confidenceInterval95 =
    difference === null || standardError === null
      ? null
      : { low: difference - Z_95 * standardError, high: difference + Z_95 * standardError };
  const enoughAnswers =
    difference !== null &&
    responsesIn(withCounts) >= minimumGroupSize &&
    responsesIn(withoutCounts) >= minimumGroupSize;
  const significant =
    enoughAnswers &&
    confidenceInterval95 !== null &&
    (confidenceInterval95.low > 0 || confidenceInterval95.high < 0);
  return {
    key: fact.key,
    dimension: fact.dimension,
    label: fact.label,
    comparedWith: fact.comparedWith,
    with: { counts: withCounts, summary: summarizeNps(withCounts) },
    without: { counts: withoutCounts, summary: summarizeNps(withoutCounts) },
    difference,
    standardError,
    confidenceInterval95,
    enoughAnswers,
    significant,
    text: `${fact.label}: ${enoughAnswers && difference !== null ? `${formatDifference(difference)} NPS` : "not enough answers"}`,
  };
}

/** Known segments of one dimension with their summed counts (a segment may come in several rows). */
function segmentsOf(rows: readonly SegmentCounts[], dimension: DriverDimension): Map<string, CategoryCounts> {
  const segments = new Map<string, CategoryCounts>();
  for (const row of rows) {
    if (row.dimension !== dimension || row.segment === null) continue;
    segments.set(row.segment, addCounts(segments.get(row.segment) ?? NO_COUNTS, row.counts));
  }
  return segments;
}

function sumOf(segments: Map<string, CategoryCounts>, keys: readonly string[]): CategoryCounts {
  return keys.reduce((sum, key) => addCounts(sum, segments.get(key) ?? NO_COUNTS), NO_COUNTS);
}

function rank(driver: Driver): number {
  return driver.significant ? 0 : driver.enoughAnswers ? 1 : 2;
}

/**
 * Every binary fact's effect on NPS, from answer counts per segment (answers whose fact is unknown are left out of
 * both groups). Sorted: significant drivers by |difference|, then the other drivers with enough answers by
 * |difference|, then those without enough answers (most answers first).
 */
export function keyDrivers(
  rows: readonly SegmentCounts[],
  options: { minimumGroupSize?: number } = {},
): Driver[] {
  const minimum = options.minimumGroupSize ?? MIN_GROUP_SIZE;
  const drivers: Driver[] = [];

  for (const fact of BINARY_FACTS) {
    const segments = segmentsOf(rows, fact.dimension);
    const withCounts = sumOf(segments, fact.with);
    const withoutCounts = sumOf(segments, fact.without);
    if (responsesIn(withCounts) + responsesIn(withoutCounts) === 0) continue;
    drivers.push(compareGroups(fact, withCounts, withoutCounts, minimum));
  }

  for (const family of ONE_AGAINST_OTHERS) {
    const segments = [...segmentsOf(rows, family.dimension)]
      .map(([segment, counts]) => ({ segment, counts }))
      .sort((a, b) => responsesIn(b.counts) - responsesIn(a.counts) || a.segment.localeCompare(b.segment));
    if (segments.length < 2) continue;
    const total = segments.reduce((sum, { counts }) => addCounts(sum, counts), NO_COUNTS);
    // With two segments, "A against B" and "B against A" are one finding: keep the smaller segment's.
    const candidates = segments.length === 2 ? segments.slice(1) : segments;
    for (const { segment, counts } of candidates) {
      if (family.onlyLargeSegments && responsesIn(counts) < minimum) continue;
      const others = segments.filter((other) => other.segment !== segment);
      const only = others.length === 1 ? others[0] : undefined;
      const comparedWith = only ? family.label(only.segment).replace(/^Orders/, "orders") : family.others;
      const withoutCounts = {
        promoters: total.promoters - counts.promoters,
        passives: total.passives - counts.passives,
        detractors: total.detractors - counts.detractors,
      };
      drivers.push(
        compareGroups(
          {
            key: `${family.dimension}:${segment}`,
            dimension: family.dimension,
            label: family.label(segment),
            comparedWith,
          },
          counts,
          withoutCounts,
          minimum,
        ),
      );
    }
  }

  return drivers.sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    if (rank(a) < 2) {
      const byImpact = Math.abs(b.difference ?? 0) - Math.abs(a.difference ?? 0);
      if (byImpact !== 0) return byImpact;
    } else {
      const answers = (driver: Driver) => driver.with.summary.responses + driver.without.summary.responses;
      const byAnswers = answers(b) - answers(a);
      if (byAnswers !== 0) return byAnswers;
    }
    return a.label.localeCompare(b.label);
  });
}
