import type { SurveySettings } from "~/domain/survey-settings";

// Turns the settings form's flat fields ("timing.mode", "channels.thankYou" …) into the nested object the survey
// schema validates. Checkboxes send a value only when checked; numbers stay strings for zod to reject clearly.
const CHECKBOXES = [
  "csat.enabled",
  "ces.enabled",
  "channels.thankYou",
  "channels.orderStatus",
  "channels.storefront",
  "channels.surveyLink",
  "exclusions.testOrders",
  "includeGuests",
];
const NUMBERS = [
  "timing.daysAfterFulfillment",
  "timing.expiresAfterDays",
  "frequencyCapDays",
  "samplePercent",
];
const LISTS = ["exclusions.customerTags", "exclusions.salesChannels"];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = { ...((node[key] as Record<string, unknown> | undefined) ?? {}) };
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function toNumber(raw: string): number | string {
  const trimmed = raw.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : raw;
}

export function settingsFromForm(form: FormData, current: SurveySettings): Record<string, unknown> {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const path of CHECKBOXES) setPath(next, path, form.has(path));
  for (const [path, raw] of form.entries()) {
    if (typeof raw !== "string" || CHECKBOXES.includes(path)) continue;
    if (NUMBERS.includes(path)) setPath(next, path, toNumber(raw));
    else if (LISTS.includes(path))
      setPath(
        next,
        path,
        raw
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      );
    else if (path === "exclusions.minOrderValue")
      setPath(next, path, raw.trim() === "" ? null : toNumber(raw));
    else if (path === "reviewUrl") setPath(next, path, raw.trim() === "" ? undefined : raw.trim());
    else setPath(next, path, raw);
  }
  return next;
}
