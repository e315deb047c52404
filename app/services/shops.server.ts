import type { Database } from "~/adapters/db/client.server";
import { type SurveySettings, surveySettingsSchema } from "~/domain/survey-settings";
import { enqueueJob } from "./sync/job-queue.server";

export interface CurrentSurvey {
  version: number;
  settings: SurveySettings;
}

/** After OAuth: the Shop row, the default Survey, and a job that ensures segments and metafield definitions. */
export async function installShop(
  database: Database,
  input: { shopDomain: string; name?: string },
): Promise<void> {
  const defaults = JSON.stringify(surveySettingsSchema.parse({}));
  await database.$transaction(async (tx) => {
    const previous = await tx.shop.findUnique({ where: { shopDomain: input.shopDomain } });
    await tx.shop.upsert({
      where: { shopDomain: input.shopDomain },
      create: { shopDomain: input.shopDomain, name: input.name ?? null },
      update: { uninstalledAt: null, ...(input.name ? { name: input.name } : {}) },
    });
    const survey = await tx.survey.findUnique({ where: { shopDomain: input.shopDomain } });
    if (!survey) {
      await tx.survey.create({ data: { shopDomain: input.shopDomain, version: 1, settings: defaults } });
      await tx.surveyVersion.create({
        data: { shopDomain: input.shopDomain, version: 1, settings: defaults },
      });
    }
    if (!previous || previous.uninstalledAt) {
      await enqueueJob(tx, { shopDomain: input.shopDomain, kind: "ensure_setup" });
    }
  });
}

export async function findInstalledShop(database: Database, shopDomain: string) {
  const shop = await database.shop.findUnique({ where: { shopDomain } });
  return shop && !shop.uninstalledAt ? shop : null;
}

/** True when the shop installed the app at some point (its Shop row or a session exists), even if it left since. */
export async function everInstalled(database: Database, shopDomain: string): Promise<boolean> {
  const [shop, sessions] = await Promise.all([
    database.shop.findUnique({ where: { shopDomain }, select: { shopDomain: true } }),
    database.session.count({ where: { shop: shopDomain } }),
  ]);
  return shop !== null || sessions > 0;
}

type SurveyReader = Pick<Database, "survey">;

export async function currentSurvey(database: SurveyReader, shopDomain: string): Promise<CurrentSurvey> {
  const survey = await database.survey.findUnique({ where: { shopDomain } });
  if (!survey) return { version: 1, settings: surveySettingsSchema.parse({}) };
  return { version: survey.version, settings: surveySettingsSchema.parse(JSON.parse(survey.settings)) };
}

/** app/uninstalled: sessions go, pending work stops; the shop's data stays until shop/redact. Idempotent. */
export async function uninstallShop(database: Database, shopDomain: string, now = new Date()): Promise<void> {
  await database.$transaction([
    database.session.deleteMany({ where: { shop: shopDomain } }),
    database.shop.updateMany({ where: { shopDomain, uninstalledAt: null }, data: { uninstalledAt: now } }),
    database.syncJob.updateMany({
      where: { shopDomain, status: { in: ["pending", "running"] } },
      data: { status: "dead", lastError: "app uninstalled", lockedBy: null, lockedUntil: null },
    }),
  ]);
}
