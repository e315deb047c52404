import { filterColumns, type ReportFilters } from "~/domain/report-filters";
import { env } from "~/env.server";
import { type Database, databaseKind } from "./client.server";

// Aggregates that need date arithmetic run as SQL in the database; the two dialects differ only in bucketing.
// The SQL text is fixed per dialect and bucket (no caller text in it); values go as parameters. Follow-up surveys
// of resolved detractors ('follow_up' stage) are not part of the shop's NPS (see reports.server.ts).
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

/**
 * The filters' clauses: column names come from the fixed filter list, text values go as parameters after the
 * first three; booleans are written as TRUE/FALSE, which both dialects read.
 */
function filterSql(kind: "sqlite" | "postgresql", filters: ReportFilters) {
  const params: string[] = [];
  const clauses = filterColumns(filters).map(({ column, value }) => {
    if (typeof value === "boolean") return ` AND "${column}" = ${value ? "TRUE" : "FALSE"}`;
    params.push(value);
    return ` AND "${column}" = ${kind === "postgresql" ? `$${3 + params.length}` : "?"}`;
  });
  return { sql: clauses.join(""), params };
}

function trendSql(kind: "sqlite" | "postgresql", bucket: TrendBucket, filters: string): string {
  if (kind === "postgresql") {
    return `SELECT to_char(date_trunc('${bucket}', "createdAt"), 'YYYY-MM-DD') AS "period", ${COUNTS}
      FROM "Response"
      WHERE "shopDomain" = $1 AND "status" = 'confirmed' AND "createdAt" >= $2 AND "createdAt" < $3
        AND "stage" <> 'follow_up'${filters}
      GROUP BY 1 ORDER BY 1`;
  }
  return `SELECT ${SQLITE_PERIOD[bucket]} AS "period", ${COUNTS}
    FROM "Response"
    WHERE "shopDomain" = ? AND "status" = 'confirmed' AND "createdAt" >= ? AND "createdAt" < ?
      AND "stage" <> 'follow_up'${filters}
    GROUP BY 1 ORDER BY 1`;
}

type CountValue = bigint | number | string | null;

export async function npsTrend(
  database: Database,
  shopDomain: string,
  range: { from: Date; to: Date },
  bucket: TrendBucket,
  filters: ReportFilters = {},
  kind = databaseKind(env().DATABASE_URL),
): Promise<TrendRow[]> {
  const filter = filterSql(kind, filters);
  const rows = await database.$queryRawUnsafe<
    { period: string; promoters: CountValue; passives: CountValue; detractors: CountValue }[]
  >(trendSql(kind, bucket, filter.sql), shopDomain, range.from, range.to, ...filter.params);
  return rows.map((row) => ({
    period: row.period,
    promoters: Number(row.promoters ?? 0),
    passives: Number(row.passives ?? 0),
    detractors: Number(row.detractors ?? 0),
  }));
}
