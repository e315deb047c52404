import { BlockStack, Card, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { ClientOnly } from "./ClientOnly";

export function ScoreDistributionCard({ distribution }: { distribution: number[] }) {
  const data = [
    { name: "Responses", data: distribution.map((value, score) => ({ key: String(score), value })) },
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Score distribution
        </Text>
        <div style={{ height: 220 }}>
          <ClientOnly>
            {() => (
              <PolarisVizProvider>
                <BarChart data={data} theme="Light" isAnimated={false} />
              </PolarisVizProvider>
            )}
          </ClientOnly>
        </div>
      </BlockStack>
    </Card>
  );
}
