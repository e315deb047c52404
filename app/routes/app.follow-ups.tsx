import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Tabs, Text, TextField } from "@shopify/polaris";
import { useNavigate } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { RecoveredDetractorsCard } from "~/components/RecoveredDetractorsCard";
import { env } from "~/env.server";
import { recoveredDetractors } from "~/services/follow-up-surveys.server";
import { FOLLOW_UP_STATES, listFollowUps, updateFollowUp } from "~/services/follow-ups.server";
import { currentSurvey } from "~/services/shops.server";
import { ServiceError } from "~/services/service-error";

const tabSchema = z.object({
  status: z.enum([...FOLLOW_UP_STATES, "all"]).catch("open"),
  // One follow-up, as linked from a detractor alert mail.
  id: z.string().min(1).max(100).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const { status, id } = tabSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, recovery, survey] = await Promise.all([
    listFollowUps(db(), shopDomain, status, { id, surveyLinkSecret: env().SHOPIFY_API_SECRET }),
    recoveredDetractors(db(), shopDomain),
    currentSurvey(db(), shopDomain),
  ]);
  return {
    status,
    id: id ?? null,
    ...list,
    recovery,
    followUpSurveyEnabled: survey.settings.followUpSurvey.enabled,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  try {
    await updateFollowUp(db(), shopDomain, Object.fromEntries(await request.formData()));
    return { errors: [] };
  } catch (error) {
    // 404 for a follow-up of another shop, exactly as for one that does not exist.
    if (error instanceof ServiceError) return data({ errors: error.errors }, { status: error.status });
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
  const { status, id, items, counts, recovery, followUpSurveyEnabled } = useLoaderData<typeof loader>();
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
        <RecoveredDetractorsCard report={recovery} enabled={followUpSurveyEnabled} />
        <Tabs
          tabs={tabs}
          selected={TABS.indexOf(status)}
          onSelect={(index) => navigate(`?status=${TABS[index]}`)}
        />
        {id && (
          <Banner tone="info" action={{ content: "Show all", url: `?status=${status}` }}>
            Showing one follow-up.
          </Banner>
        )}
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
                {item.survey && <FollowUpSurveyLine survey={item.survey} />}
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

type SurveyLine = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["items"][number]["survey"]>;

// NPS Sync keeps no customer email addresses, so the merchant sends the follow-up survey's link themselves.
function FollowUpSurveyLine({ survey }: { survey: SurveyLine }) {
  if (survey.score !== null) {
    return (
      <Text as="p" tone="subdued">
        Follow-up survey answered: {survey.score} ({survey.category})
      </Text>
    );
  }
  if (!survey.link) {
    return (
      <Text as="p" tone="subdued">
        Follow-up survey {survey.status}
      </Text>
    );
  }
  return (
    <TextField
      label="Follow-up survey link (send it to the customer)"
      value={survey.link}
      readOnly
      autoComplete="off"
      helpText={`Open until ${new Date(survey.expiresAt).toLocaleDateString()}.`}
    />
  );
}

function NoteField({ initial }: { initial: string }) {
  const [note, setNote] = useState(initial);
  return (
    <TextField label="Note" name="note" value={note} onChange={setNote} autoComplete="off" multiline={2} />
  );
}
