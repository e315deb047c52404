import type { Database } from "~/adapters/db/client.server";
import {
  REPEAT_WINDOWS_DAYS,
  type RepeatWindow,
  repeatPurchases,
} from "~/adapters/db/campaign-queries.server";
import { CATEGORIES, type Category } from "~/domain/category";

const DAY_MS = 86_400_000;

export interface RepeatRate {
  windowDays: RepeatWindow;
  byCategory: Record<Category, { answers: number; repeaters: number; rate: number | null }>;
}

/**
 * Repeat-purchase rate within 30/60/90 days after answering, per category: do promoters come back more often
 * than detractors, and does following up with detractors change that? Only answers whose whole window has
 * passed count, so a recent answer does not look like a customer who never returned.
 */
export async function repeatPurchaseRates(
  database: Database,
  shopDomain: string,
  range: { from: Date; to: Date },
  now = new Date(),
): Promise<RepeatRate[]> {
  return Promise.all(
    REPEAT_WINDOWS_DAYS.map(async (windowDays) => {
      const watched = new Date(Math.min(range.to.getTime(), now.getTime() - windowDays * DAY_MS));
      const rows =
        watched > range.from
          ? await repeatPurchases(database, shopDomain, { from: range.from, to: watched }, windowDays)
          : [];
      const byCategory = Object.fromEntries(
        CATEGORIES.map((category) => {
          const row = rows.find((candidate) => candidate.category === category);
          const answers = row?.answers ?? 0;
          const repeaters = row?.repeaters ?? 0;
          return [category, { answers, repeaters, rate: answers > 0 ? repeaters / answers : null }];
        }),
      ) as RepeatRate["byCategory"];
      return { windowDays, byCategory };
    }),
  );
}
