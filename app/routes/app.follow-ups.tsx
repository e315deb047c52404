import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Tabs, Text, TextField } from "@shopify/polaris";
import { useNavigate } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { FOLLOW_UP_STATES, listFollowUps, updateFollowUp } from "~/services/follow-ups.server";
import { ServiceError } from "~/services/service-error";

const tabSchema = z.object({ status: z.enum([...FOLLOW_UP_STATES, "all"]).catch("open") });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { status } = tabSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { status, ...(await listFollowUps(db(), shopDomain, status)) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  try {
    await updateFollowUp(db(), shopDomain, Object.fromEntries(await request.formData()));
    return { errors: [] };
  } catch (error) {
    if (error instanceof ServiceError) return { errors: error.errors };
    throw error;
  }
};

const TABS = ["open", "contacted", "resolved", "all"] as const;
const NEXT: Record<string, { status: string; label: string }> = {
  open: { status: "contacted", label: "Mark contacted" },
  contacted: { status: "resolved", label: "Mark resolved" },
  resolved: { status: "open", label: "Reopen" },
};

export default function FollowUps() {
  const { status, items, counts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const tabs = TABS.map((tab) => ({
    id: tab,
    content: tab === "all" ? "All" : `${tab[0]?.toUpperCase()}${tab.slice(1)} (${counts[tab]})`,
  }));
  return (
    <Page title="Detractor follow-ups" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        {result?.errors.length ? (
          <Banner tone="critical">{result.errors.map((error) => error.message).join("; ")}</Banner>
        ) : null}
        <Tabs
          tabs={tabs}
          selected={TABS.indexOf(status)}
          onSelect={(index) => navigate(`?status=${TABS[index]}`)}
        />
        {items.length === 0 && (
          <Text as="p" tone="subdued">
            Nothing here.
          </Text>
        )}
        {items.map((item) => (
          <Card key={item.id}>
            <Form method="post">
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Score {item.response?.score ?? "?"} · order {item.response?.orderId ?? "?"} · {item.status}
                </Text>
                <Text as="p">{item.response?.comment ?? "No comment"}</Text>
                <input type="hidden" name="id" value={item.id} />
                <input type="hidden" name="status" value={NEXT[item.status]?.status ?? "open"} />
                <NoteField initial={item.note ?? ""} />
                <InlineStack gap="200">
                  <Button submit>{NEXT[item.status]?.label ?? "Update"}</Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        ))}
      </BlockStack>
    </Page>
  );
}

function NoteField({ initial }: { initial: string }) {
  const [note, setNote] = useState(initial);
  return (
    <TextField label="Note" name="note" value={note} onChange={setNote} autoComplete="off" multiline={2} />
  );
}
