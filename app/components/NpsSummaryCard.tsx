import { BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { CategoryCounts, NpsSummary } from "~/domain/nps";

export function formatNps(summary: NpsSummary): string {
  if (summary.nps === null) return "No responses yet";
  const margin = summary.marginOfError95 === null ? "" : ` ± ${Math.round(summary.marginOfError95)}`;
  const noun = summary.responses === 1 ? "response" : "responses";
  return `NPS ${Math.round(summary.nps)}${margin}, ${summary.responses} ${noun}`;
}

function percent(share: number | undefined): string {
  return share === undefined ? "–" : `${Math.round(share * 100)} %`;
}

export function NpsSummaryCard({ summary, counts }: { summary: NpsSummary; counts: CategoryCounts }) {
  const rows = [
    { label: "Promoters (9–10)", count: counts.promoters, share: summary.shares?.promoter, tone: "success" },
    { label: "Passives (7–8)", count: counts.passives, share: summary.shares?.passive, tone: "primary" },
    {
      label: "Detractors (0–6)",
      count: counts.detractors,
      share: summary.shares?.detractor,
      tone: "critical",
    },
  ] as const;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingLg" id="nps-headline">
          {formatNps(summary)}
        </Text>
        {summary.confidenceInterval95 && (
          <Text as="p" tone="subdued">
            95 % confidence interval: {Math.round(summary.confidenceInterval95.low)} to{" "}
            {Math.round(summary.confidenceInterval95.high)}
          </Text>
        )}
        {rows.map((row) => (
          <BlockStack gap="100" key={row.label}>
            <InlineStack align="space-between">
              <Text as="span">{row.label}</Text>
              <Text as="span">
                {row.count} · {percent(row.share)}
              </Text>
            </InlineStack>
            <ProgressBar progress={(row.share ?? 0) * 100} tone={row.tone} size="small" animated={false} />
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
