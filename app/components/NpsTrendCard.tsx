import { BlockStack, Card, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { NpsBenchmark } from "~/domain/nps-benchmarks";
import type { TrendPoint } from "~/services/reports.server";
import { ClientOnly } from "./ClientOnly";

export function NpsTrendCard({
  points,
  bucket,
  benchmark,
}: {
  points: TrendPoint[];
  bucket: string;
  benchmark: NpsBenchmark | null;
}) {
  const data = [
    {
      name: "NPS",
      data: points.map((point) => ({
        key: point.period,
        value: point.nps === null ? null : Math.round(point.nps),
      })),
    },
    ...(benchmark
      ? [
          {
            name: `${benchmark.label} benchmark`,
            isComparison: true,
            data: points.map((point) => ({ key: point.period, value: benchmark.nps })),
          },
        ]
      : []),
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
        {benchmark && (
          <Text as="p" tone="subdued" variant="bodySm">
            Benchmark: {benchmark.label} NPS {benchmark.nps}, from{" "}
            <a href={benchmark.url} target="_blank" rel="noreferrer">
              {benchmark.source}
            </a>
            .
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
