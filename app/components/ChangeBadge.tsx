import { Badge, InlineStack, Text } from "@shopify/polaris";
import type { NpsComparison } from "~/domain/nps";

/** A difference of NPS points with whether it is statistically significant (two-sided, 95 %). */
export function ChangeBadge({
  comparison,
  notEnough = "Not enough answers to compare.",
}: {
  comparison: Pick<NpsComparison, "difference" | "significant">;
  notEnough?: string;
}) {
  if (comparison.difference === null) return <Text as="p">{notEnough}</Text>;
  const change = Math.round(comparison.difference);
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="p" variant="headingLg">
        {change > 0 ? `+${change}` : change}
      </Text>
      <Badge tone={comparison.significant ? (change >= 0 ? "success" : "critical") : undefined}>
        {comparison.significant ? "significant" : "within noise"}
      </Badge>
    </InlineStack>
  );
}
