import { Form, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  List,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect } from "react";
import type { RetagRunView } from "~/services/sync/retag.server";

/** The run as the loader's JSON delivers it: dates as ISO strings. */
export type RetagRunData = Omit<RetagRunView, "startedAt" | "finishedAt"> & {
  startedAt: string | Date;
  finishedAt: string | Date | null;
};

const REFRESH_MS = 5000;

/** The same text on the server and in the browser, whatever their time zones. */
function formatTime(value: string | Date): string {
  return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function statusBadge(run: RetagRunData) {
  if (run.status === "running" && run.interrupted) return <Badge tone="critical">Stopped</Badge>;
  if (run.status === "running") {
    return <Badge tone="info">{run.stage === "preparing" ? "Preparing" : "Running"}</Badge>;
  }
  if (run.status === "failed") return <Badge tone="critical">Failed</Badge>;
  return <Badge tone={run.lineErrors > 0 ? "warning" : "success"}>Completed</Badge>;
}

/**
 * "Re-tag all customers": writes every answered customer's NPS tag and nps metafields again through Shopify's
 * bulk operations — on demand, and by itself after the tag names change in the settings.
 */
export function BulkRetagCard({ run, submitting }: { run: RetagRunData | null; submitting: boolean }) {
  const revalidator = useRevalidator();
  const running = run?.status === "running" && !run.interrupted;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  const percent = run && run.totalLines > 0 ? Math.min(100, (run.processedLines / run.totalLines) * 100) : 0;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                Re-tag all customers
              </Text>
              {run ? statusBadge(run) : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              Writes every answered customer's NPS tag and metafields again through Shopify's bulk operations.
              It runs by itself when the tag names change; the customers' other tags are kept.
            </Text>
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value="retag" />
            <Button submit loading={submitting} disabled={running}>
              {run?.status === "failed" || run?.interrupted ? "Retry re-tag" : "Re-tag all customers"}
            </Button>
          </Form>
        </InlineStack>

        {run ? (
          <BlockStack gap="200">
            <ProgressBar
              progress={percent}
              size="small"
              tone={run.status === "failed" || run.interrupted ? "critical" : "primary"}
            />
            <Text as="p">
              {run.stage === "preparing"
                ? "Counting the customers to write…"
                : `${run.processedLines.toLocaleString("en-US")} of ${run.totalLines.toLocaleString("en-US")} writes done (${run.customers.toLocaleString("en-US")} customers, three writes each)`}
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              {`Started ${formatTime(run.startedAt)}${run.trigger === "settings" ? " after the tag names changed" : ""}`}
              {run.finishedAt ? ` · finished ${formatTime(run.finishedAt)}` : ""}
            </Text>
            {run.lastError ? (
              // Errors come from Shopify or the runner: rendered as text, never as HTML.
              <Banner tone={run.status === "running" && !run.interrupted ? "warning" : "critical"}>
                {run.lastError}
              </Banner>
            ) : null}
            {run.lineErrors > 0 ? (
              <Banner
                tone="warning"
                title={`Shopify refused ${run.lineErrors.toLocaleString("en-US")} writes`}
              >
                <List type="bullet">
                  {run.errorSample.map((line) => (
                    <List.Item key={line}>{line}</List.Item>
                  ))}
                </List>
              </Banner>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No re-tag has run yet.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
