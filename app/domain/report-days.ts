// Reports read whole UTC days from daily rollups and count the partial days at a range's ends from the answers
// themselves. Days are written YYYY-MM-DD (UTC), as the rollups key them.

const DAY_MS = 86_400_000;

export interface TimeRange {
  from: Date;
  to: Date;
}

export type TrendBucket = "day" | "week" | "month";

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export interface SplitRange {
  /** The whole UTC days inside the range, as [fromDay, toDay) (toDay exclusive); null when there are none. */
  days: { fromDay: string; toDay: string } | null;
  /** The parts of days the range covers only partly, each inside one UTC day. */
  partial: TimeRange[];
}

/** [from, to) as whole UTC days plus at most two partial days. */
export function splitRange(range: TimeRange): SplitRange {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!(from < to)) return { days: null, partial: [] };
  const firstWhole = from === startOfUtcDay(from) ? from : startOfUtcDay(from) + DAY_MS;
  const endWhole = startOfUtcDay(to);
  if (firstWhole >= endWhole) {
    // No whole day: the range lies in one day, or runs from inside one day into the next.
    if (startOfUtcDay(from) === startOfUtcDay(to - 1)) return { days: null, partial: [range] };
    const midnight = new Date(startOfUtcDay(to));
    return {
      days: null,
      partial: [
        { from: range.from, to: midnight },
        { from: midnight, to: range.to },
      ],
    };
  }
  const partial: TimeRange[] = [];
  if (from < firstWhole) partial.push({ from: range.from, to: new Date(firstWhole) });
  if (endWhole < to) partial.push({ from: new Date(endWhole), to: range.to });
  return {
    days: { fromDay: utcDay(new Date(firstWhole)), toDay: utcDay(new Date(endWhole)) },
    partial,
  };
}

/** The trend period a day falls in: the day, its week's Monday, or the first of its month. */
export function periodOf(day: string, bucket: TrendBucket): string {
  if (bucket === "day") return day;
  if (bucket === "month") return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return utcDay(new Date(date.getTime() - sinceMonday * DAY_MS));
}
