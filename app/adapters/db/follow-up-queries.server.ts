import type { RecoveryCounts } from "~/domain/follow-up-survey";
import { env } from "~/env.server";
import { type Database, type DatabaseKind, databaseKind } from "./client.server";

// Queries of closing the loop with detractors. FollowUp names its answer by id only (no relation in the schema),
// so the joins are SQL. A follow-up survey is the order's invitation of stage 'follow_up' (unique per shop, order
// and stage): two detractor answers of one order (purchase and delivery stage) share it. The SQL text is fixed per
// dialect; values go as parameters.

type CountValue = bigint | number | string | null;
const placeholders = (kind: DatabaseKind, count: number) =>
  Array.from({ length: count }, (_, index) => (kind === "postgresql" ? `$${index + 1}` : "?"));

export interface DueFollowUpSurvey {
  followUpId: string;
  orderId: string;
  customerId: string | null;
  /** The invitation the detractor answered: its order facts and name are copied onto the follow-up survey. */
  invitationId: string;
}

/** Shops that have follow-ups resolved at or before `resolvedBefore` (their settings decide the rest). */
export async function shopsWithResolvedFollowUps(
  database: Database,
  resolvedBefore: Date,
): Promise<string[]> {
  const rows = await database.followUp.findMany({
    where: { status: "resolved", resolvedAt: { lte: resolvedBefore } },
    distinct: ["shopDomain"],
    select: { shopDomain: true },
  });
  return rows.map((row) => row.shopDomain);
}

/**
 * A shop's follow-ups resolved at or before `resolvedBefore` whose order has no follow-up survey yet, oldest
 * resolution first. Follow-ups opened by a follow-up survey's own answer never get another one, nor do those of a
 * redacted customer (customers/redact removes the order facts from their invitations).
 */
export async function dueFollowUpSurveys(
  database: Database,
  shopDomain: string,
  resolvedBefore: Date,
  limit: number,
  kind = databaseKind(env().DATABASE_URL),
): Promise<DueFollowUpSurvey[]> {
  const [shop, before, take] = placeholders(kind, 3);
  const sql = `SELECT f."id" AS "followUpId", r."orderId" AS "orderId", r."customerId" AS "customerId",
      r."invitationId" AS "invitationId"
    FROM "FollowUp" f
    JOIN "Response" r ON r."id" = f."responseId" AND r."shopDomain" = f."shopDomain"
    JOIN "Invitation" o ON o."id" = r."invitationId" AND o."shopDomain" = r."shopDomain"
    WHERE f."shopDomain" = ${shop} AND f."status" = 'resolved' AND f."resolvedAt" <= ${before}
      AND r."stage" <> 'follow_up' AND o."orderFacts" IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM "Invitation" i
        WHERE i."shopDomain" = r."shopDomain" AND i."orderId" = r."orderId" AND i."stage" = 'follow_up'
      )
    ORDER BY f."resolvedAt", f."id"
    LIMIT ${take}`;
  return database.$queryRawUnsafe<DueFollowUpSurvey[]>(sql, shopDomain, resolvedBefore, limit);
}

/**
 * Resolved detractor cases asked again, per follow-up survey: its answer's category, and the change from the
 * detractor score(s) of the order (averaged when both stages of one order were detractors), averaged in SQL.
 */
export async function recoveryCounts(
  database: Database,
  shopDomain: string,
  kind = databaseKind(env().DATABASE_URL),
): Promise<RecoveryCounts> {
  const [shop] = placeholders(kind, 1);
  const sql = `SELECT COUNT(*) AS "asked", COUNT(a."id") AS "answered",
      SUM(CASE WHEN a."category" = 'promoter' THEN 1 ELSE 0 END) AS "promoters",
      SUM(CASE WHEN a."category" = 'passive' THEN 1 ELSE 0 END) AS "passives",
      SUM(CASE WHEN a."category" = 'detractor' THEN 1 ELSE 0 END) AS "detractors",
      CAST(AVG(a."score" - d."before") AS DOUBLE PRECISION) AS "averageScoreChange"
    FROM (
      SELECT r."shopDomain" AS "shopDomain", r."orderId" AS "orderId",
        CAST(AVG(r."score") AS DOUBLE PRECISION) AS "before"
      FROM "FollowUp" f
      JOIN "Response" r ON r."id" = f."responseId" AND r."shopDomain" = f."shopDomain"
      WHERE f."shopDomain" = ${shop} AND f."status" = 'resolved' AND r."stage" <> 'follow_up'
      GROUP BY r."shopDomain", r."orderId"
    ) d
    JOIN "Invitation" i ON i."shopDomain" = d."shopDomain" AND i."orderId" = d."orderId" AND i."stage" = 'follow_up'
    LEFT JOIN "Response" a ON a."invitationId" = i."id" AND a."status" = 'confirmed'`;
  const [row] = await database.$queryRawUnsafe<Record<keyof RecoveryCounts, CountValue>[]>(sql, shopDomain);
  const count = (value: CountValue | undefined) => Number(value ?? 0);
  return {
    asked: count(row?.asked),
    answered: count(row?.answered),
    promoters: count(row?.promoters),
    passives: count(row?.passives),
    detractors: count(row?.detractors),
    averageScoreChange:
      row?.averageScoreChange === null || row?.averageScoreChange === undefined
        ? null
        : Number(row.averageScoreChange),
  };
}
