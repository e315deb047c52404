import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { SurveyPreview } from "~/components/SurveyPreview";
import { TranslationFields } from "~/components/TranslationFields";
import { NPS_BENCHMARKS } from "~/domain/nps-benchmarks";
import type { SurveySettings } from "~/domain/survey-settings";
import { type BuiltInLocale, localizeSurvey } from "~/domain/survey-text";
import { ServiceError } from "~/services/service-error";
import { currentSurvey } from "~/services/shops.server";
import { saveSurveySettings } from "~/services/survey-settings.server";
import { settingsFromForm } from "~/components/settings-form";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const survey = await currentSurvey(db(), shopDomain);
  const shop = await db().shop.findUnique({ where: { shopDomain } });
  return { ...survey, shopName: shop?.name ?? shopDomain };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const current = await currentSurvey(db(), shopDomain);
  try {
    const saved = await saveSurveySettings(
      db(),
      shopDomain,
      settingsFromForm(await request.formData(), current.settings),
    );
    return { ok: true as const, version: saved.version, changed: saved.changed, errors: [] };
  } catch (error) {
    if (error instanceof ServiceError)
      return { ok: false as const, version: current.version, changed: false, errors: error.errors };
    throw error;
  }
};

function fieldError(errors: { field: string; message: string }[] | undefined, field: string) {
  return errors?.find((error) => error.field === field)?.message;
}

export default function SurveySettingsPage() {
  const { settings, version, shopName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [draft, setDraft] = useState<SurveySettings>(settings);
  const [previewLocale, setPreviewLocale] = useState("en");
  const [translationLocale, setTranslationLocale] = useState<BuiltInLocale>("fr");
  const set = <K extends keyof SurveySettings>(key: K, value: SurveySettings[K]) =>
    setDraft((previous) => ({ ...previous, [key]: value }));
  const errors = result?.ok === false ? result.errors : undefined;

  return (
    <Page
      title="Survey settings"
      subtitle={`Version ${result?.version ?? version}`}
      backAction={{ url: "/app" }}
    >
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.ok && (
                <Banner tone="success">
                  {result.changed ? `Saved as version ${result.version}.` : "Nothing changed."}
                </Banner>
              )}
              {errors && (
                <Banner tone="critical" title="Some settings need attention">
                  <ul>
                    {errors.map((error) => (
                      <li key={error.field}>
                        {error.field}: {error.message}
                      </li>
                    ))}
                  </ul>
                </Banner>
              )}
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Questions
                  </Text>
                  <TextField
                    label="NPS question (English)"
                    name="question"
                    value={draft.question}
                    onChange={(value) => set("question", value)}
                    helpText="{shop_name} is replaced by your store's name."
                    autoComplete="off"
                    error={fieldError(errors, "question")}
                  />
                  {(["promoter", "passive", "detractor"] as const).map((category) => (
                    <TextField
                      key={category}
                      label={`Follow-up for ${category}s`}
                      name={`followUp.${category}`}
                      value={draft.followUp[category]}
                      onChange={(value) => set("followUp", { ...draft.followUp, [category]: value })}
                      autoComplete="off"
                      error={fieldError(errors, `followUp.${category}`)}
                    />
                  ))}
                  {(["promoter", "passive", "detractor"] as const).map((category) => (
                    <TextField
                      key={category}
                      label={`Thank-you for ${category}s`}
                      name={`thankYou.${category}`}
                      value={draft.thankYou[category]}
                      onChange={(value) => set("thankYou", { ...draft.thankYou, [category]: value })}
                      autoComplete="off"
                    />
                  ))}
                  <TextField
                    label="Review link for promoters"
                    name="reviewUrl"
                    type="url"
                    value={draft.reviewUrl ?? ""}
                    onChange={(value) => set("reviewUrl", value || undefined)}
                    autoComplete="off"
                    error={fieldError(errors, "reviewUrl")}
                  />
                  <InlineGrid columns={2} gap="400">
                    <Checkbox
                      label="Also ask CSAT (1–5)"
                      name="csat.enabled"
                      checked={draft.csat.enabled}
                      onChange={(checked) => set("csat", { ...draft.csat, enabled: checked })}
                    />
                    <Checkbox
                      label="Also ask CES (1–7)"
                      name="ces.enabled"
                      checked={draft.ces.enabled}
                      onChange={(checked) => set("ces", { ...draft.ces, enabled: checked })}
                    />
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Where and when
                  </Text>
                  <InlineGrid columns={2} gap="200">
                    {(
                      [
                        ["thankYou", "Thank-you page"],
                        ["orderStatus", "Order-status page"],
                        ["storefront", "Storefront widget"],
                        ["surveyLink", "Survey link (emails, Flow)"],
                      ] as const
                    ).map(([key, label]) => (
                      <Checkbox
                        key={key}
                        label={label}
                        name={`channels.${key}`}
                        checked={draft.channels[key]}
                        onChange={(checked) => set("channels", { ...draft.channels, [key]: checked })}
                      />
                    ))}
                  </InlineGrid>
                  <Select
                    label="Timing"
                    name="timing.mode"
                    options={[
                      { label: "At purchase (buying experience)", value: "purchase" },
                      { label: "After delivery (product experience)", value: "delivery" },
                      { label: "Both, as a two-stage survey", value: "both" },
                    ]}
                    value={draft.timing.mode}
                    onChange={(value) =>
                      set("timing", { ...draft.timing, mode: value as SurveySettings["timing"]["mode"] })
                    }
                  />
                  <InlineGrid columns={2} gap="400">
                    <NumberSetting
                      label="Days after fulfillment when no delivery event comes"
                      name="timing.daysAfterFulfillment"
                      value={draft.timing.daysAfterFulfillment}
                      onChange={(value) =>
                        set("timing", { ...draft.timing, daysAfterFulfillment: value ?? 0 })
                      }
                      errors={errors}
                    />
                    <NumberSetting
                      label="Invitations expire after (days)"
                      name="timing.expiresAfterDays"
                      value={draft.timing.expiresAfterDays}
                      onChange={(value) => set("timing", { ...draft.timing, expiresAfterDays: value ?? 0 })}
                      errors={errors}
                    />
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Who is asked
                  </Text>
                  <InlineGrid columns={2} gap="400">
                    <NumberSetting
                      label="Ask a customer at most once every (days)"
                      name="frequencyCapDays"
                      value={draft.frequencyCapDays}
                      onChange={(value) => set("frequencyCapDays", value ?? 0)}
                      errors={errors}
                    />
                    <NumberSetting
                      label="Sample (% of eligible orders)"
                      name="samplePercent"
                      value={draft.samplePercent}
                      onChange={(value) => set("samplePercent", value ?? 0)}
                      errors={errors}
                    />
                  </InlineGrid>
                  <TextField
                    label="Skip customers tagged (comma-separated)"
                    name="exclusions.customerTags"
                    value={draft.exclusions.customerTags.join(", ")}
                    onChange={(value) =>
                      set("exclusions", { ...draft.exclusions, customerTags: splitList(value) })
                    }
                    autoComplete="off"
                  />
                  <InlineGrid columns={2} gap="400">
                    <NumberSetting
                      label="Minimum order value"
                      name="exclusions.minOrderValue"
                      value={draft.exclusions.minOrderValue}
                      onChange={(value) => set("exclusions", { ...draft.exclusions, minOrderValue: value })}
                      errors={errors}
                    />
                    <TextField
                      label="Skip sales channels (e.g. pos)"
                      name="exclusions.salesChannels"
                      value={draft.exclusions.salesChannels.join(", ")}
                      onChange={(value) =>
                        set("exclusions", { ...draft.exclusions, salesChannels: splitList(value) })
                      }
                      autoComplete="off"
                    />
                  </InlineGrid>
                  <InlineGrid columns={2} gap="200">
                    <Checkbox
                      label="Skip test orders"
                      name="exclusions.testOrders"
                      checked={draft.exclusions.testOrders}
                      onChange={(checked) => set("exclusions", { ...draft.exclusions, testOrders: checked })}
                    />
                    <Checkbox
                      label="Ask guest checkouts"
                      name="includeGuests"
                      checked={draft.includeGuests}
                      onChange={(checked) => set("includeGuests", checked)}
                    />
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Card>
                <TranslationFields
                  locale={translationLocale}
                  onLocaleChange={(locale) => {
                    setTranslationLocale(locale);
                    setPreviewLocale(locale);
                  }}
                  overrides={draft.overrides}
                  onChange={(overrides) => set("overrides", overrides)}
                  errorFor={(field) => fieldError(errors, field)}
                />
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Customer tags written to Shopify
                  </Text>
                  <InlineGrid columns={3} gap="400">
                    {(["promoter", "passive", "detractor"] as const).map((category) => (
                      <TextField
                        key={category}
                        label={`${category[0]?.toUpperCase()}${category.slice(1)} tag`}
                        name={`tagNames.${category}`}
                        value={draft.tagNames[category]}
                        onChange={(value) => set("tagNames", { ...draft.tagNames, [category]: value })}
                        autoComplete="off"
                        error={fieldError(errors, `tagNames.${category}`)}
                      />
                    ))}
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Closing the loop
                  </Text>
                  <TextField
                    label="Email me when a detractor answers"
                    name="alerts.detractorEmail"
                    type="email"
                    value={draft.alerts.detractorEmail ?? ""}
                    onChange={(value) => set("alerts", { ...draft.alerts, detractorEmail: value || null })}
                    helpText="Leave empty for no alerts. Mail is sent only when the app's SMTP server is configured."
                    autoComplete="email"
                    error={fieldError(errors, "alerts.detractorEmail")}
                  />
                  <InlineGrid columns={2} gap="400">
                    <Checkbox
                      label="Ask resolved detractors again (follow-up survey)"
                      name="followUpSurvey.enabled"
                      checked={draft.followUpSurvey.enabled}
                      onChange={(checked) =>
                        set("followUpSurvey", { ...draft.followUpSurvey, enabled: checked })
                      }
                      helpText="The survey link appears on the follow-up for you to send."
                    />
                    <NumberSetting
                      label="Days after the follow-up is resolved"
                      name="followUpSurvey.daysAfterResolved"
                      value={draft.followUpSurvey.daysAfterResolved}
                      onChange={(value) =>
                        set("followUpSurvey", { ...draft.followUpSurvey, daysAfterResolved: value ?? 0 })
                      }
                      errors={errors}
                    />
                  </InlineGrid>
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Reports
                  </Text>
                  <Select
                    label="Compare with the published NPS of"
                    name="benchmark"
                    options={[
                      { label: "No benchmark", value: "" },
                      ...NPS_BENCHMARKS.map((benchmark) => ({
                        label: `${benchmark.label}: ${benchmark.nps} (${benchmark.source})`,
                        value: benchmark.id,
                      })),
                    ]}
                    value={draft.benchmark ?? ""}
                    onChange={(value) => set("benchmark", (value || null) as SurveySettings["benchmark"])}
                    helpText="Drawn as a line on the dashboard's trend. Benchmarks come from other surveys: use them as context."
                  />
                </FormLayout>
              </Card>
              <Button submit variant="primary" loading={saving}>
                Save
              </Button>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Select
                  label="Preview language"
                  options={["en", "fr", "de", "es"].map((value) => ({ label: value, value }))}
                  value={previewLocale}
                  onChange={setPreviewLocale}
                />
                <SurveyPreview survey={localizeSurvey(draft, { locale: previewLocale, shopName })} />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A number setting whose error comes from the server's field errors by its name; empty means null. */
function NumberSetting(props: {
  label: string;
  name: string;
  value: number | null;
  onChange: (value: number | null) => void;
  errors: { field: string; message: string }[] | undefined;
}) {
  return (
    <TextField
      label={props.label}
      name={props.name}
      type="number"
      value={props.value === null ? "" : String(props.value)}
      onChange={(value) => props.onChange(value === "" ? null : Number(value))}
      autoComplete="off"
      error={fieldError(props.errors, props.name)}
    />
  );
}
