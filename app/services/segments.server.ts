import type { Database } from "~/adapters/db/client.server";
import { segmentTotals } from "~/adapters/db/report-rollup-reads.server";
import type { SegmentRollupDimension } from "~/adapters/db/report-rollups.server";
import {
  addCounts,
  type Band,
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

/**
 * NPS per segment of the answers' order facts, and the key drivers, for one shop and date range. Everything is
 * counted in the database (daily rollups, and SQL per dialect for partial days), never by loading answers.
 */
export async function segmentReport(
  database: Database,
  shopDomain: string,
  range: DateRange,
): Promise<SegmentReport> {
  // Whole days from the daily rollup, the range's partial days from the answers (follow-up surveys of resolved
  // detractors are not counted: they would count the same customers twice).
  const { segments, products } = await segmentTotals(database, shopDomain, range, TOP_PRODUCTS);
  const countsBy = (dimension: SegmentRollupDimension, keyOf: (segment: string) => string = (key) => key) => {
    const byKey = new Map<string | null, CategoryCounts>();
    for (const cell of segments) {
      if (cell.dimension !== dimension) continue;
      const key = cell.segment === null ? null : keyOf(cell.segment);
      byKey.set(key, addCounts(byKey.get(key) ?? NO_COUNTS, cell));
    }
    return byKey;
  };
  const byCustomer = countsBy("customer");
  const byDiscount = countsBy("discount");
  const byChannel = countsBy("salesChannel");
  const byCountry = countsBy("country", (code) => code.toUpperCase());
  const byOrderValue = countsBy("orderValue");
  const byItemCount = countsBy("itemCount");
  const byDelay = countsBy("fulfillmentDelay");

  // Every answer is in exactly one customer group (unknown included): their sum is the total.
  const total = [...byCustomer.values()].reduce(addCounts, NO_COUNTS);
  const currencyCode =
    [...countsBy("currency")]
      .filter((entry): entry is [string, CategoryCounts] => entry[0] !== null)
      .sort((a, b) => responsesIn(b[1]) - responsesIn(a[1]))[0]?.[0] ?? null;

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
      rows: products.map(({ segment: productId, promoters, passives, detractors }) =>
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
