import { env } from "~/env.server";
import { type Database, databaseKind } from "./client.server";

// Repeat purchases after answering: for each answer old enough to watch the whole window, did the same customer
// place another order (any order the app saw: every order webhook makes an invitation row; a follow-up survey's
// invitation is not an order) within the window?
export const REPEAT_WINDOWS_DAYS = [30, 60, 90] as const;
export type RepeatWindow = (typeof REPEAT_WINDOWS_DAYS)[number];

export interface RepeatRow {
  category: string;
  answers: number;
  repeaters: number;
}

function withinWindow(kind: "sqlite" | "postgresql", days: RepeatWindow): string {
  return kind === "postgresql"
    ? `i."createdAt" <= r."createdAt" + interval '${days} days'`
    : `julianday(i."createdAt") - julianday(r."createdAt") <= ${days}`;
}

function repeatSql(kind: "sqlite" | "postgresql", days: RepeatWindow): string {
  const p = (index: number) => (kind === "postgresql" ? `$${index}` : "?");
  return `SELECT r."category" AS "category", COUNT(*) AS "answers",
      SUM(CASE WHEN EXISTS (
        SELECT 1 FROM "Invitation" i
        WHERE i."shopDomain" = r."shopDomain" AND i."customerId" = r."customerId" AND i."orderId" <> r."orderId"
          AND i."createdAt" > r."createdAt" AND ${withinWindow(kind, days)} AND i."stage" <> 'follow_up'
      ) THEN 1 ELSE 0 END) AS "repeaters"
    FROM "Response" r
    WHERE r."shopDomain" = ${p(1)} AND r."status" = 'confirmed' AND r."stage" <> 'follow_up'
      AND r."customerId" IS NOT NULL
      AND r."createdAt" >= ${p(2)} AND r."createdAt" < ${p(3)}
    GROUP BY r."category"`;
}

type CountValue = bigint | number | string | null;

/** Answers given in [from, to) — `to` already cut back so the window has passed — and how many bought again. */
export async function repeatPurchases(
  database: Database,
  shopDomain: string,
  range: { from: Date; to: Date },
  days: RepeatWindow,
  kind = databaseKind(env().DATABASE_URL),
): Promise<RepeatRow[]> {
  const rows = await database.$queryRawUnsafe<
    { category: string; answers: CountValue; repeaters: CountValue }[]
  >(repeatSql(kind, days), shopDomain, range.from, range.to);
  return rows.map((row) => ({
    category: row.category,
    answers: Number(row.answers ?? 0),
    repeaters: Number(row.repeaters ?? 0),
  }));
}
