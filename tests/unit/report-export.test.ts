import { describe, expect, it } from "vitest";
import { compareNps, summarizeNps } from "~/domain/nps";
import { dashboardReportCsv, dashboardReportRows } from "~/services/report-export.server";
import type { DashboardReport } from "~/services/reports.server";

// 6 promoters, 2 passives, 2 detractors: NPS 40; the previous period 1/1/2: NPS −25.
const counts = { promoters: 6, passives: 2, detractors: 2 };
const previousCounts = { promoters: 1, passives: 1, detractors: 2 };
const summary = summarizeNps(counts);
const report: DashboardReport = {
  range: { from: "2026-10-27T00:00:00.000Z", to: "2026-11-26T00:00:00.000Z" },
  summary,
  counts,
  invitations: 40,
  responseRate: 10 / 40,
  previous: { summary: summarizeNps(previousCounts), comparison: compareNps(counts, previousCounts) },
  trend: {
    bucket: "day",
    points: [{ period: "2026-11-25", responses: 10, nps: 40, marginOfError95: summary.marginOfError95 }],
  },
  distribution: [1, 0, 0, 0, 0, 0, 1, 1, 1, 3, 3],
  csatAverage: 4.25,
  cesAverage: null,
  stages: null,
};

describe("the dashboard report as CSV", () => {
  it("states the view, then every figure of the dashboard, one per line", () => {
    const rows = dashboardReportRows(report, 30, { channel: "thank_you" });
    const value = (section: string, key: string, metric: string) =>
      rows.find((row) => row[0] === section && row[1] === key && row[2] === metric)?.[3];
    expect(value("view", "", "channel")).toBe("thank_you");
    expect(value("view", "", "locale")).toBe("all");
    expect(value("summary", "", "nps")).toBe(40);
    expect(value("summary", "", "responses")).toBe(10);
    expect(value("summary", "", "promoter_share_percent")).toBe(60);
    expect(value("summary", "", "response_rate_percent")).toBe(25);
    expect(value("summary", "", "ces_average")).toBeNull();
    expect(value("previous_period", "", "nps")).toBe(-25);
    expect(value("previous_period", "", "nps_change")).toBe(65);
    expect(value("trend_day", "2026-11-25", "responses")).toBe(10);
    expect(value("distribution", "9", "responses")).toBe(3);
    expect(rows.filter((row) => row[0] === "distribution")).toHaveLength(11);
    expect(rows.some((row) => row[0] === "stage")).toBe(false);
  });

  it("writes RFC 4180 lines with a header, and an empty cell for a figure that does not exist", () => {
    const csv = dashboardReportCsv(report, 30, {});
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("section,key,metric,value");
    expect(lines).toContain("summary,,nps,40");
    expect(lines).toContain("summary,,ces_average,");
    expect(lines).toContain("previous_period,,significant,false");
    expect(csv.endsWith("\r\n")).toBe(true);
  });
});
