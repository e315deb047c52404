import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { NpsSummaryCard } from "~/components/NpsSummaryCard";
import { dashboardReport } from "~/services/reports.server";

const DAY = 24 * 60 * 60 * 1000;
const rangeSchema = z.object({ days: z.coerce.number().int().min(1).max(730).catch(90) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { days } = rangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const to = new Date();
  const report = await dashboardReport(db(), shopDomain, { from: new Date(to.getTime() - days * DAY), to });
  return { report, days };
};

export default function Dashboard() {
  const { report, days } = useLoaderData<typeof loader>();
  return (
    <Page title="NPS Sync" subtitle={`Last ${days} days`}>
      <Layout>
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
                  {report.summary.responses} of {report.invitations} invitations answered
                </Text>
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
