import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { NpsComparison, NpsSummary } from "~/domain/nps";
import { formatNps } from "./NpsSummaryCard";

interface Stage {
  summary: NpsSummary;
}

/** A two-stage survey's buying experience (asked at purchase) beside its product experience (after delivery). */
export function StageComparisonCard({
  purchase,
  delivery,
  gap,
}: {
  purchase: Stage;
  delivery: Stage;
  gap: NpsComparison;
}) {
  const difference = gap.difference === null ? null : Math.round(gap.difference);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Buying experience and product experience
        </Text>
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              At purchase
            </Text>
            <Text as="p">{formatNps(purchase.summary)}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              After delivery
            </Text>
            <Text as="p">{formatNps(delivery.summary)}</Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Gap
            </Text>
            {difference === null ? (
              <Text as="p">Not enough answers in both stages.</Text>
            ) : (
              <InlineStack gap="200" blockAlign="center">
                <Text as="p" variant="headingLg">
                  {difference > 0 ? `+${difference}` : difference}
                </Text>
                <Badge tone={gap.significant ? (difference >= 0 ? "success" : "critical") : undefined}>
                  {gap.significant ? "significant" : "within noise"}
                </Badge>
              </InlineStack>
            )}
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
