import type { Database } from "~/adapters/db/client.server";
import {
  type BandCountsRow,
  countsByBand,
  countsByFulfillmentDelay,
  countsByProduct,
} from "~/adapters/db/segment-queries.server";
import {
  addCounts,
  type Band,
  bandBoundaries,
  type Driver,
  type DriverDimension,
  FULFILLMENT_DELAY_BANDS,
  ITEM_COUNT_BANDS,
  keyDrivers,
  MIN_GROUP_SIZE,
  NO_COUNTS,
  ORDER_VALUE_BANDS,
  responsesIn,
  type SegmentCounts,
  segmentLabel,
} from "~/domain/drivers";
import { type CategoryCounts, type NpsSummary, summarizeNps } from "~/domain/nps";
import type { DateRange } from "./reports.server";

export type SegmentDimensionKey = DriverDimension | "product";

export interface SegmentRow {
  /** The segment's key ("returning", "100_200", "DE", a product id …); "unknown" and "other" for the rest. */
  key: string;
  label: string;
  counts: CategoryCounts;
  summary: NpsSummary;
}

export interface SegmentDimension {
  key: SegmentDimensionKey;
  title: string;
  note: string | null;
  rows: SegmentRow[];
}

export interface SegmentReport {
  range: { from: string; to: string };
  total: { counts: CategoryCounts; summary: NpsSummary };
  /** The currency most answers' order values are in (the shop's currency); null without answers. */
  currencyCode: string | null;
  dimensions: SegmentDimension[];
  drivers: Driver[];
  minimumGroupSize: number;
}

export const TOP_COUNTRIES = 10;
export const TOP_PRODUCTS = 10;

type GroupRow = { category: string; _count: { _all: number } };

/** Prisma groupBy rows (one per key and category) folded into counts per key. */
function foldCategories<K>(rows: readonly (GroupRow & { key: K })[]): Map<K, CategoryCounts> {
  const byKey = new Map<K, CategoryCounts>();
  for (const row of rows) {
    const counts = { ...(byKey.get(row.key) ?? NO_COUNTS) };
    if (row.category === "promoter") counts.promoters += row._count._all;
    else if (row.category === "passive") counts.passives += row._count._all;
    else if (row.category === "detractor") counts.detractors += row._count._all;
    byKey.set(row.key, counts);
  }
  return byKey;
}

function bandCounts(
  bands: readonly Band[],
  rows: readonly BandCountsRow[],
): Map<string | null, CategoryCounts> {
  const byBand = new Map<string | null, CategoryCounts>();
  for (const { band, ...counts } of rows) {
    const key = band === null ? null : (bands[band]?.key ?? null);
    byBand.set(key, addCounts(byBand.get(key) ?? NO_COUNTS, counts));
  }
  return byBand;
}

function row(key: string, label: string, counts: CategoryCounts): SegmentRow {
  return { key, label, counts, summary: summarizeNps(counts) };
}

/** Fixed segments always shown (even with no answers), then "unknown" when some answers lack the fact. */
function fixedRows(
  dimension: DriverDimension,
  keys: readonly string[],
  counts: Map<string | null, CategoryCounts>,
): SegmentRow[] {
  const rows = keys.map((key) => row(key, segmentLabel(dimension, key), counts.get(key) ?? NO_COUNTS));
  const unknown = counts.get(null);
  if (unknown && responsesIn(unknown) > 0) rows.push(row("unknown", segmentLabel(dimension, null), unknown));
  return rows;
}

/** Open-ended segments, most answers first; beyond `top` they are summed into "other"; unknown last. */
function rankedRows(
  dimension: DriverDimension,
  counts: Map<string | null, CategoryCounts>,
  top = Number.POSITIVE_INFINITY,
  otherLabel = "Other",
): SegmentRow[] {
  const known = [...counts]
    .flatMap(([key, value]) => (key === null ? [] : [{ key, counts: value }]))
    .sort((a, b) => responsesIn(b.counts) - responsesIn(a.counts) || a.key.localeCompare(b.key));
  const rows = known
    .slice(0, top)
    .map((entry) => row(entry.key, segmentLabel(dimension, entry.key), entry.counts));
  const rest = known.slice(top).reduce((sum, entry) => addCounts(sum, entry.counts), NO_COUNTS);
  if (responsesIn(rest) > 0) rows.push(row("other", otherLabel, rest));
  const unknown = counts.get(null);
  if (unknown && responsesIn(unknown) > 0) rows.push(row("unknown", segmentLabel(dimension, null), unknown));
  return rows;
}

function asSegmentCounts(
  dimension: DriverDimension,
  counts: Map<string | null, CategoryCounts>,
): SegmentCounts[] {
  return [...counts].map(([segment, value]) => ({ dimension, segment, counts: value }));
}

const yesNo = (value: boolean | null, yes: string, no: string) => (value === null ? null : value ? yes : no);

/**
 * NPS per segment of the answers' order facts, and the key drivers, for one shop and date range. Everything is
 * counted in the database (groupBy or SQL per dialect), never by loading answers.
 */
export async function segmentReport(
  database: Database,
  shopDomain: string,
  range: DateRange,
): Promise<SegmentReport> {
  const where = { shopDomain, status: "confirmed", createdAt: { gte: range.from, lt: range.to } };
  const [customers, discounts, channels, countries, currencies, orderValues, itemCounts, delays, products] =
    await Promise.all([
      database.response.groupBy({ by: ["returningCustomer", "category"], where, _count: { _all: true } }),
      database.response.groupBy({ by: ["discountUsed", "category"], where, _count: { _all: true } }),
      database.response.groupBy({ by: ["salesChannel", "category"], where, _count: { _all: true } }),
      database.response.groupBy({ by: ["countryCode", "category"], where, _count: { _all: true } }),
      database.response.groupBy({ by: ["currencyCode"], where, _count: { _all: true } }),
      countsByBand(database, shopDomain, range, "orderValue", bandBoundaries(ORDER_VALUE_BANDS)),
      countsByBand(database, shopDomain, range, "itemCount", bandBoundaries(ITEM_COUNT_BANDS)),
      countsByFulfillmentDelay(database, shopDomain, range, bandBoundaries(FULFILLMENT_DELAY_BANDS)),
      countsByProduct(database, shopDomain, range, TOP_PRODUCTS),
    ]);

  const byCustomer = foldCategories(
    customers.map((group) => ({ ...group, key: yesNo(group.returningCustomer, "returning", "new") })),
  );
  const byDiscount = foldCategories(
    discounts.map((group) => ({ ...group, key: yesNo(group.discountUsed, "with", "without") })),
  );
  const byChannel = foldCategories(channels.map((group) => ({ ...group, key: group.salesChannel })));
  const byCountry = foldCategories(
    countries.map((group) => ({ ...group, key: group.countryCode?.toUpperCase() ?? null })),
  );
  const byOrderValue = bandCounts(ORDER_VALUE_BANDS, orderValues);
  const byItemCount = bandCounts(ITEM_COUNT_BANDS, itemCounts);
  const byDelay = bandCounts(FULFILLMENT_DELAY_BANDS, delays);

  // Every answer is in exactly one customer group (unknown included): their sum is the total.
  const total = [...byCustomer.values()].reduce(addCounts, NO_COUNTS);
  const currencyCode =
    [...currencies]
      .filter((group) => group.currencyCode !== null)
      .sort((a, b) => b._count._all - a._count._all)[0]?.currencyCode ?? null;

  const bandKeys = (bands: readonly Band[]) => bands.map((band) => band.key);
  const dimensions: SegmentDimension[] = [
    {
      key: "customer",
      title: "New and returning customers",
      note: "Returning: the customer's second order or later.",
      rows: fixedRows("customer", ["new", "returning"], byCustomer),
    },
    {
      key: "orderValue",
      title: currencyCode ? `Order value (${currencyCode})` : "Order value",
      note: "Order total in the shop's currency; each band includes its lower bound.",
      rows: fixedRows("orderValue", bandKeys(ORDER_VALUE_BANDS), byOrderValue),
    },
    {
      key: "country",
      title: "Countries",
      note: `The ${TOP_COUNTRIES} countries with most answers (shipping address, else billing address).`,
      rows: rankedRows("country", byCountry, TOP_COUNTRIES, "Other countries"),
    },
    {
      key: "salesChannel",
      title: "Sales channels",
      note: null,
      rows: rankedRows("salesChannel", byChannel),
    },
    {
      key: "discount",
      title: "Discount codes",
      note: null,
      rows: fixedRows("discount", ["with", "without"], byDiscount),
    },
    {
      key: "fulfillmentDelay",
      title: "Time to fulfillment",
      note: "From the order to its fulfillment, in days of 24 hours.",
      rows: fixedRows("fulfillmentDelay", bandKeys(FULFILLMENT_DELAY_BANDS), byDelay),
    },
    {
      key: "itemCount",
      title: "Items per order",
      note: null,
      rows: fixedRows("itemCount", bandKeys(ITEM_COUNT_BANDS), byItemCount),
    },
    {
      key: "product",
      title: "Top products",
      note: `The ${TOP_PRODUCTS} products with most answers; an answer counts for each product of its order.`,
      rows: products.map(({ productId, promoters, passives, detractors }) =>
        row(productId, `Product ${productId}`, { promoters, passives, detractors }),
      ),
    },
  ];

  const drivers = keyDrivers([
    ...asSegmentCounts("customer", byCustomer),
    ...asSegmentCounts("discount", byDiscount),
    ...asSegmentCounts("salesChannel", byChannel),
    ...asSegmentCounts("country", byCountry),
    ...asSegmentCounts("orderValue", byOrderValue),
    ...asSegmentCounts("itemCount", byItemCount),
    ...asSegmentCounts("fulfillmentDelay", byDelay),
  ]);

  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    total: { counts: total, summary: summarizeNps(total) },
    currencyCode,
    dimensions,
    drivers,
    minimumGroupSize: MIN_GROUP_SIZE,
  };
}
