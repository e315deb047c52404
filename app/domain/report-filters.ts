import { z } from "zod";
import { BUILT_IN_LOCALES } from "./survey-text";
import { STAGES } from "./survey-timing";

// The dashboard's filters, read from the URL so a view can be shared. Unknown values fall back to "all".
export const CHANNELS = ["thank_you", "order_status", "storefront", "survey_link"] as const;
export const CUSTOMER_TYPES = ["new", "returning"] as const;

const optional = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).optional().catch(undefined);

export const reportFiltersSchema = z.object({
  days: z.coerce.number().int().min(1).max(730).catch(90),
  channel: optional(CHANNELS),
  locale: optional(BUILT_IN_LOCALES),
  customer: optional(CUSTOMER_TYPES),
  stage: optional(STAGES),
});

export type ReportFilters = Omit<z.infer<typeof reportFiltersSchema>, "days">;

export function reportFiltersFromUrl(url: URL): z.infer<typeof reportFiltersSchema> {
  return reportFiltersSchema.parse(Object.fromEntries(url.searchParams));
}

/** The answer columns each filter narrows (the same names in Prisma and SQL). */
export function filterColumns(filters: ReportFilters): { column: string; value: string | boolean }[] {
  const columns: { column: string; value: string | boolean }[] = [];
  if (filters.channel) columns.push({ column: "channel", value: filters.channel });
  if (filters.locale) columns.push({ column: "locale", value: filters.locale });
  if (filters.stage) columns.push({ column: "stage", value: filters.stage });
  if (filters.customer)
    columns.push({ column: "returningCustomer", value: filters.customer === "returning" });
  return columns;
}

export function hasFilters(filters: ReportFilters): boolean {
  return filterColumns(filters).length > 0;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The dashboard's range: the last `days` days up to now. */
export function rangeForDays(days: number, now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now };
}
