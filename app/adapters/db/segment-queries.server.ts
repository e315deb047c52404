import { env } from "~/env.server";
import { type Database, type DatabaseKind, databaseKind } from "./client.server";

// Segment counts that Prisma's groupBy cannot express: bands of a number (CASE), the time from invitation to
// fulfillment (a join with date arithmetic per dialect) and products (a JSON array inside Invitation.orderFacts).
// Only confirmed answers of one shop in [from, to) count. The SQL text depends only on the dialect and on
// numbers checked here (no caller text); the shop and the dates go as parameters.

export interface CountsRow {
  promoters: number;
  passives: number;
  detractors: number;
}

/** Answers per band: `band` is the band's position (0 = below the first boundary), null when the value is unknown. */
export interface BandCountsRow extends CountsRow {
  band: number | null;
}

export interface ProductCountsRow extends CountsRow {
  productId: string;
  responses: number;
}

type CountValue = bigint | number | string | null;
type RawCounts = { promoters: CountValue; passives: CountValue; detractors: CountValue };
type Range = { from: Date; to: Date };

const DAY_MS = 86_400_000;

function countsSql(alias: string): string {
  const category = `${alias}."category"`;
  return `SUM(CASE WHEN ${category} = 'promoter' THEN 1 ELSE 0 END) AS "promoters",
    SUM(CASE WHEN ${category} = 'passive' THEN 1 ELSE 0 END) AS "passives",
    SUM(CASE WHEN ${category} = 'detractor' THEN 1 ELSE 0 END) AS "detractors"`;
}

function answersWhere(kind: DatabaseKind, alias: string): string {
  const [shop, from, to] = kind === "postgresql" ? ["$1", "$2", "$3"] : ["?", "?", "?"];
  return `${alias}."shopDomain" = ${shop} AND ${alias}."status" = 'confirmed' AND ${alias}."stage" <> 'follow_up'
    AND ${alias}."createdAt" >= ${from} AND ${alias}."createdAt" < ${to}`;
}

function checkedBoundaries(boundaries: readonly number[]): number[] {
  boundaries.forEach((boundary, index) => {
    if (!Number.isFinite(boundary) || (index > 0 && boundary <= (boundaries[index - 1] ?? boundary))) {
      throw new RangeError("band boundaries must be finite numbers in ascending order");
    }
  });
  return [...boundaries];
}

/** CASE numbering the bands of `value`: 0 below the first boundary, …, boundaries.length at or above the last. */
function bandCase(value: string, boundaries: readonly number[]): string {
  const steps = checkedBoundaries(boundaries).map(
    (boundary, index) => `WHEN ${value} < ${boundary} THEN ${index}`,
  );
  return `CASE WHEN ${value} IS NULL THEN NULL ${steps.join(" ")} ELSE ${boundaries.length} END`;
}

function toCounts(row: RawCounts): CountsRow {
  return {
    promoters: Number(row.promoters ?? 0),
    passives: Number(row.passives ?? 0),
    detractors: Number(row.detractors ?? 0),
  };
}

function toBandRows(rows: (RawCounts & { band: CountValue })[]): BandCountsRow[] {
  return rows.map((row) => ({ band: row.band === null ? null : Number(row.band), ...toCounts(row) }));
}

/** Answers per band of a numeric order fact snapshotted on the answer. */
export async function countsByBand(
  database: Database,
  shopDomain: string,
  range: Range,
  column: "orderValue" | "itemCount",
  boundaries: readonly number[],
  kind = databaseKind(env().DATABASE_URL),
): Promise<BandCountsRow[]> {
  const sql = `SELECT ${bandCase(`r."${column}"`, boundaries)} AS "band", ${countsSql("r")}
    FROM "Response" r
    WHERE ${answersWhere(kind, "r")}
    GROUP BY 1`;
  const rows = await database.$queryRawUnsafe<(RawCounts & { band: CountValue })[]>(
    sql,
    shopDomain,
    range.from,
    range.to,
  );
  return toBandRows(rows);
}

/** Milliseconds from the invitation to the order's fulfillment; NULL while not fulfilled. */
const DELAY_MS: Record<DatabaseKind, string> = {
  // SQLite keeps DateTimes as ISO-8601 text; julianday is fractional days, rounded to whole milliseconds so that
  // exact boundaries are not lost to floating point.
  sqlite: `CAST(ROUND((julianday(i."fulfilledAt") - julianday(i."createdAt")) * ${DAY_MS}) AS INTEGER)`,
  postgresql: `(EXTRACT(EPOCH FROM (i."fulfilledAt" - i."createdAt")) * 1000)`,
};

/** Answers per band of days (of 24 h) from the invitation to the order's fulfillment; band null: not fulfilled. */
export async function countsByFulfillmentDelay(
  database: Database,
  shopDomain: string,
  range: Range,
  boundariesInDays: readonly number[],
  kind = databaseKind(env().DATABASE_URL),
): Promise<BandCountsRow[]> {
  const boundariesMs = checkedBoundaries(boundariesInDays).map((days) => Math.round(days * DAY_MS));
  const sql = `SELECT ${bandCase(DELAY_MS[kind], boundariesMs)} AS "band", ${countsSql("r")}
    FROM "Response" r
    JOIN "Invitation" i ON i."id" = r."invitationId" AND i."shopDomain" = r."shopDomain"
    WHERE ${answersWhere(kind, "r")}
    GROUP BY 1`;
  const rows = await database.$queryRawUnsafe<(RawCounts & { band: CountValue })[]>(
    sql,
    shopDomain,
    range.from,
    range.to,
  );
  return toBandRows(rows);
}

/** Each product id of the order's facts, one row per (answer, product). */
const PRODUCT_IDS: Record<DatabaseKind, string> = {
  sqlite: `json_each(CASE WHEN json_valid(i."orderFacts") THEN i."orderFacts" ELSE '{}' END, '$.productIds') p`,
  postgresql: `LATERAL jsonb_array_elements_text(
      CASE WHEN jsonb_typeof(i."orderFacts"::jsonb -> 'productIds') = 'array'
        THEN i."orderFacts"::jsonb -> 'productIds' ELSE '[]'::jsonb END
    ) AS p("value")`,
};

/**
 * The products answered about most: an answer counts once for each distinct product of its order (from
 * Invitation.orderFacts.productIds). Ties go to the smaller product id, as text.
 */
export async function countsByProduct(
  database: Database,
  shopDomain: string,
  range: Range,
  limit: number,
  kind = databaseKind(env().DATABASE_URL),
): Promise<ProductCountsRow[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError("limit must be 1–1000");
  const sql = `SELECT p."value" AS "productId", COUNT(*) AS "responses", ${countsSql("r")}
    FROM "Response" r
    JOIN "Invitation" i ON i."id" = r."invitationId" AND i."shopDomain" = r."shopDomain"
    CROSS JOIN ${PRODUCT_IDS[kind]}
    WHERE ${answersWhere(kind, "r")} AND i."orderFacts" IS NOT NULL
    GROUP BY p."value"
    ORDER BY COUNT(*) DESC, p."value" ASC
    LIMIT ${limit}`;
  const rows = await database.$queryRawUnsafe<(RawCounts & { productId: unknown; responses: CountValue })[]>(
    sql,
    shopDomain,
    range.from,
    range.to,
  );
  return rows.map((row) => ({
    productId: String(row.productId),
    responses: Number(row.responses ?? 0),
    ...toCounts(row),
  }));
}
