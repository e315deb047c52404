import type { Database } from "~/adapters/db/client.server";
import { fieldErrorsFrom } from "~/domain/survey-answer";
import { type SurveySettings, surveySettingsSchema } from "~/domain/survey-settings";
import { ServiceError } from "./service-error";
import { type CurrentSurvey, currentSurvey } from "./shops.server";
import { enqueueSegmentUpdate } from "./sync/jobs/update-segments.server";
import { retagIfTagNamesChanged } from "./sync/retag.server";

/**
 * Saves a new version of the shop's survey (responses keep the version they answered). Settings that equal the
 * current ones make no new version.
 */
export async function saveSurveySettings(
  database: Database,
  shopDomain: string,
  input: unknown,
): Promise<CurrentSurvey & { changed: boolean }> {
  const parsed = surveySettingsSchema.safeParse(input);
  if (!parsed.success) throw new ServiceError("invalid", fieldErrorsFrom(parsed.error));
  const settings: SurveySettings = parsed.data;
  const serialized = JSON.stringify(settings);
  return database.$transaction(async (tx) => {
    const current = await currentSurvey(tx, shopDomain);
    if (JSON.stringify(current.settings) === serialized) return { ...current, changed: false };
    const version = current.version + 1;
    await tx.survey.upsert({
      where: { shopDomain },
      create: { shopDomain, version, settings: serialized },
      update: { version, settings: serialized },
    });
    await tx.surveyVersion.create({ data: { shopDomain, version, settings: serialized } });
    await enqueueSegmentUpdate(tx, shopDomain, current.settings.tagNames, settings.tagNames);
    await retagIfTagNamesChanged(tx, shopDomain, current.settings.tagNames, settings.tagNames);
    return { version, settings, changed: true };
  });
}
