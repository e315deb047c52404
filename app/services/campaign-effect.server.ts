import type { Database } from "~/adapters/db/client.server";
import { REPEAT_WINDOWS_DAYS, type RepeatWindow } from "~/adapters/db/campaign-queries.server";
import { repeatTotals } from "~/adapters/db/report-rollup-reads.server";
import { CATEGORIES, type Category } from "~/domain/category";

const DAY_MS = 86_400_000;

export interface RepeatRate {
  windowDays: RepeatWindow;
  byCategory: Record<Category, { answers: number; repeaters: number; rate: number | null }>;
}

/**
 * Repeat-purchase rate within 30/60/90 days after answering, per category: do promoters come back more often
 * than detractors, and does following up with detractors change that? Only answers whose whole window has
 * passed count, so a recent answer does not look like a customer who never returned. Whole days come from the daily
 * rollup, the partial days at the ends from the answers.
 */
export async function repeatPurchaseRates(
  database: Database,
  shopDomain: string,
  range: { from: Date; to: Date },
  now = new Date(),
): Promise<RepeatRate[]> {
  // Each window watches the answers whose whole window has passed: [from, min(to, now − window)).
  const watched = REPEAT_WINDOWS_DAYS.map(
    (windowDays) => new Date(Math.min(range.to.getTime(), now.getTime() - windowDays * DAY_MS)),
  );
  const totals = await repeatTotals(database, shopDomain, range.from, watched);
  return REPEAT_WINDOWS_DAYS.map((windowDays, index) => {
    const rows = (watched[index] as Date) > range.from ? (totals[index] ?? []) : [];
    const byCategory = Object.fromEntries(
      CATEGORIES.map((category) => {
        const row = rows.find((candidate) => candidate.category === category);
        const answers = row?.answers ?? 0;
        const repeaters = row?.repeaters[windowDays] ?? 0;
        return [category, { answers, repeaters, rate: answers > 0 ? repeaters / answers : null }];
      }),
    ) as RepeatRate["byCategory"];
    return { windowDays, byCategory };
  });
}
