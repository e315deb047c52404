import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { RecoveryReport } from "~/domain/follow-up-survey";

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)} %`);
const signed = (change: number | null) =>
  change === null ? "–" : `${change > 0 ? "+" : change < 0 ? "−" : ""}${Math.abs(change).toFixed(1)}`;

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        {detail}
      </Text>
    </BlockStack>
  );
}

/** Of resolved detractors who answered the follow-up survey, how many are now passive or promoter. */
export function RecoveredDetractorsCard({ report, enabled }: { report: RecoveryReport; enabled: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recovered detractors
        </Text>
        {report.asked === 0 ? (
          <Text as="p" tone="subdued">
            {enabled
              ? "No follow-up survey has been sent yet: one is created for each resolved follow-up after the days set in the survey settings."
              : "Turn on the follow-up survey in the survey settings to ask resolved detractors again."}
          </Text>
        ) : (
          <InlineGrid columns={3} gap="400">
            <Figure
              label="Now passive or promoter"
              value={report.answered === 0 ? "–" : String(report.recovered)}
              detail={`${percent(report.recoveredShare)} of ${report.answered} who answered (${report.promoters} promoters, ${report.passives} passives)`}
            />
            <Figure
              label="Average score change"
              value={signed(report.averageScoreChange)}
              detail="follow-up score minus the detractor score"
            />
            <Figure
              label="Answered the follow-up survey"
              value={String(report.answered)}
              detail={`of ${report.asked} asked (${percent(report.answerRate)})`}
            />
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}
