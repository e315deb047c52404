import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodOf, splitRange, utcDay } from "~/domain/report-days";

const at = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;

describe("splitting a report range into whole UTC days and partial days", () => {
  it("reads a range from midnight to midnight as whole days only", () => {
    expect(splitRange({ from: at("2026-10-01T00:00:00Z"), to: at("2026-11-01T00:00:00Z") })).toEqual({
      days: { fromDay: "2026-10-01", toDay: "2026-11-01" },
      partial: [],
    });
  });

  it("counts the partial first and last days of a range that starts and ends during a day", () => {
    const from = at("2026-10-01T15:30:00Z");
    const to = at("2026-10-31T09:00:00Z");
    expect(splitRange({ from, to })).toEqual({
      days: { fromDay: "2026-10-02", toDay: "2026-10-31" },
      partial: [
        { from, to: at("2026-10-02T00:00:00Z") },
        { from: at("2026-10-31T00:00:00Z"), to },
      ],
    });
  });

  it("keeps a range inside one day as one partial day, and one across midnight as two", () => {
    const from = at("2026-10-01T08:00:00Z");
    expect(splitRange({ from, to: at("2026-10-01T20:00:00Z") })).toEqual({
      days: null,
      partial: [{ from, to: at("2026-10-01T20:00:00Z") }],
    });
    expect(splitRange({ from, to: at("2026-10-02T20:00:00Z") })).toEqual({
      days: null,
      partial: [
        { from, to: at("2026-10-02T00:00:00Z") },
        { from: at("2026-10-02T00:00:00Z"), to: at("2026-10-02T20:00:00Z") },
      ],
    });
  });

  it("gives nothing for an empty or reversed range", () => {
    const from = at("2026-10-01T08:00:00Z");
    expect(splitRange({ from, to: from })).toEqual({ days: null, partial: [] });
    expect(splitRange({ from, to: at("2026-09-01T00:00:00Z") })).toEqual({ days: null, partial: [] });
  });

  it("covers every instant of any range exactly once", () => {
    const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) });
    fc.assert(
      fc.property(instant, instant, instant, (a, b, probe) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const { days, partial } = splitRange({ from: new Date(from), to: new Date(to) });
        const inDays = days
          ? utcDay(new Date(probe)) >= days.fromDay && utcDay(new Date(probe)) < days.toDay
          : false;
        const inPartial = partial.filter(
          (slice) => slice.from.getTime() <= probe && probe < slice.to.getTime(),
        );
        for (const slice of partial) {
          expect(utcDay(slice.from)).toBe(utcDay(new Date(slice.to.getTime() - 1)));
          expect(slice.to.getTime() - slice.from.getTime()).toBeLessThan(DAY_MS);
        }
        expect(Number(inDays) + inPartial.length).toBe(from <= probe && probe < to ? 1 : 0);
      }),
    );
  });
});

describe("the trend period of a day", () => {
  it("is the day itself, the Monday of its week, or the first of its month (UTC)", () => {
    expect(periodOf("2026-10-18", "day")).toBe("2026-10-18");
    expect(periodOf("2026-10-18", "week")).toBe("2026-10-12"); // a Sunday belongs to the week of Monday 12th
    expect(periodOf("2026-10-12", "week")).toBe("2026-10-12");
    expect(periodOf("2026-01-01", "week")).toBe("2025-12-29");
    expect(periodOf("2026-10-18", "month")).toBe("2026-10-01");
  });
});
