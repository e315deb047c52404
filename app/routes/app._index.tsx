import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useRouteLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { ChangeBadge } from "~/components/ChangeBadge";
import { DashboardFilters } from "~/components/DashboardFilters";
import { followUpsLabel } from "~/components/follow-ups-label";
import { NpsSummaryCard } from "~/components/NpsSummaryCard";
import { NpsTrendCard } from "~/components/NpsTrendCard";
import { RepeatPurchaseCard } from "~/components/RepeatPurchaseCard";
import { ScoreDistributionCard } from "~/components/ScoreDistributionCard";
import { StageComparisonCard } from "~/components/StageComparisonCard";
import { unconfirmedAnswerCounts } from "~/services/maintenance.server";
import { benchmarkById } from "~/domain/nps-benchmarks";
import { rangeForDays, reportFiltersFromUrl } from "~/domain/report-filters";
import { repeatPurchaseRates } from "~/services/campaign-effect.server";
import { dashboardReport } from "~/services/reports.server";
import { currentSurvey } from "~/services/shops.server";
import type { loader as appLayoutLoader } from "./app";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { days, ...filters } = reportFiltersFromUrl(new URL(request.url));
  const range = rangeForDays(days);
  const [report, unconfirmed, survey, repeatRates] = await Promise.all([
    dashboardReport(db(), shopDomain, range, filters),
    unconfirmedAnswerCounts(db(), shopDomain),
    currentSurvey(db(), shopDomain),
    // the windows reach back before short periods: at least the last year of answers is watched
    repeatPurchaseRates(db(), shopDomain, rangeForDays(Math.max(days, 365), range.to)),
  ]);
  return {
    report,
    days,
    filters,
    unconfirmed,
    repeatRates,
    benchmark: benchmarkById(survey.settings.benchmark),
  };
};

export default function Dashboard() {
  const { report, days, filters, unconfirmed, repeatRates, benchmark } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  // Counted once by the layout (app.tsx), which also labels the admin's navigation with it.
  const openFollowUps = useRouteLoaderData<typeof appLayoutLoader>("routes/app")?.openFollowUps ?? 0;
  return (
    <Page
      title="NPS Sync"
      subtitle={`Last ${days} days`}
      titleMetadata={
        openFollowUps > 0 ? (
          <Badge tone="attention">{`${openFollowUps} open follow-up${openFollowUps === 1 ? "" : "s"}`}</Badge>
        ) : undefined
      }
      secondaryActions={[
        { content: "Comments", url: "/app/comments" },
        { content: "Segments and drivers", url: "/app/segments" },
        { content: followUpsLabel(openFollowUps), url: "/app/follow-ups" },
        { content: "Settings", url: "/app/settings" },
        { content: "Export answers (CSV)", url: "/app/export.csv", target: "_blank" },
        { content: "This report (CSV)", url: `/app/report.csv${search}`, target: "_blank" },
      ]}
    >
      <Layout>
        <Layout.Section>
          <DashboardFilters days={days} filters={filters} />
        </Layout.Section>
        <Layout.Section>
          <NpsSummaryCard summary={report.summary} counts={report.counts} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Response rate
              </Text>
              <InlineGrid columns={2}>
                <Text as="p" variant="headingXl">
                  {report.responseRate === null ? "–" : `${Math.round(report.responseRate * 100)} %`}
                </Text>
                <Text as="p" tone="subdued">
                  {report.responseRate === null && report.invitations > 0
                    ? "Not known for a channel, language or customer filter: unanswered invitations have none."
                    : `${report.summary.responses} of ${report.invitations} invitations answered`}
                </Text>
              </InlineGrid>
              {unconfirmed.waitingForOrder + unconfirmed.expired > 0 && (
                <Text as="p" tone="subdued" variant="bodySm">
                  Not counted: {unconfirmed.waitingForOrder} answers waiting for their order,{" "}
                  {unconfirmed.expired} never confirmed.
                </Text>
              )}
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Against the previous {days} days
              </Text>
              <ChangeBadge comparison={report.previous.comparison} />
            </BlockStack>
          </Card>
        </Layout.Section>
        {report.stages && (
          <Layout.Section>
            <StageComparisonCard {...report.stages} />
          </Layout.Section>
        )}
        <Layout.Section>
          <NpsTrendCard points={report.trend.points} bucket={report.trend.bucket} benchmark={benchmark} />
        </Layout.Section>
        <Layout.Section>
          <ScoreDistributionCard distribution={report.distribution} />
        </Layout.Section>
        <Layout.Section>
          <RepeatPurchaseCard rates={repeatRates} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
