import { env } from "~/env.server";
import { type Database, databaseKind } from "./client.server";

// Aggregates that need date arithmetic run as SQL in the database; the two dialects differ only in bucketing.
// The SQL text is fixed per dialect and bucket (no caller text in it); values go as parameters.
export type TrendBucket = "day" | "week" | "month";

export interface TrendRow {
  period: string; // YYYY-MM-DD, the bucket's first day (weeks start on Monday), UTC
  promoters: number;
  passives: number;
  detractors: number;
}

const SQLITE_PERIOD: Record<TrendBucket, string> = {
  // SQLite keeps Prisma DateTimes as ISO-8601 text in UTC.
  day: `substr("createdAt", 1, 10)`,
  week: `date(substr("createdAt", 1, 10), '-6 days', 'weekday 1')`,
  month: `substr("createdAt", 1, 7) || '-01'`,
};

const COUNTS = `SUM(CASE WHEN "category" = 'promoter' THEN 1 ELSE 0 END) AS "promoters",
  SUM(CASE WHEN "category" = 'passive' THEN 1 ELSE 0 END) AS "passives",
  SUM(CASE WHEN "category" = 'detractor' THEN 1 ELSE 0 END) AS "detractors"`;

function trendSql(kind: "sqlite" | "postgresql", bucket: TrendBucket): string {
  if (kind === "postgresql") {
    return `SELECT to_char(date_trunc('${bucket}', "createdAt"), 'YYYY-MM-DD') AS "period", ${COUNTS}
      FROM "Response"
      WHERE "shopDomain" = $1 AND "status" = 'confirmed' AND "createdAt" >= $2 AND "createdAt" < $3
      GROUP BY 1 ORDER BY 1`;
  }
  return `SELECT ${SQLITE_PERIOD[bucket]} AS "period", ${COUNTS}
    FROM "Response"
    WHERE "shopDomain" = ? AND "status" = 'confirmed' AND "createdAt" >= ? AND "createdAt" < ?
    GROUP BY 1 ORDER BY 1`;
}

type CountValue = bigint | number | string | null;

export async function npsTrend(
  database: Database,
  shopDomain: string,
  range: { from: Date; to: Date },
  bucket: TrendBucket,
  kind = databaseKind(env().DATABASE_URL),
): Promise<TrendRow[]> {
  const rows = await database.$queryRawUnsafe<
    { period: string; promoters: CountValue; passives: CountValue; detractors: CountValue }[]
  >(trendSql(kind, bucket), shopDomain, range.from, range.to);
  return rows.map((row) => ({
    period: row.period,
    promoters: Number(row.promoters ?? 0),
    passives: Number(row.passives ?? 0),
    detractors: Number(row.detractors ?? 0),
  }));
}
