import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { rangeForDays, reportFiltersFromUrl } from "~/domain/report-filters";
import { dashboardReportCsv } from "~/services/report-export.server";
import { dashboardReport } from "~/services/reports.server";

// GET /app/report.csv?days=…&channel=… — the dashboard's figures for the same view, as CSV.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { days, ...filters } = reportFiltersFromUrl(new URL(request.url));
  const range = rangeForDays(days);
  const report = await dashboardReport(db(), shopDomain, range, filters);
  return new Response(dashboardReportCsv(report, days, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="nps-report-${range.to.toISOString().slice(0, 10)}-${days}d.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
