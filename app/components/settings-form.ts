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
  "followUpSurvey.enabled",
];
const NUMBERS = [
  "timing.daysAfterFulfillment",
  "timing.expiresAfterDays",
  "frequencyCapDays",
  "samplePercent",
  "followUpSurvey.daysAfterResolved",
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

/** Drops emptied translation fields (the built-in text applies again) and languages left with none. */
function pruneOverrides(overrides: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [locale, texts] of Object.entries(overrides)) {
    const { question, followUp, thankYou } = (texts ?? {}) as Record<string, unknown>;
    const categories = (value: unknown) => {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>).filter(
        ([, text]) => typeof text === "string" && text.trim() !== "",
      );
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    };
    const entry = {
      ...(typeof question === "string" && question.trim() !== "" ? { question } : {}),
      ...(categories(followUp) ? { followUp: categories(followUp) } : {}),
      ...(categories(thankYou) ? { thankYou: categories(thankYou) } : {}),
    };
    if (Object.keys(entry).length > 0) kept[locale] = entry;
  }
  return kept;
}

export function settingsFromForm(form: FormData, current: SurveySettings): Record<string, unknown> {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const path of CHECKBOXES) setPath(next, path, form.has(path));
  for (const [path, raw] of form.entries()) {
    if (typeof raw !== "string" || CHECKBOXES.includes(path)) continue;
    if (path.startsWith("overrides.") && !/^overrides\.[a-z]{2}\./.test(path)) continue;
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
    else if (path === "benchmark") setPath(next, path, raw === "" ? null : raw);
    else if (path === "alerts.detractorEmail") setPath(next, path, raw.trim() === "" ? null : raw.trim());
    else if (path === "reviewUrl") setPath(next, path, raw.trim() === "" ? undefined : raw.trim());
    else setPath(next, path, raw);
  }
  next.overrides = pruneOverrides((next.overrides ?? {}) as Record<string, unknown>);
  return next;
}
