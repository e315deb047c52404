import type { Database } from "~/adapters/db/client.server";
import type { CategoryCounts, NpsSummary } from "~/domain/nps";
import { summarizeNps } from "~/domain/nps";

export interface DateRange {
  from: Date;
  to: Date;
}

export interface DashboardReport {
  range: { from: string; to: string };
  summary: NpsSummary;
  counts: CategoryCounts;
  invitations: number;
  responseRate: number | null;
}

/** NPS over confirmed answers in the range; counted in the database, never by loading rows. */
export async function dashboardReport(
  database: Database,
  shopDomain: string,
  range: DateRange,
): Promise<DashboardReport> {
  const createdAt = { gte: range.from, lt: range.to };
  const [groups, invitations] = await Promise.all([
    database.response.groupBy({
      by: ["category"],
      where: { shopDomain, status: "confirmed", createdAt },
      _count: { _all: true },
    }),
    database.invitation.count({ where: { shopDomain, status: { not: "suppressed" }, createdAt } }),
  ]);
  const countOf = (category: string) => groups.find((group) => group.category === category)?._count._all ?? 0;
  const counts: CategoryCounts = {
    promoters: countOf("promoter"),
    passives: countOf("passive"),
    detractors: countOf("detractor"),
  };
  const summary = summarizeNps(counts);
  return {
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    summary,
    counts,
    invitations,
    responseRate: invitations > 0 ? summary.responses / invitations : null,
  };
}
