import { BlockStack, Card, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { TrendPoint } from "~/services/reports.server";
import { ClientOnly } from "./ClientOnly";

export function NpsTrendCard({ points, bucket }: { points: TrendPoint[]; bucket: string }) {
  const data = [
    {
      name: "NPS",
      data: points.map((point) => ({
        key: point.period,
        value: point.nps === null ? null : Math.round(point.nps),
      })),
    },
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          NPS by {bucket}
        </Text>
        {points.length === 0 ? (
          <Text as="p" tone="subdued">
            No answers in this period.
          </Text>
        ) : (
          <div style={{ height: 260 }}>
            <ClientOnly>
              {() => (
                <PolarisVizProvider>
                  <LineChart data={data} theme="Light" isAnimated={false} />
                </PolarisVizProvider>
              )}
            </ClientOnly>
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
