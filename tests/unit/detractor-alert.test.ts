import { describe, expect, it } from "vitest";
import { settingsFromForm } from "~/components/settings-form";
import {
  adminAppUrl,
  detractorAlertMail,
  followUpAdminUrl,
  orderLabel,
  plainText,
} from "~/domain/detractor-alert";
import { DEFAULT_SURVEY_SETTINGS, surveySettingsSchema } from "~/domain/survey-settings";
import { parseEnv } from "~/env.server";

const base = {
  shopDomain: "maison-verte.myshopify.com",
  apiKey: "abc123",
  followUpId: "fu_1",
  score: 3,
  comment: "The box arrived crushed.",
  orderId: "1001",
  orderName: "#1001",
  stage: "purchase",
};

describe("the detractor alert mail", () => {
  it("names the score and the order in the subject and carries score, comment, order and admin link in the body", () => {
    const mail = detractorAlertMail(base);

    expect(mail.subject).toBe("Detractor: score 3 from #1001");
    expect(mail.text).toContain("Score: 3 out of 10");
    expect(mail.text).toContain("Order: #1001");
    expect(mail.text).toContain("  The box arrived crushed.");
    expect(mail.text).toContain(
      "https://admin.shopify.com/store/maison-verte/apps/abc123/app/follow-ups?status=all&id=fu_1",
    );
  });

  it("keeps a multi-line comment as indented plain text and drops control characters", () => {
    const mail = detractorAlertMail({ ...base, comment: "Late.\r\nAnd broken\u0007.\r<b>no</b>" });

    expect(mail.text).toContain("  Late.\n  And broken.\n  <b>no</b>");
    expect(mail.text).not.toContain("\r");
    expect(mail.text).not.toContain("\u0007");
  });

  it("says so when there is no comment, and falls back to the order id without an order name", () => {
    const mail = detractorAlertMail({ ...base, comment: null, orderName: null, score: 0 });

    expect(mail.subject).toBe("Detractor: score 0 from order 1001");
    expect(mail.text).toContain("(no comment)");
  });

  it("never lets an order name break the subject onto a second header line", () => {
    expect(orderLabel("#1001\r\nBcc: someone@example.com", "1001")).toBe("#1001 Bcc: someone@example.com");
    expect(orderLabel("  \n ", "1001")).toBe("order 1001");
  });

  it("tells a follow-up survey's detractor apart from a first answer", () => {
    expect(detractorAlertMail({ ...base, stage: "follow_up" }).text).toMatch(
      /earlier complaint was resolved/,
    );
    expect(detractorAlertMail(base).text).not.toMatch(/earlier complaint/);
  });

  it("builds admin links from the shop's handle and escapes query values", () => {
    expect(adminAppUrl("shop.myshopify.com", "key", "/app")).toBe(
      "https://admin.shopify.com/store/shop/apps/key/app",
    );
    expect(followUpAdminUrl("shop.myshopify.com", "key", "a&b")).toBe(
      "https://admin.shopify.com/store/shop/apps/key/app/follow-ups?status=all&id=a%26b",
    );
    expect(plainText("a\rb")).toBe("a\nb");
  });
});

describe("the alert settings", () => {
  it("parse stored settings from before alerts existed with alerts off and the follow-up survey off", () => {
    const { alerts, followUpSurvey, ...stored } = DEFAULT_SURVEY_SETTINGS;
    const parsed = surveySettingsSchema.parse(JSON.parse(JSON.stringify(stored)));

    expect(parsed.alerts).toEqual({ detractorEmail: null });
    expect(parsed.followUpSurvey).toEqual({ enabled: false, daysAfterResolved: 14 });
  });

  it("refuse an alert address that is not an email, naming the field", () => {
    const result = surveySettingsSchema.safeParse({ alerts: { detractorEmail: "not-an-email" } });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["alerts", "detractorEmail"]);
  });

  it("come from the settings form: an emptied address turns alerts off, the follow-up survey's days are a number", () => {
    const on = new FormData();
    on.append("alerts.detractorEmail", "  owner@example.com ");
    on.append("followUpSurvey.enabled", "on");
    on.append("followUpSurvey.daysAfterResolved", "21");
    const saved = surveySettingsSchema.parse(settingsFromForm(on, DEFAULT_SURVEY_SETTINGS));
    expect(saved.alerts.detractorEmail).toBe("owner@example.com");
    expect(saved.followUpSurvey).toEqual({ enabled: true, daysAfterResolved: 21 });

    const off = new FormData();
    off.append("alerts.detractorEmail", "");
    const cleared = surveySettingsSchema.parse(settingsFromForm(off, saved));
    expect(cleared.alerts.detractorEmail).toBeNull();
    expect(cleared.followUpSurvey.enabled).toBe(false);
  });
});

describe("the SMTP configuration", () => {
  const minimal = {
    SHOPIFY_API_KEY: "key",
    SHOPIFY_API_SECRET: "secret",
    SHOPIFY_APP_URL: "https://nps.example",
  };

  it("is optional", () => {
    const env = parseEnv(minimal);
    expect(env.SMTP_URL).toBeUndefined();
    expect(env.SMTP_FROM).toBeUndefined();
  });

  it("takes an smtp or smtps URL with a sender", () => {
    const env = parseEnv({
      ...minimal,
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      SMTP_FROM: "NPS Sync <nps@example.com>",
    });
    expect(env.SMTP_URL).toBe("smtps://user:pass@mail.example.com:465");
  });

  it("refuses an SMTP URL without a sender, or of another scheme, without echoing the password", () => {
    expect(() => parseEnv({ ...minimal, SMTP_URL: "smtp://user:hunter2@mail.example.com:587" })).toThrowError(
      /SMTP_FROM: SMTP_FROM is required/,
    );
    let message = "";
    try {
      parseEnv({ ...minimal, SMTP_URL: "http://user:hunter2@mail.example.com", SMTP_FROM: "a@b.c" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SMTP_URL/);
    expect(message).not.toContain("hunter2");
  });
});
