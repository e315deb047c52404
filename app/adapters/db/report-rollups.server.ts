import type { Prisma } from "@prisma/client";
import { type Band, FULFILLMENT_DELAY_BANDS, ITEM_COUNT_BANDS, ORDER_VALUE_BANDS } from "~/domain/drivers";
import { FOLLOW_UP_STAGE } from "~/domain/follow-up-survey";
import { env } from "~/env.server";
import { REPEAT_WINDOWS_DAYS } from "./campaign-queries.server";
import { type DatabaseKind, databaseKind } from "./client.server";

// Daily rollups of confirmed answers, so that reports over a year of a large shop read a few thousand rows instead
// of every answer. Three tables, all keyed by shop and UTC day (YYYY-MM-DD of the answer's createdAt):
//   ResponseDailyRollup  per stage, channel, language and new/returning customer: answers per score, CSAT, CES sums
//   SegmentDailyRollup   per segment of each order fact the segments page splits by (products included)
//   RepeatDailyRollup    per category: answers of known customers, and those who ordered again within 30/60/90 days
// (InvitationDailyRollup, the invitations per day, stage and status, is kept by database triggers: see its model.)
// A "cell" is one row's worth of counts. The cells of any set of answers are computed here by the same SQL that
// defines the figures (the same CASEs, joins and day as the raw report queries), so keeping the tables exact is
// additive: a confirmation adds the answer's cells (countConfirmedAnswer); any other change to confirmed answers, or
// to the invitations they are counted by, takes the cells of the answers it can move out before it and puts them
// back after it (beginRecount … end, recountAnswers), in the same transaction.
// Band keys are written into the rows: changing a band in app/domain/drivers.ts needs a migration that fills the
// rollups again (rebuildRollupsSql).

type Sql = Pick<Prisma.TransactionClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

/** Confirmed answers of a shop with any of these ids, or of these customers, or to these orders. */
export interface AnswerSelection {
  responseIds?: readonly string[];
  customerIds?: readonly string[];
  orderIds?: readonly string[];
}

/** Confirmed answers given in [from, to). */
export interface AnswerRange {
  from: Date;
  to: Date;
}

type Selection = { responseIds: readonly string[] } | AnswerRange;

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly kind: DatabaseKind) {}
  /** The placeholder of a new parameter; SQLite's `?` are positional, so call this in the order of the text. */
  add(value: unknown): string {
    this.values.push(value);
    return this.kind === "postgresql" ? `$${this.values.length}` : "?";
  }
  list(values: readonly unknown[]): string {
    return values.map((value) => this.add(value)).join(", ");
  }
}

const DAY_MS = 86_400_000;

function daySql(kind: DatabaseKind, column: string): string {
  // SQLite keeps Prisma DateTimes as ISO-8601 text in UTC; PostgreSQL's timestamp(3) columns hold UTC.
  return kind === "postgresql" ? `to_char(${column}, 'YYYY-MM-DD')` : `substr(${column}, 1, 10)`;
}

const isRange = (selection: Selection): selection is AnswerRange => "from" in selection;

function isEmpty(selection: Selection): boolean {
  return isRange(selection) ? selection.from >= selection.to : selection.responseIds.length === 0;
}

// Follow-up surveys of resolved detractors are not part of the shop's figures (see reports.server.ts).
const COUNTED = `r."status" = 'confirmed' AND r."stage" <> '${FOLLOW_UP_STAGE.replace(/[^a-z_]/g, "")}'`;

/** null shop: every shop's answers (the migration that fills the rollups). */
function answersWhere(params: Params, shopDomain: string | null, selection: Selection): string {
  const shop = shopDomain === null ? COUNTED : `r."shopDomain" = ${params.add(shopDomain)} AND ${COUNTED}`;
  if (isRange(selection)) {
    return `${shop} AND r."createdAt" >= ${params.add(selection.from)} AND r."createdAt" < ${params.add(selection.to)}`;
  }
  return `${shop} AND r."id" IN (${params.list(selection.responseIds)})`;
}

function sumWhen(condition: string, sign: number): string {
  return `${sign} * SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

const categorySums = (alias: string, sign: number) =>
  `${sumWhen(`${alias}."category" = 'promoter'`, sign)} AS "promoters",
    ${sumWhen(`${alias}."category" = 'passive'`, sign)} AS "passives",
    ${sumWhen(`${alias}."category" = 'detractor'`, sign)} AS "detractors"`;

// ── the dashboard's cells ────────────────────────────────────────────────────────────────────────────────────

export const SCORE_COLUMNS = [
  "score0",
  "score1",
  "score2",
  "score3",
  "score4",
  "score5",
  "score6",
  "score7",
  "score8",
  "score9",
  "score10",
] as const;
const DASHBOARD_KEY = ["shopDomain", "day", "stage", "channel", "locale", "customer"] as const;
const DASHBOARD_VALUES = [...SCORE_COLUMNS, "csatSum", "csatCount", "cesSum", "cesCount"] as const;

function dashboardCellsSql(
  kind: DatabaseKind,
  params: Params,
  shop: string | null,
  selection: Selection,
  sign = 1,
) {
  const scores = SCORE_COLUMNS.map(
    (column, score) => `${sumWhen(`r."score" = ${score}`, sign)} AS "${column}"`,
  );
  return `SELECT r."shopDomain" AS "shopDomain", ${daySql(kind, `r."createdAt"`)} AS "day", r."stage" AS "stage",
      r."channel" AS "channel", r."locale" AS "locale",
      CASE WHEN r."returningCustomer" IS NULL THEN 'unknown' WHEN r."returningCustomer" THEN 'returning'
        ELSE 'new' END AS "customer",
      ${scores.join(", ")},
      ${sign} * COALESCE(SUM(r."csat"), 0) AS "csatSum", ${sign} * COUNT(r."csat") AS "csatCount",
      ${sign} * COALESCE(SUM(r."ces"), 0) AS "cesSum", ${sign} * COUNT(r."ces") AS "cesCount"
    FROM "Response" r
    WHERE ${answersWhere(params, shop, selection)}
    GROUP BY 1, 2, 3, 4, 5, 6`;
}

// ── the segments' cells ──────────────────────────────────────────────────────────────────────────────────────

export const SEGMENT_DIMENSIONS = [
  "customer",
  "discount",
  "salesChannel",
  "country",
  "currency",
  "orderValue",
  "itemCount",
  "fulfillmentDelay",
  "product",
] as const;
export type SegmentRollupDimension = (typeof SEGMENT_DIMENSIONS)[number];
const SEGMENT_KEY = ["shopDomain", "day", "dimension", "known", "segment"] as const;
const SEGMENT_VALUES = ["promoters", "passives", "detractors", "responses"] as const;

/** CASE naming the band of `value` (null when unknown); band keys are checked, numbers are numbers. */
function bandKeySql(value: string, bands: readonly Band[], scale = 1): string {
  const steps = bands.slice(1).map((band, index) => {
    const key = bands[index]?.key ?? "";
    if (band.from === null || !Number.isFinite(band.from) || !/^[a-z0-9_]+$/.test(key)) {
      throw new RangeError(`band ${band.key} cannot be written as SQL`);
    }
    return `WHEN ${value} < ${band.from * scale} THEN '${key}'`;
  });
  const last = bands[bands.length - 1]?.key ?? "";
  if (!/^[a-z0-9_]+$/.test(last)) throw new RangeError(`band ${last} cannot be written as SQL`);
  return `CASE WHEN ${value} IS NULL THEN NULL ${steps.join(" ")} ELSE '${last}' END`;
}

/** Milliseconds from the invitation to the order's fulfillment (as segment-queries.server.ts counts them). */
const DELAY_MS: Record<DatabaseKind, string> = {
  sqlite: `CAST(ROUND((julianday(a."fulfilledAt") - julianday(a."invitedAt")) * ${DAY_MS}) AS INTEGER)`,
  postgresql: `(EXTRACT(EPOCH FROM (a."fulfilledAt" - a."invitedAt")) * 1000)`,
};

const PRODUCT_IDS: Record<DatabaseKind, string> = {
  sqlite: `json_each(CASE WHEN json_valid(a."orderFacts") THEN a."orderFacts" ELSE '{}' END, '$.productIds') p`,
  postgresql: `LATERAL jsonb_array_elements_text(
      CASE WHEN jsonb_typeof(a."orderFacts"::jsonb -> 'productIds') = 'array'
        THEN a."orderFacts"::jsonb -> 'productIds' ELSE '[]'::jsonb END
    ) AS p("value")`,
};

/**
 * The selected answers with the facts of their invitations, read once for every dimension (materialized: each
 * dimension groups the same rows).
 */
function segmentAnswersSql(params: Params, shop: string | null, selection: Selection, day: string): string {
  return `"a" AS MATERIALIZED (
      SELECT r."shopDomain" AS "shopDomain", ${day} AS "day", r."category" AS "category",
        r."returningCustomer" AS "returningCustomer", r."discountUsed" AS "discountUsed",
        r."salesChannel" AS "salesChannel", r."countryCode" AS "countryCode", r."currencyCode" AS "currencyCode",
        r."orderValue" AS "orderValue", r."itemCount" AS "itemCount", i."id" AS "invitationId",
        i."createdAt" AS "invitedAt", i."fulfilledAt" AS "fulfilledAt", i."orderFacts" AS "orderFacts"
      FROM "Response" r
      LEFT JOIN "Invitation" i ON i."id" = r."invitationId" AND i."shopDomain" = r."shopDomain"
      WHERE ${answersWhere(params, shop, selection)}
    )`;
}

/** Product cells of the answers in "a": one per product id in the order's facts. */
const productCellsSql = (kind: DatabaseKind, sign: number) =>
  `SELECT a."shopDomain" AS "shopDomain", a."day" AS "day", 'product' AS "dimension", p."value" AS "key",
      ${categorySums("a", sign)}
    FROM "a" CROSS JOIN ${PRODUCT_IDS[kind]}
    WHERE a."orderFacts" IS NOT NULL
    GROUP BY 1, 2, 4`;

const knownSql = (kind: DatabaseKind) =>
  kind === "postgresql" ? `("key" IS NOT NULL)` : `CASE WHEN "key" IS NULL THEN 0 ELSE 1 END`;

function segmentCellsSql(
  kind: DatabaseKind,
  params: Params,
  shop: string | null,
  selection: Selection,
  sign = 1,
  products = true,
) {
  const fromAnswers = (dimension: SegmentRollupDimension, key: string, where = "") =>
    `SELECT a."shopDomain" AS "shopDomain", a."day" AS "day", '${dimension}' AS "dimension", ${key} AS "key",
        ${categorySums("a", sign)}
      FROM "a"${where}
      GROUP BY 1, 2, 4`;
  const parts = [
    fromAnswers(
      "customer",
      `CASE WHEN a."returningCustomer" IS NULL THEN NULL WHEN a."returningCustomer" THEN 'returning' ELSE 'new' END`,
    ),
    fromAnswers(
      "discount",
      `CASE WHEN a."discountUsed" IS NULL THEN NULL WHEN a."discountUsed" THEN 'with' ELSE 'without' END`,
    ),
    fromAnswers("salesChannel", `a."salesChannel"`),
    fromAnswers("country", `a."countryCode"`),
    fromAnswers("currency", `a."currencyCode"`),
    fromAnswers("orderValue", bandKeySql(`a."orderValue"`, ORDER_VALUE_BANDS)),
    fromAnswers("itemCount", bandKeySql(`a."itemCount"`, ITEM_COUNT_BANDS)),
    // an answer without an invitation has no fulfillment to count from: it is in no delay segment, not unknown
    fromAnswers(
      "fulfillmentDelay",
      bandKeySql(DELAY_MS[kind], FULFILLMENT_DELAY_BANDS, DAY_MS),
      ` WHERE a."invitationId" IS NOT NULL`,
    ),
    ...(products ? [productCellsSql(kind, sign)] : []),
  ];
  return `WITH ${segmentAnswersSql(params, shop, selection, daySql(kind, `r."createdAt"`))}
    SELECT "shopDomain", "day", "dimension", ${knownSql(kind)} AS "known", COALESCE("key", '') AS "segment",
      "promoters", "passives", "detractors", "promoters" + "passives" + "detractors" AS "responses"
    FROM (${parts.join("\n UNION ALL \n")}) AS cells`;
}

// ── the repeat purchases' cells ──────────────────────────────────────────────────────────────────────────────

const REPEAT_KEY = ["shopDomain", "day", "category"] as const;
const REPEAT_VALUES = ["answers", ...REPEAT_WINDOWS_DAYS.map((days) => `repeat${days}` as const)] as const;

function withinDays(kind: DatabaseKind, days: number): string {
  // The same comparison as campaign-queries.server.ts, against the first later order of the customer.
  return kind === "postgresql"
    ? `"nextOrderAt" <= "createdAt" + interval '${days} days'`
    : `julianday("nextOrderAt") - julianday("createdAt") <= ${days}`;
}

// Keeps the planner from merging the answers' subquery into the outer one: merged, "nextOrderAt" is replaced by its
// correlated subquery wherever it is named, and that lookup ran seven times an answer instead of once.
const KEEP_SUBQUERY: Record<DatabaseKind, string> = { postgresql: "OFFSET 0", sqlite: "LIMIT -1" };

function repeatCellsSql(
  kind: DatabaseKind,
  params: Params,
  shop: string | null,
  selection: Selection,
  sign = 1,
) {
  const windows = REPEAT_WINDOWS_DAYS.map(
    (days) =>
      `${sumWhen(`"nextOrderAt" IS NOT NULL AND ${withinDays(kind, days)}`, sign)} AS "repeat${days}"`,
  );
  return `SELECT "shopDomain", "day", "category", ${sign} * COUNT(*) AS "answers", ${windows.join(", ")}
    FROM (
      SELECT r."shopDomain" AS "shopDomain", ${daySql(kind, `r."createdAt"`)} AS "day", r."category" AS "category",
        r."createdAt" AS "createdAt",
        (SELECT MIN(i."createdAt") FROM "Invitation" i
          WHERE i."shopDomain" = r."shopDomain" AND i."customerId" = r."customerId" AND i."orderId" <> r."orderId"
            AND i."createdAt" > r."createdAt" AND i."stage" <> '${FOLLOW_UP_STAGE.replace(/[^a-z_]/g, "")}')
          AS "nextOrderAt"
      FROM "Response" r
      WHERE ${answersWhere(params, shop, selection)} AND r."customerId" IS NOT NULL
      ${KEEP_SUBQUERY[kind]}
    ) AS answered
    GROUP BY 1, 2, 3`;
}

// ── keeping the tables ───────────────────────────────────────────────────────────────────────────────────────

interface RollupTable {
  table: string;
  key: readonly string[];
  values: readonly string[];
  cells(kind: DatabaseKind, params: Params, shop: string | null, selection: Selection, sign?: number): string;
}

const TABLES: RollupTable[] = [
  { table: "ResponseDailyRollup", key: DASHBOARD_KEY, values: DASHBOARD_VALUES, cells: dashboardCellsSql },
  { table: "SegmentDailyRollup", key: SEGMENT_KEY, values: SEGMENT_VALUES, cells: segmentCellsSql },
  { table: "RepeatDailyRollup", key: REPEAT_KEY, values: REPEAT_VALUES, cells: repeatCellsSql },
];

function upsertSql(target: RollupTable, cells: string): string {
  const columns = [...target.key, ...target.values].map((column) => `"${column}"`).join(", ");
  const increments = target.values
    .map((column) => `"${column}" = "${target.table}"."${column}" + excluded."${column}"`)
    .join(", ");
  // "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
  return `INSERT INTO "${target.table}" (${columns})
    SELECT ${columns} FROM (${cells}) AS cells WHERE true
    ON CONFLICT (${target.key.map((column) => `"${column}"`).join(", ")}) DO UPDATE SET ${increments}`;
}

/** Adds (sign 1) or subtracts (sign −1) the cells of the selected confirmed answers to the three rollups. */
async function addToRollups(
  tx: Sql,
  shopDomain: string,
  selection: Selection,
  sign: 1 | -1,
  kind: DatabaseKind,
): Promise<void> {
  if (isEmpty(selection)) return;
  for (const target of TABLES) {
    const params = new Params(kind);
    const sql = upsertSql(target, target.cells(kind, params, shopDomain, selection, sign));
    await tx.$executeRawUnsafe(sql, ...params.values);
  }
}

/** A confirmed answer starts counting: call it in the confirming transaction, once the answer is confirmed. */
export async function countConfirmedAnswer(
  tx: Sql,
  shopDomain: string,
  responseId: string,
  kind = databaseKind(env().DATABASE_URL),
): Promise<void> {
  // The answer's row is locked by its confirmation, its invitation's by the answer (or by the order's facts) and its
  // customer's profile by confirmResponse: a concurrent recount of the same answer waits (see answerIds).
  await addToRollups(tx, shopDomain, { responseIds: [responseId] }, 1, kind);
}

/**
 * The ids of the selected answers that count. On PostgreSQL, where transactions run side by side, the rows their
 * cells depend on are locked first — the customers' profiles (which every answer confirmation and order of the
 * customer locks too), the orders' invitations, then the answers themselves — so that two transactions never
 * recount the same answer from the same stale state. SQLite has one writer at a time.
 */
async function answerIds(tx: Sql, shopDomain: string, selection: AnswerSelection, kind: DatabaseKind) {
  const locking = kind === "postgresql";
  const { responseIds = [], customerIds = [], orderIds = [] } = selection;
  if (locking && customerIds.length > 0) {
    const params = new Params(kind);
    await tx.$queryRawUnsafe(
      `SELECT 1 AS "locked" FROM "CustomerProfile"
        WHERE "shopDomain" = ${params.add(shopDomain)} AND "customerId" IN (${params.list(customerIds)})
        ORDER BY "customerId" FOR UPDATE`,
      ...params.values,
    );
  }
  if (locking && orderIds.length > 0) {
    const params = new Params(kind);
    await tx.$queryRawUnsafe(
      `SELECT 1 AS "locked" FROM "Invitation"
        WHERE "shopDomain" = ${params.add(shopDomain)} AND "orderId" IN (${params.list(orderIds)})
        ORDER BY "id" FOR UPDATE`,
      ...params.values,
    );
  }
  const params = new Params(kind);
  const parts: string[] = [];
  if (responseIds.length > 0) {
    parts.push(`SELECT a."id" FROM "Response" a
      WHERE a."shopDomain" = ${params.add(shopDomain)} AND a."id" IN (${params.list(responseIds)})`);
  }
  if (customerIds.length > 0) {
    parts.push(`SELECT c."id" FROM "Response" c
      WHERE c."shopDomain" = ${params.add(shopDomain)} AND c."customerId" IN (${params.list(customerIds)})`);
  }
  if (orderIds.length > 0) {
    parts.push(`SELECT o."id" FROM "Invitation" i JOIN "Response" o ON o."invitationId" = i."id"
      WHERE i."shopDomain" = ${params.add(shopDomain)} AND i."orderId" IN (${params.list(orderIds)})`);
  }
  if (parts.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT r."id" AS "id" FROM "Response" r
      WHERE r."id" IN (${parts.join(" UNION ALL ")}) AND r."shopDomain" = ${params.add(shopDomain)} AND ${COUNTED}
      ORDER BY r."id"${locking ? " FOR UPDATE" : ""}`,
    ...params.values,
  );
  return rows.map((row) => row.id);
}

/**
 * Takes the cells of the selected confirmed answers out of the rollups; `end()` puts the same answers' cells back
 * as they are then. Between the two, in the caller's transaction, the caller changes the answers or the
 * invitations they are counted by. The selection must hold every confirmed answer whose figures the change can
 * move; answers the change confirms are counted by countConfirmedAnswer, not here.
 */
export async function beginRecount(
  tx: Sql,
  shopDomain: string,
  selection: AnswerSelection,
  kind = databaseKind(env().DATABASE_URL),
): Promise<{ end(): Promise<void> }> {
  const counted = { responseIds: await answerIds(tx, shopDomain, selection, kind) };
  await addToRollups(tx, shopDomain, counted, -1, kind);
  return { end: () => addToRollups(tx, shopDomain, counted, 1, kind) };
}

/** beginRecount, `change`, end. */
export async function recountAnswers<T>(
  tx: Sql,
  shopDomain: string,
  selection: AnswerSelection,
  change: () => Promise<T>,
  kind = databaseKind(env().DATABASE_URL),
): Promise<T> {
  const recount = await beginRecount(tx, shopDomain, selection, kind);
  const result = await change();
  await recount.end();
  return result;
}

/**
 * The SQL that fills the rollups from every shop's confirmed answers (a migration's, when the tables are new or a
 * band changed); a statement per table, no parameters.
 */
export function rebuildRollupsSql(kind: DatabaseKind): string[] {
  const everything = { from: new Date(0), to: new Date("9999-12-31T00:00:00Z") };
  return TABLES.flatMap((target) => {
    const params = new Params(kind);
    const cells = target.cells(kind, params, null, everything, 1);
    const bound = params.values.map((value) =>
      value instanceof Date
        ? `'${kind === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value.toISOString()}'`
        : String(value),
    );
    let index = 0;
    const inlined =
      kind === "postgresql"
        ? cells.replace(/\$(\d+)/g, (_, n: string) => bound[Number(n) - 1] ?? "NULL")
        : cells.replace(/\?/g, () => bound[index++] ?? "NULL");
    return [`DELETE FROM "${target.table}"`, upsertSql(target, inlined)];
  });
}

// ── reading ──────────────────────────────────────────────────────────────────────────────────────────────────

type Raw = bigint | number | string | boolean | null | undefined;
const toNumber = (value: Raw) => Number(value ?? 0);

export interface DashboardCell {
  day: string;
  stage: string;
  channel: string;
  locale: string;
  customer: string;
  scores: number[];
  csatSum: number;
  csatCount: number;
  cesSum: number;
  cesCount: number;
}

/** The dashboard's cells of answers given in [from, to), counted from the answers (for the range's partial days). */
export async function dashboardCellsOf(
  database: Sql,
  shopDomain: string,
  range: AnswerRange,
  kind = databaseKind(env().DATABASE_URL),
): Promise<DashboardCell[]> {
  if (isEmpty(range)) return [];
  const params = new Params(kind);
  const rows = await database.$queryRawUnsafe<Record<string, Raw>[]>(
    dashboardCellsSql(kind, params, shopDomain, range),
    ...params.values,
  );
  return rows.map((row) => ({
    day: String(row.day),
    stage: String(row.stage),
    channel: String(row.channel),
    locale: String(row.locale),
    customer: String(row.customer),
    scores: SCORE_COLUMNS.map((column) => toNumber(row[column])),
    csatSum: toNumber(row.csatSum),
    csatCount: toNumber(row.csatCount),
    cesSum: toNumber(row.cesSum),
    cesCount: toNumber(row.cesCount),
  }));
}

export interface SegmentCell {
  day: string;
  dimension: SegmentRollupDimension;
  /** null: the fact is unknown for these answers. */
  segment: string | null;
  promoters: number;
  passives: number;
  detractors: number;
}

function toSegmentCell(row: Record<string, Raw>): SegmentCell {
  const known = row.known === true || row.known === 1 || row.known === 1n || row.known === "1";
  return {
    day: String(row.day),
    dimension: String(row.dimension) as SegmentRollupDimension,
    segment: known ? String(row.segment) : null,
    promoters: toNumber(row.promoters),
    passives: toNumber(row.passives),
    detractors: toNumber(row.detractors),
  };
}

/** The segment cells of answers given in [from, to); `products: false` leaves the product cells out. */
export async function segmentCellsOf(
  database: Sql,
  shopDomain: string,
  range: AnswerRange,
  {
    products = true,
    kind = databaseKind(env().DATABASE_URL),
  }: { products?: boolean; kind?: DatabaseKind } = {},
): Promise<SegmentCell[]> {
  if (isEmpty(range)) return [];
  const params = new Params(kind);
  const rows = await database.$queryRawUnsafe<Record<string, Raw>[]>(
    segmentCellsSql(kind, params, shopDomain, range, 1, products),
    ...params.values,
  );
  return rows.map(toSegmentCell);
}

export interface ProductTotals {
  segment: string;
  promoters: number;
  passives: number;
  detractors: number;
}

/**
 * The `limit` products with most confirmed answers: whole days [fromDay, toDay) from the rollup, the partial days
 * from the answers, summed and ranked in one statement (most answers first; ties: the smaller id, compared as
 * bytes as JavaScript compares them).
 */
export async function topProductsOf(
  database: Sql,
  shopDomain: string,
  days: { fromDay: string; toDay: string } | null,
  partial: readonly AnswerRange[],
  limit: number,
  kind = databaseKind(env().DATABASE_URL),
): Promise<ProductTotals[]> {
  const params = new Params(kind);
  const sources: string[] = [];
  if (days) {
    sources.push(`SELECT "segment", "promoters", "passives", "detractors", "responses" FROM "SegmentDailyRollup"
      WHERE "shopDomain" = ${params.add(shopDomain)} AND "dimension" = 'product'
        AND "known" = ${kind === "postgresql" ? "true" : "1"}
        AND "day" >= ${params.add(days.fromDay)} AND "day" < ${params.add(days.toDay)}`);
  }
  for (const range of partial.filter((slice) => !isEmpty(slice))) {
    sources.push(`SELECT * FROM (WITH ${segmentAnswersSql(params, shopDomain, range, daySql(kind, `r."createdAt"`))}
      SELECT "key" AS "segment", "promoters", "passives", "detractors",
        "promoters" + "passives" + "detractors" AS "responses"
      FROM (${productCellsSql(kind, 1)}) AS cells) AS answered`);
  }
  if (sources.length === 0 || limit <= 0) return [];
  const bytes = kind === "postgresql" ? ` COLLATE "C"` : "";
  const rows = await database.$queryRawUnsafe<Record<string, Raw>[]>(
    `SELECT "segment", SUM("promoters") AS "promoters", SUM("passives") AS "passives",
        SUM("detractors") AS "detractors"
      FROM (${sources.join("\n UNION ALL \n")}) AS products
      GROUP BY "segment"
      HAVING SUM("responses") > 0
      ORDER BY SUM("responses") DESC, "segment"${bytes}
      LIMIT ${params.add(limit)}`,
    ...params.values,
  );
  return rows.map((row) => ({
    segment: String(row.segment),
    promoters: toNumber(row.promoters),
    passives: toNumber(row.passives),
    detractors: toNumber(row.detractors),
  }));
}

export interface RepeatCell {
  day: string;
  category: string;
  answers: number;
  repeaters: Record<(typeof REPEAT_WINDOWS_DAYS)[number], number>;
}

function toRepeatCell(row: Record<string, Raw>): RepeatCell {
  return {
    day: String(row.day),
    category: String(row.category),
    answers: toNumber(row.answers),
    repeaters: { 30: toNumber(row.repeat30), 60: toNumber(row.repeat60), 90: toNumber(row.repeat90) },
  };
}

export async function repeatCellsOf(
  database: Sql,
  shopDomain: string,
  range: AnswerRange,
  kind = databaseKind(env().DATABASE_URL),
): Promise<RepeatCell[]> {
  if (isEmpty(range)) return [];
  const params = new Params(kind);
  const rows = await database.$queryRawUnsafe<Record<string, Raw>[]>(
    repeatCellsSql(kind, params, shopDomain, range),
    ...params.values,
  );
  return rows.map(toRepeatCell);
}
