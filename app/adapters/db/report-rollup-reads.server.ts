import { type SplitRange, splitRange, type TimeRange } from "~/domain/report-days";
import type { Database } from "./client.server";
import {
  type DashboardCell,
  dashboardCellsOf,
  type RepeatCell,
  repeatCellsOf,
  SCORE_COLUMNS,
  type SegmentCell,
  type SegmentRollupDimension,
  SEGMENT_DIMENSIONS,
  segmentCellsOf,
  topProductsOf,
} from "./report-rollups.server";

// Report figures over any time range: the whole UTC days come from the daily rollups (summed in the database), the
// partial days at the ends from the answers themselves, by the same SQL that fills the rollups.

const wholeDays = (split: SplitRange) =>
  split.days ? { day: { gte: split.days.fromDay, lt: split.days.toDay } } : null;

// ── dashboard ────────────────────────────────────────────────────────────────────────────────────────────────

export interface DayStageTotals {
  day: string;
  stage: string;
  /** Answers per score 0…10. */
  scores: number[];
  csatSum: number;
  csatCount: number;
  cesSum: number;
  cesCount: number;
}

/** The dashboard's columns an answer can be narrowed by besides its stage (customer: new | returning). */
export interface AnswerNarrowing {
  channel?: string;
  locale?: string;
  customer?: string;
}

function addCell(into: Map<string, DayStageTotals>, cell: DayStageTotals) {
  const key = `${cell.day}|${cell.stage}`;
  const totals = into.get(key);
  if (!totals) {
    const { day, stage, csatSum, csatCount, cesSum, cesCount } = cell;
    into.set(key, { day, stage, scores: [...cell.scores], csatSum, csatCount, cesSum, cesCount });
    return;
  }
  cell.scores.forEach((count, score) => {
    totals.scores[score] = (totals.scores[score] ?? 0) + count;
  });
  totals.csatSum += cell.csatSum;
  totals.csatCount += cell.csatCount;
  totals.cesSum += cell.cesSum;
  totals.cesCount += cell.cesCount;
}

const matches = (cell: DashboardCell, narrow: AnswerNarrowing) =>
  (!narrow.channel || cell.channel === narrow.channel) &&
  (!narrow.locale || cell.locale === narrow.locale) &&
  (!narrow.customer || cell.customer === narrow.customer);

/** Confirmed answers given in the range, per UTC day and stage, narrowed by channel, language and customer. */
export async function answerTotalsByDayAndStage(
  database: Database,
  shopDomain: string,
  range: TimeRange,
  narrow: AnswerNarrowing = {},
): Promise<DayStageTotals[]> {
  const split = splitRange(range);
  const days = wholeDays(split);
  const sums = Object.fromEntries(
    [...SCORE_COLUMNS, "csatSum", "csatCount", "cesSum", "cesCount"].map((column) => [column, true]),
  ) as Record<(typeof SCORE_COLUMNS)[number] | "csatSum" | "csatCount" | "cesSum" | "cesCount", true>;
  const [rolled, ...partial] = await Promise.all([
    days
      ? database.responseDailyRollup.groupBy({
          by: ["day", "stage"],
          where: { shopDomain, ...days, ...narrow },
          _sum: sums,
        })
      : Promise.resolve([]),
    ...split.partial.map((slice) => dashboardCellsOf(database, shopDomain, slice)),
  ]);
  const totals = new Map<string, DayStageTotals>();
  for (const row of rolled) {
    addCell(totals, {
      day: row.day,
      stage: row.stage,
      scores: SCORE_COLUMNS.map((column) => row._sum[column] ?? 0),
      csatSum: row._sum.csatSum ?? 0,
      csatCount: row._sum.csatCount ?? 0,
      cesSum: row._sum.cesSum ?? 0,
      cesCount: row._sum.cesCount ?? 0,
    });
  }
  for (const cell of partial.flat()) if (matches(cell, narrow)) addCell(totals, cell);
  return [...totals.values()];
}

/** Statuses of an invitation that was shown: suppressed ones never were, scheduled ones are not open yet. */
const ASKED = ["pending", "answered", "expired"];

/**
 * Invitations created in the range that were asked, of one stage or of every stage but `exceptStage`: whole days
 * from the invitations' daily rollup (kept by database triggers), partial days counted from the invitations.
 */
export async function askedInvitations(
  database: Database,
  shopDomain: string,
  range: TimeRange,
  stage: { equals: string } | { not: string },
): Promise<number> {
  const split = splitRange(range);
  const days = wholeDays(split);
  const [rolled, ...partial] = await Promise.all([
    days
      ? database.invitationDailyRollup.aggregate({
          where: { shopDomain, status: { in: ASKED }, stage, ...days },
          _sum: { invitations: true },
        })
      : Promise.resolve(null),
    ...split.partial.map((slice) =>
      database.invitation.count({
        where: { shopDomain, status: { in: ASKED }, stage, createdAt: { gte: slice.from, lt: slice.to } },
      }),
    ),
  ]);
  return (rolled?._sum.invitations ?? 0) + partial.reduce((sum, count) => sum + count, 0);
}

// ── segments ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The answers of one segment over a range. */
export type SegmentCount = Omit<SegmentCell, "day">;

export interface SegmentTotals {
  /** Every dimension but products, one entry per segment (null: unknown). */
  segments: SegmentCount[];
  /** The products answered about most, most answers first (ties: the smaller id as text). */
  products: (SegmentCount & { segment: string })[];
}

function addSegment(into: Map<string, SegmentCount>, cell: SegmentCount) {
  const key = `${cell.dimension}|${cell.segment === null ? "" : `=${cell.segment}`}`;
  const totals = into.get(key);
  if (!totals) {
    const { dimension, segment, promoters, passives, detractors } = cell;
    into.set(key, { dimension, segment, promoters, passives, detractors });
    return;
  }
  totals.promoters += cell.promoters;
  totals.passives += cell.passives;
  totals.detractors += cell.detractors;
}

const responsesOf = (cell: SegmentCount) => cell.promoters + cell.passives + cell.detractors;
const FACT_DIMENSIONS = SEGMENT_DIMENSIONS.filter((dimension) => dimension !== "product");
const COUNT_SUMS = { promoters: true, passives: true, detractors: true, responses: true } as const;

/** Confirmed answers given in the range per segment of each order fact, and the top products. */
export async function segmentTotals(
  database: Database,
  shopDomain: string,
  range: TimeRange,
  topProducts: number,
): Promise<SegmentTotals> {
  const split = splitRange(range);
  const days = wholeDays(split);
  const [rolled, products, ...partial] = await Promise.all([
    days
      ? database.segmentDailyRollup.groupBy({
          by: ["dimension", "known", "segment"],
          // named, not "not product": the key's dimension column is then a range to read, not a filter
          where: { shopDomain, dimension: { in: FACT_DIMENSIONS }, ...days },
          _sum: COUNT_SUMS,
        })
      : Promise.resolve([]),
    topProductsOf(database, shopDomain, split.days, split.partial, topProducts),
    ...split.partial.map((slice) => segmentCellsOf(database, shopDomain, slice, { products: false })),
  ]);
  const segments = new Map<string, SegmentCount>();
  for (const row of rolled) {
    addSegment(segments, {
      dimension: row.dimension as SegmentRollupDimension,
      segment: row.known ? row.segment : null,
      promoters: row._sum.promoters ?? 0,
      passives: row._sum.passives ?? 0,
      detractors: row._sum.detractors ?? 0,
    });
  }
  for (const cell of partial.flat()) addSegment(segments, cell);
  return {
    segments: [...segments.values()].filter((cell) => responsesOf(cell) > 0),
    products: products.map((product) => ({ dimension: "product", ...product })),
  };
}

// ── repeat purchases ─────────────────────────────────────────────────────────────────────────────────────────

export interface RepeatTotals {
  category: string;
  answers: number;
  repeaters: RepeatCell["repeaters"];
}

function addRepeat(into: Map<string, RepeatTotals>, cell: RepeatTotals) {
  const totals = into.get(cell.category);
  if (!totals) {
    into.set(cell.category, {
      category: cell.category,
      answers: cell.answers,
      repeaters: { ...cell.repeaters },
    });
    return;
  }
  totals.answers += cell.answers;
  for (const days of [30, 60, 90] as const) totals.repeaters[days] += cell.repeaters[days];
}

/**
 * For each end: confirmed answers of known customers given in [from, end), per category, and how many of them
 * bought again. The ends share one read of the rollup and the partial day at `from`.
 */
export async function repeatTotals(
  database: Database,
  shopDomain: string,
  from: Date,
  ends: readonly Date[],
): Promise<RepeatTotals[][]> {
  const splits = ends.map((to) => splitRange({ from, to }));
  const spans = splits.flatMap((split) => (split.days ? [split.days] : []));
  const fromDay = spans.reduce<string | null>(
    (min, days) => (min && min < days.fromDay ? min : days.fromDay),
    null,
  );
  const toDay = spans.reduce<string | null>(
    (max, days) => (max && max > days.toDay ? max : days.toDay),
    null,
  );
  const slices = new Map<string, TimeRange>();
  for (const slice of splits.flatMap((split) => split.partial)) {
    slices.set(`${slice.from.getTime()}-${slice.to.getTime()}`, slice);
  }
  const [rolled, ...partial] = await Promise.all([
    fromDay && toDay
      ? database.repeatDailyRollup.groupBy({
          by: ["day", "category"],
          where: { shopDomain, day: { gte: fromDay, lt: toDay } },
          _sum: { answers: true, repeat30: true, repeat60: true, repeat90: true },
        })
      : Promise.resolve([]),
    ...[...slices.values()].map((slice) => repeatCellsOf(database, shopDomain, slice)),
  ]);
  const cellsOf = new Map([...slices.keys()].map((key, index) => [key, partial[index] ?? []]));
  return splits.map((split) => {
    const totals = new Map<string, RepeatTotals>();
    for (const row of rolled) {
      if (!split.days || row.day < split.days.fromDay || row.day >= split.days.toDay) continue;
      addRepeat(totals, {
        category: row.category,
        answers: row._sum.answers ?? 0,
        repeaters: { 30: row._sum.repeat30 ?? 0, 60: row._sum.repeat60 ?? 0, 90: row._sum.repeat90 ?? 0 },
      });
    }
    for (const slice of split.partial) {
      for (const cell of cellsOf.get(`${slice.from.getTime()}-${slice.to.getTime()}`) ?? [])
        addRepeat(totals, cell);
    }
    return [...totals.values()];
  });
}
