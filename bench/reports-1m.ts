import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import Sqlite from "better-sqlite3";
import pg from "pg";
import {
  type BenchDatabase,
  type BenchRow,
  freshBenchDatabase,
  percentile,
  applyBenchAppEnv,
} from "./webhook-ingest";

// Admin reports over 1,000,000 answers: the dashboard loader (dashboardReport + repeat purchases + unconfirmed
// counts, as app/routes/app._index.tsx calls them) and the segments loader (segmentReport), through the real Prisma
// client, against hand-written raw SQL of the same figures over the answers table (better-sqlite3 / pg directly,
// no rollups; on PostgreSQL its queries run side by side on a pool of 10, as Prisma's do). Both answers are
// compared: a row whose figures differ is WRONG.
// The data: one shop with 1,000,000 confirmed answers (and 1,250,000 invitations: every fifth order unanswered)
// over 400 days, plus 100,000 answers of a second shop, seeded set-based (a recursive CTE on SQLite,
// generate_series on PostgreSQL). Each database kind runs in its own process (the app reads its database kind
// from DATABASE_URL once).
// The rollups of the seeded answers are filled by the SQL of the migration that made them (rebuildRollupsSql).
// `npx tsx bench/reports-1m.ts` (BENCH_REPORT_RESPONSES=1000000, BENCH_REPORT_RUNS=15, BENCH_REPORT_RAW_RUNS=5;
// BENCH_REPORT_KEEP=1 keeps the seeded databases and prints where).

const RESPONSES = Number(process.env.BENCH_REPORT_RESPONSES ?? 1_000_000);
const OTHER_SHOP_RESPONSES = Math.round(RESPONSES / 10);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 15);
// Raw SQL over a year of answers takes seconds a run (the repeat purchases look up every answer's next order).
const RAW_RUNS = Math.min(RUNS, Number(process.env.BENCH_REPORT_RAW_RUNS ?? 5));
const GOAL_RATIO = 1.5;
const GOAL_MS = 300;
const SHOP = "nps-bench.myshopify.com";
const OTHER_SHOP = "nps-bench-other.myshopify.com";
const DAY_MS = 86_400_000;
const SEED_DAYS = 400;
const CHILD_MARKER = "BENCH_ROWS ";

type Kind = "sqlite" | "postgresql";

// ── seed ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Multipliers of Lehmer generators modulo 2^31 − 1: `(n × M + salt) mod P` gives each row its own dice. */
const MULTIPLIERS = [
  16807, 48271, 69621, 950706376, 742938285, 1583458089, 784588716, 397204094, 1203248318, 62089911,
  207560540, 1343570944,
];

interface Dialect {
  /** A text timestamp (SQLite: ISO-8601 with +00:00, as Prisma stores it) or a timestamp(3) (PostgreSQL). */
  timestamp(ms: string): string;
  /** ISO-8601 with Z, as JSON.stringify writes a Date into orderFacts. */
  isoZ(ms: string): string;
  money(cents: string): string;
  bool(condition: string): string;
}

const SQLITE: Dialect = {
  timestamp: (ms) => `strftime('%Y-%m-%dT%H:%M:%f', (${ms}) / 1000.0, 'unixepoch') || '+00:00'`,
  isoZ: (ms) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`,
  money: (cents) => `printf('%.2f', (${cents}) / 100.0)`,
  bool: (condition) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`,
};

const POSTGRES: Dialect = {
  timestamp: (ms) => `(to_timestamp((${ms}) / 1000.0) AT TIME ZONE 'UTC')`,
  isoZ: (ms) => `to_char(to_timestamp((${ms}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  money: (cents) => `to_char((${cents}) / 100.0, 'FM999990.00')`,
  bool: (condition) => `(${condition})`,
};

/**
 * The SELECT that makes `orders` rows of one shop (n = 1…orders): every fifth order unanswered, the others
 * answered within 3 hours. Orders are spread evenly over SEED_DAYS ending now; a third as many customers as
 * orders (returning buyers for the repeat-purchase figures).
 */
function seedSelect(kind: Kind, sequence: string, salt: number, orders: number, now: number) {
  const d = kind === "sqlite" ? SQLITE : POSTGRES;
  const start = now - SEED_DAYS * DAY_MS;
  const span = SEED_DAYS * DAY_MS - 4 * 3_600_000;
  const customers = Math.max(1, Math.floor(orders / 3));
  const h = (k: number) => `h${k}`;
  const hashes = MULTIPLIERS.map((m, k) => `(n * ${m} + ${salt * 7919 + k}) % 2147483647 AS h${k}`).join(
    ", ",
  );
  const score = `CASE WHEN ${h(5)} % 100 < 32 THEN 10 WHEN ${h(5)} % 100 < 52 THEN 9 WHEN ${h(5)} % 100 < 64 THEN 8
    WHEN ${h(5)} % 100 < 74 THEN 7 ELSE ${h(6)} % 7 END`;
  const country = `CASE WHEN ${h(4)} % 20 < 7 THEN 'US' WHEN ${h(4)} % 20 < 9 THEN 'GB' WHEN ${h(4)} % 20 < 11 THEN 'DE'
    WHEN ${h(4)} % 20 < 13 THEN 'FR' WHEN ${h(4)} % 20 < 14 THEN 'ES' WHEN ${h(4)} % 20 < 15 THEN 'CA'
    WHEN ${h(4)} % 20 < 16 THEN 'IT' WHEN ${h(4)} % 20 < 17 THEN 'NL' WHEN ${h(4)} % 20 < 18 THEN 'AU'
    WHEN ${h(4)} % 20 < 19 THEN 'MX' ELSE 'SE' END`;
  const delivery = `${h(2)} % 5 = 0`;
  const products = `'["' || (7001 + p1) || '"'
    || CASE WHEN pc > 1 THEN ',"' || (7001 + (p1 + 37) % 200) || '"' ELSE '' END
    || CASE WHEN pc > 2 THEN ',"' || (7001 + (p1 + 74) % 200) || '"' ELSE '' END || ']'`;
  return `
    WITH b AS (
      SELECT n, ${hashes}, ${start} + ((n - 1) * ${span}) / ${orders} AS t FROM ${sequence}
    ), c AS (
      SELECT b.*,
        CASE WHEN n % 5 = 0 THEN 0 ELSE 1 END AS answered,
        t + ${h(0)} % 10800000 AS ta,
        'inv${salt}_' || n AS inv_id,
        'res${salt}_' || n AS res_id,
        CAST(${salt * 10_000_000} + n AS TEXT) AS order_id,
        CAST(${salt * 1_000_000 + 1} + ${h(1)} % ${customers} AS TEXT) AS customer_id,
        CASE WHEN ${delivery} THEN 'delivery' ELSE 'purchase' END AS stage,
        CASE WHEN ${delivery} THEN (CASE WHEN ${h(3)} % 2 = 0 THEN 'storefront' ELSE 'survey_link' END)
          WHEN ${h(3)} % 10 < 6 THEN 'thank_you' WHEN ${h(3)} % 10 < 8 THEN 'order_status'
          WHEN ${h(3)} % 10 < 9 THEN 'storefront' ELSE 'survey_link' END AS channel,
        ${country} AS country,
        CASE WHEN ${h(11)} % 50 = 7 THEN 'EUR' ELSE 'USD' END AS currency,
        ${score} AS score,
        ${h(7)} % 10 < 4 AS returning_flag,
        1000 + ${h(8)} % 39000 AS cents,
        ${h(9)} % 5 = 0 AS discount_flag,
        1 + ${h(10)} % 5 AS item_count,
        1 + (${h(10)} % 5) % 3 AS pc,
        ((${h(1)} / 3) % 200) * ((${h(5)} / 100) % 200) / 200 AS p1,
        CASE WHEN (${h(10)} / 7) % 100 < 90 THEN 'web' WHEN (${h(10)} / 7) % 100 < 97 THEN 'pos'
          ELSE 'shopify_draft_order' END AS sales_channel,
        CASE WHEN (${h(6)} / 7) % 100 < 85 THEN t + 43200000 + (${h(6)} / 700) % 864000000 END AS tf
      FROM b
    )
    SELECT n, answered, inv_id, res_id, order_id, customer_id, stage, channel, country, currency, score,
      CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END AS category,
      CASE WHEN country IN ('DE') THEN 'de' WHEN country IN ('FR') THEN 'fr' WHEN country IN ('ES', 'MX') THEN 'es'
        ELSE 'en' END AS locale,
      ${d.bool("returning_flag")} AS returning_customer,
      CASE WHEN returning_flag THEN 2 + ${h(7)} % 6 ELSE 1 END AS orders_count,
      cents / 100.0 AS order_value,
      ${d.bool("discount_flag")} AS discount_used,
      item_count, sales_channel,
      CASE WHEN ${h(0)} % 10 < 6 THEN 1 + (${h(0)} / 10) % 5 END AS csat,
      CASE WHEN (${h(3)} / 10) % 10 < 4 THEN 1 + (${h(3)} / 100) % 7 END AS ces,
      CASE WHEN (${h(9)} / 5) % 10 < 3 THEN 'Bench comment ' || n END AS comment,
      CASE WHEN n % 5 <> 0 THEN 'answered' WHEN ${h(5)} % 10 = 0 THEN 'suppressed'
        WHEN t < ${now - 30 * DAY_MS} THEN 'expired' ELSE 'pending' END AS invitation_status,
      ${d.timestamp("t")} AS created_at,
      ${d.timestamp("ta")} AS answered_at,
      ${d.timestamp(`t + ${30 * DAY_MS}`)} AS expires_at,
      CASE WHEN tf IS NOT NULL THEN ${d.timestamp("tf")} END AS fulfilled_at,
      CASE WHEN tf IS NOT NULL AND ${delivery} THEN ${d.timestamp(`tf + ${3 * DAY_MS}`)} END AS opens_at,
      '{"orderId":"' || order_id || '","customerId":"' || customer_id || '","orderName":"#' || (1000 + n)
        || '","totalPrice":' || ${d.money("cents")} || ',"currency":"' || currency
        || '","test":false,"salesChannel":"' || sales_channel || '","discountCodes":'
        || CASE WHEN discount_flag THEN '["WELCOME10"]' ELSE '[]' END || ',"itemCount":' || item_count
        || ',"productIds":' || ${products} || ',"countryCode":"' || country || '","locale":"'
        || (CASE WHEN country = 'DE' THEN 'de' WHEN country = 'FR' THEN 'fr' WHEN country IN ('ES', 'MX') THEN 'es'
          ELSE 'en' END)
        || '","createdAt":"' || ${d.isoZ("t")} || '","cancelled":false}' AS order_facts
    FROM c`;
}

const INSERT_INVITATIONS = (placeholder: string) => `
  INSERT INTO "Invitation" ("id", "shopDomain", "orderId", "orderName", "customerId", "stage", "status",
    "suppressionReason", "source", "orderFacts", "surveyVersion", "createdAt", "fulfilledAt", "opensAt", "expiresAt",
    "answeredAt", "updatedAt")
  SELECT inv_id, ${placeholder}, order_id, '#' || (1000 + n), customer_id, stage, invitation_status,
    CASE WHEN invitation_status = 'suppressed' THEN 'frequency_cap' END, 'webhook', order_facts, 1, created_at,
    fulfilled_at, opens_at, expires_at, CASE WHEN answered = 1 THEN answered_at END,
    CASE WHEN answered = 1 THEN answered_at ELSE created_at END
  FROM seed ORDER BY n`;

const INSERT_RESPONSES = (placeholder: string) => `
  INSERT INTO "Response" ("id", "shopDomain", "invitationId", "orderId", "customerId", "score", "category",
    "comment", "csat", "ces", "channel", "stage", "locale", "surveyVersion", "status", "orderValue", "currencyCode",
    "salesChannel", "countryCode", "discountUsed", "itemCount", "customerOrdersCount", "returningCustomer",
    "createdAt")
  SELECT res_id, ${placeholder}, inv_id, order_id, customer_id, score, category, comment, csat, ces, channel, stage,
    locale, 1, 'confirmed', order_value, currency, sales_channel, country, discount_used, item_count, orders_count,
    returning_customer, answered_at
  FROM seed WHERE answered = 1 ORDER BY n`;

const shops = () => [
  { shop: SHOP, salt: 1, orders: Math.round((RESPONSES * 5) / 4) },
  { shop: OTHER_SHOP, salt: 2, orders: Math.round((OTHER_SHOP_RESPONSES * 5) / 4) },
];

interface SeedTimes {
  seedSeconds: number;
  rollupSeconds: number;
}

/** Seeds both shops, then fills the rollups with `rollupSql` (what the migration that made them does). */
function seedSqlite(url: string, now: number, rollupSql: string[]): SeedTimes {
  const database = new Sqlite(url.replace(/^file:/, ""));
  const started = performance.now();
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = OFF");
    database.pragma("cache_size = -262144");
    database.pragma("temp_store = MEMORY");
    for (const { shop, salt, orders } of shops()) {
      database.exec("DROP TABLE IF EXISTS temp.seed");
      const sequence = `(WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${orders})
        SELECT n FROM seq)`;
      database.exec(`CREATE TEMP TABLE seed AS ${seedSelect("sqlite", sequence, salt, orders, now)}`);
      database.transaction(() => {
        database.prepare(INSERT_INVITATIONS("?")).run(shop);
        database.prepare(INSERT_RESPONSES("?")).run(shop);
        database
          .prepare(
            `INSERT INTO "Shop" ("shopDomain", "name", "currencyCode", "updatedAt") VALUES (?, ?, 'USD', ?)`,
          )
          .run(shop, shop, new Date(now).toISOString().replace("Z", "+00:00"));
      })();
    }
    database.exec("DROP TABLE IF EXISTS temp.seed");
    const seeded = performance.now();
    database.transaction(() => {
      for (const statement of rollupSql) database.exec(statement);
    })();
    database.pragma("wal_checkpoint(TRUNCATE)");
    return { seedSeconds: (seeded - started) / 1000, rollupSeconds: (performance.now() - seeded) / 1000 };
  } finally {
    database.close();
  }
}

async function seedPostgres(url: string, now: number, rollupSql: string[]): Promise<SeedTimes> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (const { shop, salt, orders } of shops()) {
      await client.query("DROP TABLE IF EXISTS seed");
      const sequence = `generate_series(1::bigint, ${orders}::bigint) AS g(n)`;
      await client.query(
        `CREATE TEMP TABLE seed AS ${seedSelect("postgresql", sequence, salt, orders, now)}`,
      );
      await client.query("BEGIN");
      await client.query(INSERT_INVITATIONS("$1"), [shop]);
      await client.query(INSERT_RESPONSES("$1"), [shop]);
      await client.query(
        `INSERT INTO "Shop" ("shopDomain", "name", "currencyCode", "updatedAt") VALUES ($1, $1, 'USD', now())`,
        [shop],
      );
      await client.query("COMMIT");
    }
    await client.query("DROP TABLE IF EXISTS seed");
    const seeded = performance.now();
    await client.query("BEGIN");
    for (const statement of rollupSql) await client.query(statement);
    await client.query("COMMIT");
    const rolledUp = performance.now();
    // What autovacuum does after a bulk load: statistics and the visibility map (index-only scans need it).
    await client.query("VACUUM ANALYZE");
    return { seedSeconds: (seeded - started) / 1000, rollupSeconds: (rolledUp - seeded) / 1000 };
  } finally {
    await client.end();
  }
}

// ── raw SQL of the same figures (over the answers table) ───────────────────────────────────────────────────

type Counts = { promoters: number; passives: number; detractors: number };
type Range = { from: Date; to: Date };

interface RawDriver {
  kind: Kind;
  /** Runs the queries (side by side on PostgreSQL) and returns their rows. */
  all(queries: { sql: string; params: unknown[] }[]): Promise<Record<string, unknown>[][]>;
  close(): Promise<void>;
}

function rawDriver(kind: Kind, url: string): RawDriver {
  if (kind === "sqlite") {
    const database = new Sqlite(url.replace(/^file:/, ""), { readonly: true });
    return {
      kind,
      async all(queries) {
        return queries.map(
          ({ sql, params }) =>
            database
              .prepare(sql)
              .all(Object.fromEntries(params.map((value, index) => [`p${index + 1}`, value]))) as Record<
              string,
              unknown
            >[],
        );
      },
      async close() {
        database.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    kind,
    async all(queries) {
      const results = await Promise.all(queries.map(({ sql, params }) => pool.query(sql, params)));
      return results.map((result) => result.rows as Record<string, unknown>[]);
    },
    close: () => pool.end(),
  };
}

/** Numbered parameters: `@pn` for SQLite (dates as the text Prisma stores), `$n` for PostgreSQL (dates as ISO text). */
function binder(kind: Kind) {
  const params: unknown[] = [];
  return {
    params,
    p(value: unknown): string {
      params.push(
        value instanceof Date
          ? kind === "sqlite"
            ? value.toISOString().replace("Z", "+00:00")
            : value.toISOString()
          : value,
      );
      return kind === "sqlite" ? `@p${params.length}` : `$${params.length}`;
    },
  };
}

const num = (value: unknown) => Number(value ?? 0);

function countsOf(rows: Record<string, unknown>[], key = "category", value = "n"): Counts {
  const of = (category: string) => num(rows.find((row) => row[key] === category)?.[value]);
  return { promoters: of("promoter"), passives: of("passive"), detractors: of("detractor") };
}

function npsOf(counts: Counts): { responses: number; nps: number | null } {
  const responses = counts.promoters + counts.passives + counts.detractors;
  return {
    responses,
    nps: responses > 0 ? (100 * (counts.promoters - counts.detractors)) / responses : null,
  };
}

const PERIOD: Record<Kind, Record<"day" | "week" | "month", string>> = {
  sqlite: {
    day: `substr("createdAt", 1, 10)`,
    week: `date(substr("createdAt", 1, 10), '-6 days', 'weekday 1')`,
    month: `substr("createdAt", 1, 7) || '-01'`,
  },
  postgresql: {
    day: `to_char(date_trunc('day', "createdAt"), 'YYYY-MM-DD')`,
    week: `to_char(date_trunc('week', "createdAt"), 'YYYY-MM-DD')`,
    month: `to_char(date_trunc('month', "createdAt"), 'YYYY-MM-DD')`,
  },
};

interface DashboardFigures {
  counts: Counts;
  previous: { responses: number; nps: number | null };
  invitations: number;
  distribution: number[];
  csatAverage: number | null;
  cesAverage: number | null;
  trend: { period: string; responses: number }[];
  stages: { purchase: Counts; delivery: Counts } | null;
  repeat: { windowDays: number; byCategory: Record<string, { answers: number; repeaters: number }> }[];
  unconfirmed: { waitingForOrder: number; expired: number };
}

const bucketOf = (days: number) => (days <= 31 ? "day" : days <= 180 ? "week" : "month");

/** One pass for the period (counts, distribution, averages, stages and trend), one for the previous period. */
async function rawDashboard(
  driver: RawDriver,
  range: Range,
  days: number,
  channel: string | undefined,
): Promise<DashboardFigures> {
  const kind = driver.kind;
  const length = range.to.getTime() - range.from.getTime();
  const previous = { from: new Date(range.from.getTime() - length), to: range.from };
  const answers = (b: ReturnType<typeof binder>, r: Range) =>
    `"shopDomain" = ${b.p(SHOP)} AND "status" = 'confirmed' AND "createdAt" >= ${b.p(r.from)} AND "createdAt" < ${b.p(r.to)}${channel ? ` AND "channel" = ${b.p(channel)}` : ""}`;
  const current = binder(kind);
  const currentSql = `SELECT ${PERIOD[kind][bucketOf(days)]} AS "period", "stage", "score", COUNT(*) AS "n",
      SUM("csat") AS "csatSum", COUNT("csat") AS "csatCount", SUM("ces") AS "cesSum", COUNT("ces") AS "cesCount"
    FROM "Response" WHERE ${answers(current, range)} GROUP BY 1, 2, 3`;
  const before = binder(kind);
  const previousSql = `SELECT "category", COUNT(*) AS "n" FROM "Response" WHERE ${answers(before, previous)}
    GROUP BY 1`;
  const invited = binder(kind);
  const invitationsSql = `SELECT COUNT(*) AS "n" FROM "Invitation" WHERE "shopDomain" = ${invited.p(SHOP)}
    AND "status" IN ('pending', 'answered', 'expired') AND "createdAt" >= ${invited.p(range.from)}
    AND "createdAt" < ${invited.p(range.to)}`;
  const pending = binder(kind);
  const unconfirmedSql = `SELECT "status", COUNT(*) AS "n" FROM "Response" WHERE "shopDomain" = ${pending.p(SHOP)}
    AND "status" IN ('pending', 'expired') GROUP BY 1`;
  // Repeat purchases: the first later order of the same customer, once for the three windows.
  const now = range.to.getTime();
  const watchedFrom = new Date(now - Math.max(days, 365) * DAY_MS);
  const repeat = binder(kind);
  const windows = [30, 60, 90];
  const gap =
    kind === "sqlite"
      ? `julianday("next") - julianday("createdAt")`
      : `EXTRACT(EPOCH FROM ("next" - "createdAt")) / 86400.0`;
  const shopParam = repeat.p(SHOP);
  const repeatSql = `SELECT "category", ${windows
    .map(
      (
        w,
      ) => `SUM(CASE WHEN "createdAt" < ${repeat.p(new Date(now - w * DAY_MS))} THEN 1 ELSE 0 END) AS "answers${w}",
      SUM(CASE WHEN "createdAt" < ${repeat.p(new Date(now - w * DAY_MS))} AND ${gap} <= ${w} THEN 1 ELSE 0 END) AS "repeaters${w}"`,
    )
    .join(", ")}
    FROM (
      SELECT r."category", r."createdAt", (
        SELECT i."createdAt" FROM "Invitation" i
        WHERE i."shopDomain" = r."shopDomain" AND i."customerId" = r."customerId" AND i."createdAt" > r."createdAt"
          AND i."orderId" <> r."orderId"
        ORDER BY i."createdAt" LIMIT 1
      ) AS "next"
      FROM "Response" r
      WHERE r."shopDomain" = ${shopParam} AND r."status" = 'confirmed' AND r."customerId" IS NOT NULL
        AND r."createdAt" >= ${repeat.p(watchedFrom)} AND r."createdAt" < ${repeat.p(new Date(now - 30 * DAY_MS))}
    ) AS answered
    GROUP BY 1`;
  const [rows, previousRows, invitationRows, repeatRows, unconfirmedRows] = await driver.all([
    { sql: currentSql, params: current.params },
    { sql: previousSql, params: before.params },
    { sql: invitationsSql, params: invited.params },
    { sql: repeatSql, params: repeat.params },
    { sql: unconfirmedSql, params: pending.params },
  ]);
  const distribution = Array.from({ length: 11 }, () => 0);
  const stageCounts: Record<string, Counts> = {
    purchase: { promoters: 0, passives: 0, detractors: 0 },
    delivery: { promoters: 0, passives: 0, detractors: 0 },
  };
  const trend = new Map<string, number>();
  let csatSum = 0;
  let csatCount = 0;
  let cesSum = 0;
  let cesCount = 0;
  for (const row of rows ?? []) {
    const score = num(row.score);
    const n = num(row.n);
    distribution[score] = (distribution[score] ?? 0) + n;
    const stage = stageCounts[String(row.stage)];
    if (stage) {
      if (score >= 9) stage.promoters += n;
      else if (score >= 7) stage.passives += n;
      else stage.detractors += n;
    }
    trend.set(String(row.period), (trend.get(String(row.period)) ?? 0) + n);
    csatSum += num(row.csatSum);
    csatCount += num(row.csatCount);
    cesSum += num(row.cesSum);
    cesCount += num(row.cesCount);
  }
  const counts: Counts = {
    promoters: (distribution[9] ?? 0) + (distribution[10] ?? 0),
    passives: (distribution[7] ?? 0) + (distribution[8] ?? 0),
    detractors: distribution.slice(0, 7).reduce((sum, n) => sum + n, 0),
  };
  const delivery = stageCounts.delivery as Counts;
  return {
    counts,
    previous: npsOf(countsOf(previousRows ?? [])),
    invitations: num(invitationRows?.[0]?.n),
    distribution,
    csatAverage: csatCount > 0 ? csatSum / csatCount : null,
    cesAverage: cesCount > 0 ? cesSum / cesCount : null,
    trend: [...trend]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([period, responses]) => ({ period, responses })),
    stages:
      delivery.promoters + delivery.passives + delivery.detractors > 0
        ? { purchase: stageCounts.purchase as Counts, delivery }
        : null,
    repeat: windows.map((w) => ({
      windowDays: w,
      byCategory: Object.fromEntries(
        ["promoter", "passive", "detractor"].map((category) => {
          const row = repeatRows?.find((candidate) => candidate.category === category);
          return [category, { answers: num(row?.[`answers${w}`]), repeaters: num(row?.[`repeaters${w}`]) }];
        }),
      ),
    })),
    unconfirmed: {
      waitingForOrder: num(unconfirmedRows?.find((row) => row.status === "pending")?.n),
      expired: num(unconfirmedRows?.find((row) => row.status === "expired")?.n),
    },
  };
}

/** Segment figures keyed "dimension:key" (key "unknown" for a missing fact), plus the main currency. */
type SegmentFigures = { currencyCode: string | null; total: Counts; segments: Map<string, Counts> };

const CATEGORY_SUMS = `SUM(CASE WHEN r."category" = 'promoter' THEN 1 ELSE 0 END) AS "promoters",
  SUM(CASE WHEN r."category" = 'passive' THEN 1 ELSE 0 END) AS "passives",
  SUM(CASE WHEN r."category" = 'detractor' THEN 1 ELSE 0 END) AS "detractors"`;

function bandSql(value: string, boundaries: readonly number[]): string {
  const steps = boundaries.map((boundary, index) => `WHEN ${value} < ${boundary} THEN ${index}`).join(" ");
  return `CASE WHEN ${value} IS NULL THEN NULL ${steps} ELSE ${boundaries.length} END`;
}

async function rawSegments(driver: RawDriver, range: Range): Promise<SegmentFigures> {
  const { ORDER_VALUE_BANDS, ITEM_COUNT_BANDS, FULFILLMENT_DELAY_BANDS, bandBoundaries } = await import(
    "../app/domain/drivers"
  );
  const kind = driver.kind;
  const where = (b: ReturnType<typeof binder>) =>
    `r."shopDomain" = ${b.p(SHOP)} AND r."status" = 'confirmed' AND r."createdAt" >= ${b.p(range.from)} AND r."createdAt" < ${b.p(range.to)}`;
  const grouped = (column: string) => {
    const b = binder(kind);
    return {
      sql: `SELECT ${column} AS "key", ${CATEGORY_SUMS} FROM "Response" r WHERE ${where(b)} GROUP BY 1`,
      params: b.params,
    };
  };
  const delayMs =
    kind === "sqlite"
      ? `CAST(ROUND((julianday(i."fulfilledAt") - julianday(i."createdAt")) * ${DAY_MS}) AS INTEGER)`
      : `(EXTRACT(EPOCH FROM (i."fulfilledAt" - i."createdAt")) * 1000)`;
  const delay = binder(kind);
  const delaySql = `SELECT ${bandSql(
    delayMs,
    bandBoundaries(FULFILLMENT_DELAY_BANDS).map((days) => days * DAY_MS),
  )} AS "key",
      ${CATEGORY_SUMS}
    FROM "Response" r JOIN "Invitation" i ON i."id" = r."invitationId"
    WHERE ${where(delay)} GROUP BY 1`;
  const product = binder(kind);
  const productIds =
    kind === "sqlite"
      ? `json_each(i."orderFacts", '$.productIds') p`
      : `LATERAL jsonb_array_elements_text(i."orderFacts"::jsonb -> 'productIds') AS p("value")`;
  const productSql = `SELECT p."value" AS "key", ${CATEGORY_SUMS}
    FROM "Response" r JOIN "Invitation" i ON i."id" = r."invitationId" CROSS JOIN ${productIds}
    WHERE ${where(product)} AND i."orderFacts" IS NOT NULL
    GROUP BY 1 ORDER BY COUNT(*) DESC, 1 ASC LIMIT 10`;
  const queries = {
    customer: grouped(`r."returningCustomer"`),
    discount: grouped(`r."discountUsed"`),
    salesChannel: grouped(`r."salesChannel"`),
    country: grouped(`upper(r."countryCode")`),
    currency: grouped(`r."currencyCode"`),
    orderValue: grouped(bandSql(`r."orderValue"`, bandBoundaries(ORDER_VALUE_BANDS))),
    itemCount: grouped(bandSql(`r."itemCount"`, bandBoundaries(ITEM_COUNT_BANDS))),
    fulfillmentDelay: { sql: delaySql, params: delay.params },
    product: { sql: productSql, params: product.params },
  };
  const names = Object.keys(queries) as (keyof typeof queries)[];
  const results = await driver.all(names.map((name) => queries[name]));
  const segments = new Map<string, Counts>();
  const bands: Record<string, readonly { key: string }[]> = {
    orderValue: ORDER_VALUE_BANDS,
    itemCount: ITEM_COUNT_BANDS,
    fulfillmentDelay: FULFILLMENT_DELAY_BANDS,
  };
  const yesNo: Record<string, [string, string]> = {
    customer: ["returning", "new"],
    discount: ["with", "without"],
  };
  let currencyCode: string | null = null;
  let currencyAnswers = -1;
  let total: Counts = { promoters: 0, passives: 0, detractors: 0 };
  names.forEach((name, index) => {
    for (const row of results[index] ?? []) {
      const counts = {
        promoters: num(row.promoters),
        passives: num(row.passives),
        detractors: num(row.detractors),
      };
      const raw = row.key;
      let key: string;
      if (raw === null || raw === undefined) key = "unknown";
      else if (bands[name]) key = bands[name][Number(raw)]?.key ?? "unknown";
      else if (yesNo[name]) key = raw === true || Number(raw) === 1 ? yesNo[name][0] : yesNo[name][1];
      else key = String(raw);
      segments.set(`${name}:${key}`, counts);
      if (name === "customer") {
        total = {
          promoters: total.promoters + counts.promoters,
          passives: total.passives + counts.passives,
          detractors: total.detractors + counts.detractors,
        };
      }
      const answers = counts.promoters + counts.passives + counts.detractors;
      if (name === "currency" && raw !== null && answers > currencyAnswers) {
        currencyCode = String(raw);
        currencyAnswers = answers;
      }
    }
  });
  return { currencyCode, total, segments };
}

// ── the app's loaders ──────────────────────────────────────────────────────────────────────────────────────

async function appModules() {
  const [{ createDatabase }, reports, segments, campaign, maintenance] = await Promise.all([
    import("../app/adapters/db/client.server"),
    import("../app/services/reports.server"),
    import("../app/services/segments.server"),
    import("../app/services/campaign-effect.server"),
    import("../app/services/maintenance.server"),
  ]);
  return { createDatabase, reports, segments, campaign, maintenance };
}

type App = Awaited<ReturnType<typeof appModules>>;
type Prisma = ReturnType<App["createDatabase"]>;

/** What app/routes/app._index.tsx's loader asks for, side by side, reduced to the figures raw SQL computes. */
async function appDashboard(
  app: App,
  database: Prisma,
  range: Range,
  days: number,
  channel: string | undefined,
): Promise<DashboardFigures> {
  const filters = channel ? { channel: channel as "thank_you" } : {};
  const [report, unconfirmed, repeat] = await Promise.all([
    app.reports.dashboardReport(database, SHOP, range, filters),
    app.maintenance.unconfirmedAnswerCounts(database, SHOP),
    app.campaign.repeatPurchaseRates(
      database,
      SHOP,
      { from: new Date(range.to.getTime() - Math.max(days, 365) * DAY_MS), to: range.to },
      range.to,
    ),
  ]);
  return {
    counts: report.counts,
    previous: { responses: report.previous.summary.responses, nps: report.previous.summary.nps },
    invitations: report.invitations,
    distribution: report.distribution,
    csatAverage: report.csatAverage,
    cesAverage: report.cesAverage,
    trend: report.trend.points.map((point) => ({ period: point.period, responses: point.responses })),
    stages: report.stages
      ? { purchase: report.stages.purchase.counts, delivery: report.stages.delivery.counts }
      : null,
    repeat: repeat.map((rate) => ({
      windowDays: rate.windowDays,
      byCategory: Object.fromEntries(
        Object.entries(rate.byCategory).map(([category, value]) => [
          category,
          { answers: value.answers, repeaters: value.repeaters },
        ]),
      ),
    })),
    unconfirmed,
  };
}

async function appSegments(app: App, database: Prisma, range: Range): Promise<SegmentFigures> {
  const report = await app.segments.segmentReport(database, SHOP, range);
  const segments = new Map<string, Counts>();
  for (const dimension of report.dimensions) {
    for (const row of dimension.rows) {
      if (row.key === "other") continue;
      const responses = row.counts.promoters + row.counts.passives + row.counts.detractors;
      if (responses > 0)
        segments.set(`${dimension.key === "product" ? "product" : dimension.key}:${row.key}`, row.counts);
    }
  }
  return { currencyCode: report.currencyCode, total: report.total.counts, segments };
}

/** Differences between the app's figures and raw SQL's (empty when they agree). */
function differences(app: unknown, raw: unknown, path = ""): string[] {
  if (typeof app === "number" && typeof raw === "number") {
    return Math.abs(app - raw) <= 1e-9 * Math.max(1, Math.abs(raw)) ? [] : [`${path}: ${app} ≠ ${raw}`];
  }
  if (app instanceof Map && raw instanceof Map) {
    // Raw SQL lists every segment; the app may leave out empty ones and those it sums into "other".
    return [...app].flatMap(([key, value]) =>
      raw.has(key)
        ? differences(value, raw.get(key), `${path}.${key}`)
        : [`${path}.${key}: missing in raw SQL`],
    );
  }
  if (app && raw && typeof app === "object" && typeof raw === "object") {
    const keys = new Set([...Object.keys(app), ...Object.keys(raw)]);
    return [...keys].flatMap((key) =>
      differences(
        (app as Record<string, unknown>)[key],
        (raw as Record<string, unknown>)[key],
        `${path}.${key}`,
      ),
    );
  }
  return app === raw ? [] : [`${path}: ${JSON.stringify(app)} ≠ ${JSON.stringify(raw)}`];
}

// ── measuring ──────────────────────────────────────────────────────────────────────────────────────────────

interface Case {
  name: string;
  app(): Promise<unknown>;
  raw(): Promise<unknown>;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function measure(item: Case) {
  const problems = differences(await item.app(), await item.raw());
  await item.app();
  await item.raw();
  const appTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    appTimes.push(await timed(item.app));
    if (run < RAW_RUNS) rawTimes.push(await timed(item.raw));
  }
  appTimes.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  return {
    app: { p50: percentile(appTimes, 50), p95: percentile(appTimes, 95) },
    raw: { p50: percentile(rawTimes, 50), p95: percentile(rawTimes, 95) },
    problems,
  };
}

const databaseName = (kind: Kind) => (kind === "sqlite" ? "SQLite" : "PostgreSQL");
const GOAL = `≤ ${GOAL_RATIO}× raw SQL (medians), p95 ≤ ${GOAL_MS} ms, same figures`;

async function runKind(kind: Kind): Promise<BenchRow[]> {
  const label = (name: string) =>
    `${name}, ${RESPONSES.toLocaleString("en-US")} answers (+ ${OTHER_SHOP_RESPONSES.toLocaleString("en-US")} of another shop) on ${databaseName(kind)}`;
  const names = [
    "dashboard loader, 90 days",
    "dashboard loader, 365 days",
    "dashboard loader, 365 days, channel filter",
    "segments loader, 365 days",
  ];
  const database: BenchDatabase | null = await freshBenchDatabase(kind);
  if (!database) {
    return names.map((name) => ({
      benchmark: label(name),
      measured: "PostgreSQL unreachable",
      goal: GOAL,
      result: "SKIPPED",
    }));
  }
  applyBenchAppEnv();
  process.env.DATABASE_URL = database.url;
  const now = Date.now();
  const rows: BenchRow[] = [];
  try {
    const { rebuildRollupsSql } = await import("../app/adapters/db/report-rollups.server");
    const rollupSql = rebuildRollupsSql(kind);
    const { seedSeconds, rollupSeconds } =
      kind === "sqlite"
        ? seedSqlite(database.url, now, rollupSql)
        : await seedPostgres(database.url, now, rollupSql);
    const seeded = `seeded in ${seedSeconds.toFixed(1)} s, rollups filled in ${rollupSeconds.toFixed(1)} s`;
    const app = await appModules();
    const prisma = app.createDatabase(database.url);
    const raw = rawDriver(kind, database.url);
    try {
      rows.push(...(await measureCases({ app, prisma, raw, now, seeded, label, names })));
      rows.push(await measureCsvExport(prisma, label("CSV export of every answer, streamed")));
    } finally {
      await prisma.$disconnect();
      await raw.close();
    }
  } finally {
    if (process.env.BENCH_REPORT_KEEP === "1") console.error(`bench: kept ${database.url}`);
    else await database.drop();
  }
  return rows;
}

const GOAL_EXPORT_HEAP_MB = 64;
const RETAINED_EVERY = 100;

/**
 * Streams the shop's whole CSV export as the route does, counting lines and the heap over its start: the peak
 * heapUsed (garbage not yet collected included: V8 collects when it likes), and the retained heap — read after a
 * full collection every RETAINED_EVERY chunks — which is what grows when a stream holds on to rows.
 */
async function measureCsvExport(prisma: Prisma, benchmark: string): Promise<BenchRow> {
  const { responsesCsvStream } = await import("../app/services/export.server");
  const expected = await prisma.response.count({ where: { shopDomain: SHOP, status: "confirmed" } });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let retained = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 100);
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  let chunks = 0;
  try {
    const reader = responsesCsvStream(prisma, SHOP).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines += 1;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      chunks += 1;
      if (gc && chunks % RETAINED_EVERY === 0) {
        gc();
        retained = Math.max(retained, process.memoryUsage().heapUsed);
      }
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const mb = (heap: number) => (heap - baseline) / 2 ** 20;
  const complete = lines === expected + 1;
  const retainedText = gc
    ? `${mb(retained).toFixed(1)} MB retained`
    : "retained heap not read (no --expose-gc)";
  return {
    benchmark,
    measured: `${(lines - 1).toLocaleString("en-US")} rows of ${expected.toLocaleString("en-US")} (${(bytes / 2 ** 20).toFixed(0)} MiB) in ${seconds.toFixed(1)} s (${((lines - 1) / seconds).toFixed(0)} rows/s); heap over its start: ${retainedText} (after a full GC every ${RETAINED_EVERY} pages of 1,000), peak with uncollected garbage ${mb(peak).toFixed(1)} MB`,
    goal: `every row, retained heap growth ≤ ${GOAL_EXPORT_HEAP_MB} MB (constant memory)`,
    result: complete && gc !== undefined && mb(retained) <= GOAL_EXPORT_HEAP_MB ? "met" : "MISSED",
  };
}

async function measureCases(context: {
  app: App;
  prisma: Prisma;
  raw: RawDriver;
  now: number;
  seeded: string;
  label: (name: string) => string;
  names: string[];
}): Promise<BenchRow[]> {
  const { app, prisma, raw, now, seeded, label, names } = context;
  const to = new Date(now);
  const range = (days: number) => ({ from: new Date(now - days * DAY_MS), to });
  const dashboard = (name: string, days: number, channel?: string): Case => ({
    name,
    app: () => appDashboard(app, prisma, range(days), days, channel),
    raw: () => rawDashboard(raw, range(days), days, channel),
  });
  const cases: Case[] = [
    dashboard(names[0] as string, 90),
    dashboard(names[1] as string, 365),
    dashboard(names[2] as string, 365, "order_status"),
    {
      name: names[3] as string,
      app: () => appSegments(app, prisma, range(365)),
      raw: () => rawSegments(raw, range(365)),
    },
  ];
  const rows: BenchRow[] = [];
  for (const item of cases) {
    const result = await measure(item);
    const ratio = result.app.p50 / result.raw.p50;
    const met = ratio <= GOAL_RATIO && result.app.p95 <= GOAL_MS && result.problems.length === 0;
    const figures =
      result.problems.length === 0
        ? "figures equal"
        : `FIGURES DIFFER (${result.problems.slice(0, 3).join("; ")})`;
    rows.push({
      benchmark: label(item.name),
      measured: `app p50 ${result.app.p50.toFixed(0)} ms, p95 ${result.app.p95.toFixed(0)} ms (${RUNS} runs); raw SQL p50 ${result.raw.p50.toFixed(0)} ms, p95 ${result.raw.p95.toFixed(0)} ms (${RAW_RUNS} runs); ${ratio.toFixed(3)}× raw; ${figures}; ${seeded}`,
      goal: GOAL,
      result: result.problems.length > 0 ? "WRONG" : met ? "met" : "MISSED",
    });
  }
  return rows;
}

/** Each database kind in a child process of its own: the app reads DATABASE_URL once per process. */
function runChild(kind: Kind): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    // --expose-gc: the export's retained heap is read after full collections (measureCsvExport)
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "bench/reports-1m.ts", "--kind", kind],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = output.split("\n").find((candidate) => candidate.startsWith(CHILD_MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`bench/reports-1m.ts --kind ${kind} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(line.slice(CHILD_MARKER.length)) as BenchRow[]);
    });
  });
}

export async function run(): Promise<{ rows: BenchRow[] }> {
  const rows: BenchRow[] = [];
  for (const kind of ["sqlite", "postgresql"] as const) rows.push(...(await runChild(kind)));
  return { rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kindIndex = process.argv.indexOf("--kind");
  const kind = kindIndex > 0 ? process.argv[kindIndex + 1] : undefined;
  if (kind === "sqlite" || kind === "postgresql") {
    const rows = await runKind(kind);
    console.log(`${CHILD_MARKER}${JSON.stringify(rows)}`);
  } else {
    const { printRows } = await import("./webhook-ingest");
    const { rows } = await run();
    printRows(rows);
  }
}
