import type { Prisma } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { npsTrend, type TrendBucket } from "~/adapters/db/report-queries.server";
import {
  type CategoryCounts,
  compareNps,
  type NpsComparison,
  type NpsSummary,
  summarizeNps,
} from "~/domain/nps";
import { filterColumns, type ReportFilters } from "~/domain/report-filters";

export interface DateRange {
  from: Date;
  to: Date;
}

export interface TrendPoint {
  period: string;
  responses: number;
  nps: number | null;
  marginOfError95: number | null;
}

export interface DashboardReport {
  range: { from: string; to: string };
  summary: NpsSummary;
  counts: CategoryCounts;
  invitations: number;
  responseRate: number | null;
  previous: { summary: NpsSummary; comparison: NpsComparison };
  trend: { bucket: TrendBucket; points: TrendPoint[] };
  distribution: number[]; // responses per score 0..10
  csatAverage: number | null;
  cesAverage: number | null;
  /** Two-stage surveys: buying experience (purchase) beside product experience (delivery); null with one stage. */
  stages: StageComparison | null;
}

export interface StageComparison {
  purchase: { summary: NpsSummary; counts: CategoryCounts };
  delivery: { summary: NpsSummary; counts: CategoryCounts };
  /** delivery minus purchase, with its significance. */
  gap: NpsComparison;
}

const DAY_MS = 86_400_000;

/** Confirmed answers of the shop in the range, narrowed by the dashboard's filters. */
function answersWhere(
  shopDomain: string,
  range: DateRange,
  filters: ReportFilters,
): Prisma.ResponseWhereInput {
  const narrowed = Object.fromEntries(filterColumns(filters).map(({ column, value }) => [column, value]));
  return { shopDomain, status: "confirmed", createdAt: { gte: range.from, lt: range.to }, ...narrowed };
}

async function categoryCounts(
  database: Database,
  shopDomain: string,
  range: DateRange,
  filters: ReportFilters,
): Promise<CategoryCounts> {
  const groups = await database.response.groupBy({
    by: ["category"],
    where: answersWhere(shopDomain, range, filters),
    _count: { _all: true },
  });
  const countOf = (category: string) => groups.find((group) => group.category === category)?._count._all ?? 0;
  return { promoters: countOf("promoter"), passives: countOf("passive"), detractors: countOf("detractor") };
}

function compareStages(purchase: CategoryCounts, delivery: CategoryCounts): StageComparison | null {
  const total = (counts: CategoryCounts) => counts.promoters + counts.passives + counts.detractors;
  if (total(delivery) === 0) return null;
  return {
    purchase: { summary: summarizeNps(purchase), counts: purchase },
    delivery: { summary: summarizeNps(delivery), counts: delivery },
    gap: compareNps(delivery, purchase),
  };
}

export function bucketFor(range: DateRange): TrendBucket {
  const days = (range.to.getTime() - range.from.getTime()) / DAY_MS;
  return days <= 31 ? "day" : days <= 180 ? "week" : "month";
}

/** Every figure of the dashboard, counted in the database, never by loading answers into memory. */
export async function dashboardReport(
  database: Database,
  shopDomain: string,
  range: DateRange,
  filters: ReportFilters = {},
): Promise<DashboardReport> {
  const createdAt = { gte: range.from, lt: range.to };
  const length = range.to.getTime() - range.from.getTime();
  const previousRange = { from: new Date(range.from.getTime() - length), to: range.from };
  const bucket = bucketFor(range);
  const where = answersWhere(shopDomain, range, filters);
  // Invitations know their stage but not the channel, language or customer of an answer that never came.
  const rateKnown = !filters.channel && !filters.locale && !filters.customer;
  const [counts, previousCounts, invitations, scores, averages, trendRows, purchase, delivery] =
    await Promise.all([
      categoryCounts(database, shopDomain, range, filters),
      categoryCounts(database, shopDomain, previousRange, filters),
      // Asked invitations only: suppressed ones were never shown, scheduled ones are not open yet.
      database.invitation.count({
        where: {
          shopDomain,
          status: { in: ["pending", "answered", "expired"] },
          createdAt,
          ...(filters.stage ? { stage: filters.stage } : {}),
        },
      }),
      database.response.groupBy({ by: ["score"], where, _count: { _all: true } }),
      database.response.aggregate({ where, _avg: { csat: true, ces: true } }),
      npsTrend(database, shopDomain, range, bucket, filters),
      categoryCounts(database, shopDomain, range, { ...filters, stage: "purchase" }),
      categoryCounts(database, shopDomain, range, { ...filters, stage: "delivery" }),
    ]);
  const summary = summarizeNps(counts);
  const previousSummary = summarizeNps(previousCounts);
  const distribution = Array.from(
    { length: 11 },
    (_, score) => scores.find((row) => row.score === score)?._count._all ?? 0,
  );
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    summary,
    counts,
    invitations,
    responseRate: rateKnown && invitations > 0 ? summary.responses / invitations : null,
    previous: { summary: previousSummary, comparison: compareNps(counts, previousCounts) },
    trend: {
      bucket,
      points: trendRows.map((row) => {
        const point = summarizeNps(row);
        return {
          period: row.period,
          responses: point.responses,
          nps: point.nps,
          marginOfError95: point.marginOfError95,
        };
      }),
    },
    distribution,
    csatAverage: averages._avg.csat,
    cesAverage: averages._avg.ces,
    stages: compareStages(purchase, delivery),
  };
}
