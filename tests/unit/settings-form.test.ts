import { describe, expect, it } from "vitest";
import { settingsFromForm } from "~/components/settings-form";
import { DEFAULT_SURVEY_SETTINGS, surveySettingsSchema } from "~/domain/survey-settings";
import { localizeSurvey } from "~/domain/survey-text";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  // the form always posts its checked boxes; keep the defaults' ones
  for (const name of [
    "channels.thankYou",
    "channels.orderStatus",
    "channels.storefront",
    "channels.surveyLink",
  ])
    data.append(name, "on");
  data.append("exclusions.testOrders", "on");
  data.append("includeGuests", "on");
  return data;
}

describe("the settings form's translations", () => {
  it("saves a French override and the French shopper sees it, the other texts staying built in", () => {
    const next = surveySettingsSchema.parse(
      settingsFromForm(
        form({
          "overrides.fr.question": "Recommanderiez-vous {shop_name} ?",
          "overrides.fr.followUp.detractor": "Racontez-nous.",
          "overrides.fr.followUp.promoter": "",
          "overrides.fr.thankYou.passive": "  ",
        }),
        DEFAULT_SURVEY_SETTINGS,
      ),
    );
    expect(next.overrides).toEqual({
      fr: { question: "Recommanderiez-vous {shop_name} ?", followUp: { detractor: "Racontez-nous." } },
    });
    const survey = localizeSurvey(next, { locale: "fr-CA", shopName: "Maison" });
    expect(survey.question).toBe("Recommanderiez-vous Maison ?");
    expect(survey.followUp.detractor).toBe("Racontez-nous.");
    expect(survey.followUp.promoter).toBe("Qu'avez-vous le plus apprécié ?");
    expect(localizeSurvey(next, { locale: "de", shopName: "Maison" }).question).toContain(
      "Maison einem Freund",
    );
  });

  it("keeps the overrides of languages not on the form and drops a language whose fields were all emptied", () => {
    const current = surveySettingsSchema.parse({
      overrides: { de: { question: "Empfehlen Sie uns?" }, es: { question: "¿Nos recomienda?" } },
    });
    const next = surveySettingsSchema.parse(settingsFromForm(form({ "overrides.es.question": "" }), current));
    expect(next.overrides).toEqual({ de: { question: "Empfehlen Sie uns?" } });
  });

  it("ignores form fields that name no language", () => {
    const next = settingsFromForm(
      form({ "overrides.french.question": "x", "overrides.__proto__": "y" }),
      DEFAULT_SURVEY_SETTINGS,
    );
    expect(next.overrides).toEqual({});
  });

  it("shows the built-in text in the preview while a translation field is being emptied", () => {
    const draft = {
      ...DEFAULT_SURVEY_SETTINGS,
      overrides: { es: { question: "", followUp: { passive: "" } } },
    };
    const survey = localizeSurvey(draft, { locale: "es", shopName: "Casa" });
    expect(survey.question).toBe("¿Qué probabilidad hay de que recomiende Casa a un amigo?");
    expect(survey.followUp.passive).toBe("¿Qué nos falta para un 10?");
  });
});
