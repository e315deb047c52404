import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { RepeatRate } from "~/services/campaign-effect.server";

const percent = (value: { rate: number | null; repeaters: number; answers: number }) =>
  value.rate === null ? "–" : `${Math.round(value.rate * 100)} % (${value.repeaters} of ${value.answers})`;

/** Do promoters buy again more often than detractors? Repeat-purchase rate after answering, per category. */
export function RepeatPurchaseCard({ rates }: { rates: RepeatRate[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Bought again after answering
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text", "text"]}
          headings={["Within", "Promoters", "Passives", "Detractors"]}
          rows={rates.map((rate) => [
            `${rate.windowDays} days`,
            percent(rate.byCategory.promoter),
            percent(rate.byCategory.passive),
            percent(rate.byCategory.detractor),
          ])}
        />
        <Text as="p" tone="subdued" variant="bodySm">
          Only answers whose whole window has passed are counted; orders are those NPS Sync received.
        </Text>
      </BlockStack>
    </Card>
  );
}
