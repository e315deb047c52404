import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { NpsComparison, NpsSummary } from "~/domain/nps";
import { ChangeBadge } from "./ChangeBadge";
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
            <ChangeBadge comparison={gap} notEnough="Not enough answers in both stages." />
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
