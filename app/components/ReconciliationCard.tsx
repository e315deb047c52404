import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";

// What the last tag check found, and a button to check now. Dates arrive serialized from the loader.
type When = Date | string;

export interface ReconciliationRunView {
  status: string;
  checked: number;
  drifted: number;
  repaired: number;
  gone: number;
  error: string | null;
  createdAt: When;
  startedAt: When | null;
  finishedAt: When | null;
}

export const CHECK_TAGS_INTENT = "check-tags";

/** The same text on the server and in the browser, whatever their time zones. */
function formatTime(value: When): string {
  return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function Counts({ run }: { run: ReconciliationRunView }) {
  const counts = [
    { label: "Customers checked", value: run.checked },
    { label: "Tags drifted", value: run.drifted },
    { label: "Repairs queued", value: run.repaired },
    { label: "Gone from Shopify", value: run.gone },
  ];
  return (
    <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
      {counts.map((item) => (
        <BlockStack gap="100" key={item.label}>
          <Text as="p" tone="subdued">
            {item.label}
          </Text>
          <Text as="p" variant="headingLg">
            {item.value}
          </Text>
        </BlockStack>
      ))}
    </InlineGrid>
  );
}

function describeRun(run: ReconciliationRunView): string {
  if (run.status === "pending") return `Queued at ${formatTime(run.createdAt)}.`;
  if (run.status === "running") return `Checking since ${formatTime(run.startedAt ?? run.createdAt)}…`;
  const when = formatTime(run.finishedAt ?? run.createdAt);
  if (run.status === "failed") return `The check of ${when} stopped before it finished.`;
  if (run.drifted === 0) return `Checked ${when}: every customer's NPS tag was in place.`;
  return `Checked ${when}: ${run.drifted} customers' NPS tags had drifted; their tags are being written again.`;
}

export function ReconciliationCard({
  latest,
  lastFinished,
  outcome,
}: {
  latest: ReconciliationRunView | null;
  lastFinished: ReconciliationRunView | null;
  /** The answer to the last "Check tags now". */
  outcome?: "queued" | "already_queued";
}) {
  const navigation = useNavigation();
  const checking =
    navigation.state === "submitting" && navigation.formData?.get("intent") === CHECK_TAGS_INTENT;
  const underWay = latest !== null && (latest.status === "pending" || latest.status === "running");
  const shown = underWay ? lastFinished : latest;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Tag check
            </Text>
            <Text as="p" tone="subdued">
              Once a day NPS Sync compares the NPS tags in Shopify with its answers and writes back the ones
              that were removed or changed by hand. Your own tags are left alone.
            </Text>
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value={CHECK_TAGS_INTENT} />
            <Button submit loading={checking} disabled={underWay}>
              Check tags now
            </Button>
          </Form>
        </InlineStack>
        {outcome === "already_queued" ? <Banner tone="info">A tag check is already under way.</Banner> : null}
        {underWay && latest ? (
          <Text as="p" fontWeight="semibold">
            {describeRun(latest)}
          </Text>
        ) : null}
        {shown ? (
          <BlockStack gap="200">
            <Counts run={shown} />
            <Text as="p" tone={shown.status === "failed" ? "critical" : "subdued"}>
              {describeRun(shown)}
            </Text>
            {shown.status === "failed" && shown.error ? (
              // Text, never HTML: the error comes from Shopify or the job runner.
              <Text as="p" tone="critical" variant="bodySm">
                {shown.error}
              </Text>
            ) : null}
          </BlockStack>
        ) : underWay ? null : (
          <Text as="p" tone="subdued">
            No tag check has run yet.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
