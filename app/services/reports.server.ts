import type { Database } from "~/adapters/db/client.server";
import {
  answerTotalsByDayAndStage,
  askedInvitations,
  type DayStageTotals,
} from "~/adapters/db/report-rollup-reads.server";
import { categoryForScore } from "~/domain/category";
import {
  type CategoryCounts,
  compareNps,
  type NpsComparison,
  type NpsSummary,
  summarizeNps,
} from "~/domain/nps";
import { FOLLOW_UP_STAGE } from "~/domain/follow-up-survey";
import { periodOf, type TrendBucket } from "~/domain/report-days";
import type { ReportFilters } from "~/domain/report-filters";

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

interface AnswerTotals {
  scores: number[];
  csatSum: number;
  csatCount: number;
  cesSum: number;
  cesCount: number;
}

function sumTotals(rows: readonly DayStageTotals[]): AnswerTotals {
  const totals: AnswerTotals = {
    scores: Array.from({ length: 11 }, () => 0),
    csatSum: 0,
    csatCount: 0,
    cesSum: 0,
    cesCount: 0,
  };
  for (const row of rows) {
    row.scores.forEach((count, score) => {
      totals.scores[score] = (totals.scores[score] ?? 0) + count;
    });
    totals.csatSum += row.csatSum;
    totals.csatCount += row.csatCount;
    totals.cesSum += row.cesSum;
    totals.cesCount += row.cesCount;
  }
  return totals;
}

function countsOfScores(scores: readonly number[]): CategoryCounts {
  const counts: CategoryCounts = { promoters: 0, passives: 0, detractors: 0 };
  scores.forEach((count, score) => {
    const category = categoryForScore(score);
    if (category === "promoter") counts.promoters += count;
    else if (category === "passive") counts.passives += count;
    else counts.detractors += count;
  });
  return counts;
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

/**
 * Every figure of the dashboard, counted in the database (daily rollups for whole days, the answers for the
 * range's partial days), never by loading answers into memory.
 */
export async function dashboardReport(
  database: Database,
  shopDomain: string,
  range: DateRange,
  filters: ReportFilters = {},
): Promise<DashboardReport> {
  const length = range.to.getTime() - range.from.getTime();
  const previousRange = { from: new Date(range.from.getTime() - length), to: range.from };
  const bucket = bucketFor(range);
  // Invitations know their stage but not the channel, language or customer of an answer that never came.
  const rateKnown = !filters.channel && !filters.locale && !filters.customer;
  // Answers per day and stage: whole days from the daily rollup, the range's partial days from the answers. The
  // stage filter narrows in memory, since the stage comparison looks at both stages.
  const narrow = { channel: filters.channel, locale: filters.locale, customer: filters.customer };
  const [days, previousDays, invitations] = await Promise.all([
    answerTotalsByDayAndStage(database, shopDomain, range, narrow),
    answerTotalsByDayAndStage(database, shopDomain, previousRange, narrow),
    askedInvitations(
      database,
      shopDomain,
      range,
      filters.stage ? { equals: filters.stage } : { not: FOLLOW_UP_STAGE },
    ),
  ]);
  const inStage = (row: DayStageTotals) => !filters.stage || row.stage === filters.stage;
  const current = days.filter(inStage);
  const totals = sumTotals(current);
  const counts = countsOfScores(totals.scores);
  const previousCounts = countsOfScores(sumTotals(previousDays.filter(inStage)).scores);
  const summary = summarizeNps(counts);
  const previousSummary = summarizeNps(previousCounts);
  const periods = new Map<string, DayStageTotals[]>();
  for (const row of current) {
    const period = periodOf(row.day, bucket);
    periods.set(period, [...(periods.get(period) ?? []), row]);
  }
  const points = [...periods]
    .map(([period, rows]) => ({ period, summary: summarizeNps(countsOfScores(sumTotals(rows).scores)) }))
    .filter((point) => point.summary.responses > 0)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const stageCounts = (stage: string) =>
    countsOfScores(sumTotals(days.filter((row) => row.stage === stage)).scores);
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    summary,
    counts,
    invitations,
    responseRate: rateKnown && invitations > 0 ? summary.responses / invitations : null,
    previous: { summary: previousSummary, comparison: compareNps(counts, previousCounts) },
    trend: {
      bucket,
      points: points.map(({ period, summary: point }) => ({
        period,
        responses: point.responses,
        nps: point.nps,
        marginOfError95: point.marginOfError95,
      })),
    },
    distribution: totals.scores,
    csatAverage: totals.csatCount > 0 ? totals.csatSum / totals.csatCount : null,
    cesAverage: totals.cesCount > 0 ? totals.cesSum / totals.cesCount : null,
    stages: compareStages(stageCounts("purchase"), stageCounts("delivery")),
  };
}
