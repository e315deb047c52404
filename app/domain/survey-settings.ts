import { z } from "zod";
import { BENCHMARK_IDS } from "./nps-benchmarks";

// A shop's survey: every field has a default, so surveySettingsSchema.parse({}) is the default survey.
const tagName = z
  .string()
  .trim()
  .min(1, "tag names cannot be empty")
  .max(255, "tag names are at most 255 characters")
  .refine((value) => !value.includes(","), "tag names cannot contain commas");

const perCategory = (defaults: { promoter: string; passive: string; detractor: string }) =>
  z
    .object({
      promoter: z.string().trim().max(500).default(defaults.promoter),
      passive: z.string().trim().max(500).default(defaults.passive),
      detractor: z.string().trim().max(500).default(defaults.detractor),
    })
    .default({});

const localeTexts = z
  .object({
    question: z.string().trim().min(1).max(500),
    followUp: z.object({ promoter: z.string(), passive: z.string(), detractor: z.string() }).partial(),
    thankYou: z.object({ promoter: z.string(), passive: z.string(), detractor: z.string() }).partial(),
  })
  .partial();

const days = (max: number) => z.number().int().min(1).max(max);

export const DEFAULT_QUESTION = "How likely are you to recommend {shop_name} to a friend?";

export const surveySettingsSchema = z
  .object({
    question: z.string().trim().min(1, "the question cannot be empty").max(500).default(DEFAULT_QUESTION),
    followUp: perCategory({
      promoter: "What did you love most?",
      passive: "What would make it a 10?",
      detractor: "What went wrong? We want to make it right.",
    }),
    thankYou: perCategory({
      promoter: "Thank you! We're so glad you love us.",
      passive: "Thank you for your honest feedback.",
      detractor: "Thank you. We're sorry — we'll use this to do better.",
    }),
    reviewUrl: z.string().url("reviewUrl must be a full URL").max(2000).optional(),
    csat: z
      .object({ enabled: z.boolean().default(false), question: z.string().trim().max(500).optional() })
      .default({}),
    ces: z
      .object({ enabled: z.boolean().default(false), question: z.string().trim().max(500).optional() })
      .default({}),
    channels: z
      .object({
        thankYou: z.boolean().default(true),
        orderStatus: z.boolean().default(true),
        storefront: z.boolean().default(true),
        surveyLink: z.boolean().default(true),
      })
      .default({}),
    timing: z
      .object({
        mode: z.enum(["purchase", "delivery", "both"]).default("purchase"),
        daysAfterFulfillment: days(60).default(7),
        expiresAfterDays: days(365).default(30),
      })
      .default({}),
    frequencyCapDays: z.number().int().min(0).max(730).default(90),
    samplePercent: z.number().min(0).max(100).default(100),
    exclusions: z
      .object({
        customerTags: z.array(z.string().trim().min(1).max(255)).max(50).default([]),
        minOrderValue: z.number().min(0).nullable().default(null),
        salesChannels: z.array(z.string().trim().toLowerCase().min(1).max(100)).max(20).default([]),
        testOrders: z.boolean().default(true),
      })
      .default({}),
    includeGuests: z.boolean().default(true),
    tagNames: z
      .object({
        promoter: tagName.default("nps:promoter"),
        passive: tagName.default("nps:passive"),
        detractor: tagName.default("nps:detractor"),
      })
      .default({})
      .refine(
        (names) =>
          new Set([names.promoter, names.passive, names.detractor].map((name) => name.toLowerCase())).size ===
          3,
        "the three tag names must differ",
      ),
    overrides: z.record(z.string().regex(/^[a-z]{2}$/), localeTexts).default({}),
    /** The published benchmark the dashboard draws beside the shop's NPS (app/domain/nps-benchmarks.ts). */
    benchmark: z.enum(BENCHMARK_IDS).nullable().default(null),
    /** Who is emailed when a detractor answers (app/services/sync/jobs/detractor-alert.server.ts); null: nobody. */
    alerts: z
      .object({
        detractorEmail: z
          .string()
          .trim()
          .max(254, "the alert email is at most 254 characters")
          .email("the alert email must be an email address")
          .nullable()
          .default(null),
      })
      .default({}),
    /** A second survey for detractors whose follow-up was resolved this many days ago (app/domain/follow-up-survey.ts). */
    followUpSurvey: z
      .object({ enabled: z.boolean().default(false), daysAfterResolved: days(365).default(14) })
      .default({}),
  })
  .strict();

export type SurveySettings = z.infer<typeof surveySettingsSchema>;
export const DEFAULT_SURVEY_SETTINGS: SurveySettings = surveySettingsSchema.parse({});
