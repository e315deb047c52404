import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type TypedResponse } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { BulkRetagCard } from "~/components/BulkRetagCard";
import { CHECK_TAGS_INTENT, ReconciliationCard } from "~/components/ReconciliationCard";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import type { FieldError } from "~/domain/survey-answer";
import { ServiceError } from "~/services/service-error";
import { reconciliationSummary, requestReconciliation } from "~/services/sync/reconciliation.server";
import { latestRetag, startRetag } from "~/services/sync/retag.server";
import { retryAllDeadJobs, retryDeadJob, syncHealth } from "~/services/sync/sync-health.server";

const pageSchema = z.object({
  after: z.string().max(200).optional().catch(undefined),
  before: z.string().max(200).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const page = pageSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [health, reconciliation, retag] = await Promise.all([
    syncHealth(db(), shopDomain, page),
    reconciliationSummary(db(), shopDomain),
    latestRetag(db(), shopDomain),
  ]);
  return { ...health, reconciliation, retag };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry"), jobId: z.unknown() }),
  z.object({ intent: z.literal("retry-all") }),
  z.object({ intent: z.literal(CHECK_TAGS_INTENT) }),
]);

type ActionResult = {
  errors: FieldError[];
  retried: number;
  tagCheck?: "queued" | "already_queued";
  retag?: "started";
};

/** 202 when a re-tag run starts, 409 while one is already running. */
async function retagAction(shopDomain: string): Promise<TypedResponse<ActionResult>> {
  try {
    await startRetag(db(), shopDomain, { trigger: "manual" });
    return json({ errors: [], retried: 0, retag: "started" }, { status: 202 });
  } catch (error) {
    if (error instanceof ServiceError)
      return json({ errors: error.errors, retried: 0 }, { status: error.status });
    throw error;
  }
}

export const action = async ({
  request,
}: ActionFunctionArgs): Promise<ActionResult | TypedResponse<ActionResult>> => {
  const { shopDomain } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") === "retag") return retagAction(shopDomain);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return {
      errors: [{ field: "intent", message: "intent must be retry, retry-all or check-tags" }],
      retried: 0,
    };
  }
  try {
    if (parsed.data.intent === CHECK_TAGS_INTENT) {
      const { queued } = await requestReconciliation(db(), shopDomain, "manual");
      return { errors: [], retried: 0, tagCheck: queued ? "queued" : "already_queued" };
    }
    if (parsed.data.intent === "retry-all") {
      return { errors: [], retried: await retryAllDeadJobs(db(), shopDomain) };
    }
    await retryDeadJob(db(), shopDomain, parsed.data.jobId);
    return { errors: [], retried: 1 };
  } catch (error) {
    // 404 for a job of another shop, exactly as for one that does not exist.
    if (error instanceof ServiceError)
      return json({ errors: error.errors, retried: 0 }, { status: error.status });
    throw error;
  }
};

const KIND_LABELS: Record<string, string> = {
  customer_category: "Customer tags and metafields",
  ensure_setup: "Segments and metafield definitions",
  reconcile_tags: "Tag check",
  update_segments: "Segment queries after a tag rename",
  order_survey_link: "Order survey link",
  bulk_retag: "Re-tag all customers (bulk)",
};

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** The same text on the server and in the browser, whatever their time zones. */
function formatTime(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const ALL_CLEAR_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120"><circle cx="60" cy="60" r="52" fill="#e3f1df"/><path d="M38 62l15 15 30-34" fill="none" stroke="#008060" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/></svg>',
)}`;

export default function SyncHealthPage() {
  const { counts, oldestPendingAgeMs, dead, reconciliation, retag } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData : undefined;
  const retryingAll = submitting?.get("intent") === "retry-all";
  const retryingJob = submitting?.get("intent") === "retry" ? submitting.get("jobId") : null;

  const summary = [
    { label: "Waiting", value: counts.pending },
    { label: "Running", value: counts.running },
    { label: "Done", value: counts.done },
    { label: "Failed", value: counts.dead },
  ];

  return (
    <Page
      title="Sync health"
      subtitle="Tags, metafields and segments the app writes to Shopify"
      backAction={{ url: "/app" }}
    >
      <BlockStack gap="400">
        {result?.errors.length ? (
          <Banner tone="critical">{result.errors.map((error) => error.message).join("; ")}</Banner>
        ) : null}
        {result && result.errors.length === 0 && !result.tagCheck && !result.retag ? (
          <Banner tone="success">
            {result.retried === 1 ? "1 sync job queued again." : `${result.retried} sync jobs queued again.`}
          </Banner>
        ) : null}

        <Card>
          <BlockStack gap="300">
            <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
              {summary.map((item) => (
                <BlockStack gap="100" key={item.label}>
                  <Text as="p" tone="subdued">
                    {item.label}
                  </Text>
                  <Text
                    as="p"
                    variant="headingLg"
                    tone={item.label === "Failed" && item.value > 0 ? "critical" : undefined}
                  >
                    {item.value}
                  </Text>
                </BlockStack>
              ))}
            </InlineGrid>
            <Text as="p" tone="subdued">
              {oldestPendingAgeMs === null
                ? "Nothing is waiting to be synced."
                : `The oldest waiting job was queued ${formatAge(oldestPendingAgeMs)} ago.`}
            </Text>
          </BlockStack>
        </Card>

        <ReconciliationCard {...reconciliation} outcome={result?.tagCheck} />

        <BulkRetagCard run={retag} submitting={submitting?.get("intent") === "retag"} />

        {counts.dead === 0 && dead.items.length === 0 ? (
          <Card>
            <EmptyState heading="No failed sync jobs" image={ALL_CLEAR_IMAGE}>
              <p>Every sync job has finished or is still on its way to Shopify.</p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <BlockStack>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <div style={{ padding: "var(--p-space-400)" }}>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      Failed sync jobs
                    </Text>
                    <Text as="p" tone="subdued">
                      These jobs gave up. Fix what the error names in Shopify, then retry.
                    </Text>
                  </BlockStack>
                </div>
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry-all" />
                    <Button submit loading={retryingAll} disabled={counts.dead === 0}>
                      Retry all
                    </Button>
                  </Form>
                </div>
              </InlineStack>
              <IndexTable
                resourceName={{ singular: "failed sync job", plural: "failed sync jobs" }}
                itemCount={dead.items.length}
                selectable={false}
                headings={[
                  { title: "Job" },
                  { title: "Customer" },
                  { title: "Attempts", alignment: "end" },
                  { title: "Error" },
                  { title: "Failed at" },
                  { title: "Action", hidden: true },
                ]}
                pagination={{
                  hasPrevious: dead.previousCursor !== null,
                  previousURL: dead.previousCursor
                    ? `?before=${encodeURIComponent(dead.previousCursor)}`
                    : "",
                  hasNext: dead.nextCursor !== null,
                  nextURL: dead.nextCursor ? `?after=${encodeURIComponent(dead.nextCursor)}` : "",
                }}
              >
                {dead.items.map((job, index) => (
                  <IndexTable.Row id={job.id} key={job.id} position={index}>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {KIND_LABELS[job.kind] ?? job.kind}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{job.customerId ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {job.attempts}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {/* The error comes from Shopify or the job runner: rendered as text, never as HTML. */}
                      <div style={{ whiteSpace: "normal", maxWidth: "36rem", overflowWrap: "anywhere" }}>
                        <Text as="span" tone="critical">
                          {job.lastError ?? "No error was recorded."}
                        </Text>
                      </div>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{formatTime(job.updatedAt)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="jobId" value={job.id} />
                        <Button submit size="slim" loading={retryingJob === job.id}>
                          Retry
                        </Button>
                      </Form>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </BlockStack>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}
