import type { NpsSummary } from "~/domain/nps";
import type { ReportFilters } from "~/domain/report-filters";
import { csvCell } from "./export.server";
import type { DashboardReport } from "./reports.server";

// The dashboard as the merchant sees it, as CSV in long form (section, key, metric, value): one line per figure,
// so a spreadsheet can pivot it; the filters of the view come first so the file says what it shows.
type Row = [section: string, key: string, metric: string, value: string | number | boolean | null];

const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

function summaryRows(section: string, key: string, summary: NpsSummary): Row[] {
  return [
    [section, key, "responses", summary.responses],
    [section, key, "nps", round(summary.nps)],
    [section, key, "margin_of_error_95", round(summary.marginOfError95)],
    [section, key, "ci95_low", round(summary.confidenceInterval95?.low ?? null)],
    [section, key, "ci95_high", round(summary.confidenceInterval95?.high ?? null)],
  ];
}

export function dashboardReportRows(report: DashboardReport, days: number, filters: ReportFilters): Row[] {
  const { summary, counts, previous } = report;
  const share = (category: "promoter" | "passive" | "detractor") =>
    summary.shares ? round(summary.shares[category] * 100) : null;
  return [
    ["view", "", "from", report.range.from],
    ["view", "", "to", report.range.to],
    ["view", "", "days", days],
    ["view", "", "channel", filters.channel ?? "all"],
    ["view", "", "locale", filters.locale ?? "all"],
    ["view", "", "customer", filters.customer ?? "all"],
    ["view", "", "stage", filters.stage ?? "all"],
    ...summaryRows("summary", "", summary),
    ["summary", "", "promoters", counts.promoters],
    ["summary", "", "passives", counts.passives],
    ["summary", "", "detractors", counts.detractors],
    ["summary", "", "promoter_share_percent", share("promoter")],
    ["summary", "", "passive_share_percent", share("passive")],
    ["summary", "", "detractor_share_percent", share("detractor")],
    ["summary", "", "invitations", report.invitations],
    [
      "summary",
      "",
      "response_rate_percent",
      round(report.responseRate === null ? null : report.responseRate * 100),
    ],
    ["summary", "", "csat_average", round(report.csatAverage, 2)],
    ["summary", "", "ces_average", round(report.cesAverage, 2)],
    ...summaryRows("previous_period", "", previous.summary),
    ["previous_period", "", "nps_change", round(previous.comparison.difference)],
    ["previous_period", "", "p_value", round(previous.comparison.pValue, 4)],
    ["previous_period", "", "significant", previous.comparison.significant],
    ...report.trend.points.flatMap((point): Row[] => [
      [`trend_${report.trend.bucket}`, point.period, "responses", point.responses],
      [`trend_${report.trend.bucket}`, point.period, "nps", round(point.nps)],
      [`trend_${report.trend.bucket}`, point.period, "margin_of_error_95", round(point.marginOfError95)],
    ]),
    ...report.distribution.map(
      (responses, score): Row => ["distribution", String(score), "responses", responses],
    ),
    ...(report.stages
      ? [
          ...summaryRows("stage", "purchase", report.stages.purchase.summary),
          ...summaryRows("stage", "delivery", report.stages.delivery.summary),
          ["stage", "delivery_minus_purchase", "nps_change", round(report.stages.gap.difference)] as Row,
          ["stage", "delivery_minus_purchase", "significant", report.stages.gap.significant] as Row,
        ]
      : []),
  ];
}

export function dashboardReportCsv(report: DashboardReport, days: number, filters: ReportFilters): string {
  const lines = [["section", "key", "metric", "value"], ...dashboardReportRows(report, days, filters)];
  return `${lines.map((line) => line.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
