import { BlockStack, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { CATEGORIES } from "~/domain/category";
import type { SurveySettings } from "~/domain/survey-settings";
import { type BuiltInLocale, builtInTexts } from "~/domain/survey-text";

type Overrides = SurveySettings["overrides"];
type LocaleTexts = NonNullable<Overrides[string]>;

const LANGUAGES: { value: BuiltInLocale; label: string }[] = [
  { value: "fr", label: "French" },
  { value: "de", label: "German" },
  { value: "es", label: "Spanish" },
];

/**
 * The merchant's own wording per shopper language. An empty field means the built-in translation (shown as the
 * placeholder); the fields of one language at a time are posted, the others are kept as saved.
 */
export function TranslationFields(props: {
  locale: BuiltInLocale;
  onLocaleChange: (locale: BuiltInLocale) => void;
  overrides: Overrides;
  onChange: (overrides: Overrides) => void;
  errorFor: (field: string) => string | undefined;
}) {
  const { locale, overrides } = props;
  const texts: LocaleTexts = overrides[locale] ?? {};
  const builtIn = builtInTexts(locale);
  const update = (next: LocaleTexts) => props.onChange({ ...overrides, [locale]: next });
  const name = (path: string) => `overrides.${locale}.${path}`;
  return (
    <FormLayout>
      <BlockStack gap="100">
        <Text as="h2" variant="headingMd">
          Translations
        </Text>
        <Text as="p" tone="subdued">
          Shoppers see the survey in their language. Leave a field empty to use the built-in text.
        </Text>
      </BlockStack>
      <Select
        label="Language"
        options={LANGUAGES}
        value={locale}
        onChange={(value) => props.onLocaleChange(value as BuiltInLocale)}
      />
      <TextField
        label="NPS question"
        name={name("question")}
        value={texts.question ?? ""}
        placeholder={builtIn.question}
        onChange={(value) => update({ ...texts, question: value })}
        autoComplete="off"
        error={props.errorFor(name("question"))}
      />
      {(["followUp", "thankYou"] as const).flatMap((kind) =>
        CATEGORIES.map((category) => (
          <TextField
            key={`${kind}.${category}`}
            label={`${kind === "followUp" ? "Follow-up" : "Thank-you"} for ${category}s`}
            name={name(`${kind}.${category}`)}
            value={texts[kind]?.[category] ?? ""}
            placeholder={builtIn[kind][category]}
            onChange={(value) => update({ ...texts, [kind]: { ...texts[kind], [category]: value } })}
            autoComplete="off"
            error={props.errorFor(name(`${kind}.${category}`))}
          />
        )),
      )}
    </FormLayout>
  );
}
