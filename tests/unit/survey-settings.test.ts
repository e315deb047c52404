import { describe, expect, it } from "vitest";
import { DEFAULT_SURVEY_SETTINGS, surveySettingsSchema } from "~/domain/survey-settings";
import { localizeSurvey, resolveLocale } from "~/domain/survey-text";

describe("survey settings", () => {
  it("default to a purchase-time survey asked once per 90 days of everyone, tagged nps:*", () => {
    expect(DEFAULT_SURVEY_SETTINGS).toMatchObject({
      frequencyCapDays: 90,
      samplePercent: 100,
      includeGuests: true,
      timing: { mode: "purchase", expiresAfterDays: 30 },
      tagNames: { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" },
      exclusions: { testOrders: true, customerTags: [], salesChannels: [], minOrderValue: null },
    });
  });

  it("refuse tag names that are empty, contain a comma or repeat each other", () => {
    const withTags = (tagNames: object) => surveySettingsSchema.safeParse({ tagNames }).success;
    expect(withTags({ promoter: "" })).toBe(false);
    expect(withTags({ promoter: "a,b" })).toBe(false);
    expect(withTags({ promoter: "NPS:Passive" })).toBe(false);
    expect(withTags({ promoter: "fan" })).toBe(true);
  });

  it("refuse out-of-range numbers and unknown keys", () => {
    expect(surveySettingsSchema.safeParse({ samplePercent: 101 }).success).toBe(false);
    expect(surveySettingsSchema.safeParse({ frequencyCapDays: -1 }).success).toBe(false);
    expect(surveySettingsSchema.safeParse({ timing: { expiresAfterDays: 0 } }).success).toBe(false);
    expect(surveySettingsSchema.safeParse({ colour: "red" }).success).toBe(false);
  });
});

describe("the localized survey", () => {
  it("picks the built-in language from the shopper's locale, falling back to English", () => {
    expect(resolveLocale("fr-CA")).toBe("fr");
    expect(resolveLocale("de")).toBe("de");
    expect(resolveLocale("ja")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });

  it("fills {shop_name} and gives the scale's end labels", () => {
    const survey = localizeSurvey(DEFAULT_SURVEY_SETTINGS, { locale: "en", shopName: "Linen & Co" });
    expect(survey.question).toBe("How likely are you to recommend Linen & Co to a friend?");
    expect(survey.scale).toEqual({
      min: 0,
      max: 10,
      lowLabel: "Not at all likely",
      highLabel: "Extremely likely",
    });
    expect(survey.csat).toBeNull();
  });

  it("keeps the merchant's English wording in English and uses the French translation in French", () => {
    const settings = surveySettingsSchema.parse({ question: "Would you tell a friend about {shop_name}?" });
    expect(localizeSurvey(settings, { locale: "en", shopName: "Shop" }).question).toBe(
      "Would you tell a friend about Shop?",
    );
    expect(localizeSurvey(settings, { locale: "fr", shopName: "Shop" }).question).toBe(
      "Quelle est la probabilité que vous recommandiez Shop à un ami ?",
    );
  });

  it("lets a merchant override one language", () => {
    const settings = surveySettingsSchema.parse({
      overrides: {
        de: { question: "Würden Sie {shop_name} weiterempfehlen?", followUp: { detractor: "Was fehlte?" } },
      },
    });
    const survey = localizeSurvey(settings, { locale: "de-AT", shopName: "Laden" });
    expect(survey.question).toBe("Würden Sie Laden weiterempfehlen?");
    expect(survey.followUp.detractor).toBe("Was fehlte?");
    expect(survey.followUp.promoter).toBe("Was hat Ihnen am besten gefallen?");
  });

  it("includes CSAT and CES only when enabled", () => {
    const settings = surveySettingsSchema.parse({ csat: { enabled: true }, ces: { enabled: true } });
    const survey = localizeSurvey(settings, { locale: "es", shopName: "Tienda" });
    expect(survey.csat?.question).toBe("¿Qué tan satisfecho está con su compra?");
    expect(survey.ces?.question).toBe("¿Qué tan fácil fue comprar con nosotros?");
  });
});
