import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import type { NpsSummary } from "~/domain/nps";
import { segmentReport } from "~/services/segments.server";
import { rangeForDays, reportFiltersFromUrl } from "~/domain/report-filters";

const RANGE_CHOICES = [30, 90, 365] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { days } = reportFiltersFromUrl(new URL(request.url));
  const report = await segmentReport(db(), shopDomain, rangeForDays(days));
  return { report, days };
};

type Report = ReturnType<typeof useLoaderData<typeof loader>>["report"];
type Dimension = Report["dimensions"][number];
type DriverRow = Report["drivers"][number];

function signed(value: number): string {
  const rounded = Math.round(value);
  if (rounded === 0) return "0";
  return rounded > 0 ? `+${rounded}` : `−${Math.abs(rounded)}`;
}

function npsCell(summary: Pick<NpsSummary, "nps" | "marginOfError95">): string {
  if (summary.nps === null) return "–";
  const nps = Math.round(summary.nps);
  const score = nps < 0 ? `−${Math.abs(nps)}` : String(nps);
  return summary.marginOfError95 === null ? score : `${score} ± ${Math.round(summary.marginOfError95)}`;
}

function SegmentCard({ dimension }: { dimension: Dimension }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {dimension.title}
        </Text>
        {dimension.note && (
          <Text as="p" tone="subdued" variant="bodySm">
            {dimension.note}
          </Text>
        )}
        {dimension.rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No answers in this range.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Segment", "Responses", "NPS (95 %)"]}
            rows={dimension.rows.map((row) => [row.label, row.summary.responses, npsCell(row.summary)])}
            increasedTableDensity
          />
        )}
      </BlockStack>
    </Card>
  );
}

function DriverStatus({ driver }: { driver: DriverRow }) {
  if (!driver.enoughAnswers) return <Badge tone="attention">not enough answers</Badge>;
  if (!driver.significant) return <Badge>not significant</Badge>;
  return (
    <Badge tone={(driver.difference ?? 0) >= 0 ? "success" : "critical"}>
      {(driver.difference ?? 0) >= 0 ? "lifts NPS" : "lowers NPS"}
    </Badge>
  );
}

function DriversCard({ drivers, minimum }: { drivers: DriverRow[]; minimum: number }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Key drivers
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          NPS of the answers with each fact minus NPS of those without it, with its 95 % confidence interval.
          Significant drivers come first, largest impact first; a group needs {minimum} answers to be
          compared.
        </Text>
        {drivers.length === 0 ? (
          <Text as="p" tone="subdued">
            No answers to compare in this range.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
            headings={["Driver", "Difference", "95 % interval", "Answers (with / without)", ""]}
            rows={drivers.map((driver) => {
              const shown = driver.enoughAnswers && driver.difference !== null;
              const interval = driver.confidenceInterval95;
              return [
                <BlockStack gap="050" key={driver.key}>
                  <Text as="span" fontWeight="semibold">
                    {driver.label}
                  </Text>
                  <Text as="span" tone="subdued" variant="bodySm">
                    vs. {driver.comparedWith}
                  </Text>
                </BlockStack>,
                shown && driver.difference !== null ? `${signed(driver.difference)} NPS` : "–",
                shown && interval ? `${signed(interval.low)} to ${signed(interval.high)}` : "–",
                `${driver.with.summary.responses} / ${driver.without.summary.responses}`,
                <DriverStatus driver={driver} key={`${driver.key}-status`} />,
              ];
            })}
            increasedTableDensity
          />
        )}
      </BlockStack>
    </Card>
  );
}

export default function Segments() {
  const { report, days } = useLoaderData<typeof loader>();
  const empty = report.total.summary.responses === 0;
  return (
    <Page
      title="Segments and drivers"
      subtitle={
        empty
          ? `Last ${days} days`
          : `Last ${days} days · NPS ${npsCell(report.total.summary)} from ${report.total.summary.responses} responses`
      }
      backAction={{ content: "Dashboard", url: "/app" }}
      primaryAction={
        <ButtonGroup variant="segmented">
          {RANGE_CHOICES.map((choice) => (
            <Button key={choice} url={`/app/segments?days=${choice}`} pressed={choice === days}>
              {`${choice} days`}
            </Button>
          ))}
        </ButtonGroup>
      }
    >
      <Layout>
        {empty ? (
          <Layout.Section>
            <Card>
              <Text as="p">No confirmed answers in the last {days} days yet.</Text>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <DriversCard drivers={report.drivers} minimum={report.minimumGroupSize} />
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                {report.dimensions.map((dimension) => (
                  <SegmentCard dimension={dimension} key={dimension.key} />
                ))}
              </InlineGrid>
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <InlineStack align="end">
            <Text as="p" tone="subdued" variant="bodySm">
              Only confirmed answers count. Segments use each answer's snapshot of its order.
            </Text>
          </InlineStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
