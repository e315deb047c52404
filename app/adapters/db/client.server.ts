import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { Statement } from "better-sqlite3";
import { env } from "~/env.server";
import { cachedPrepare } from "./sqlite-statements.server";

export type Database = PrismaClient;
export type DatabaseKind = "sqlite" | "postgresql";

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith("postgres") ? "postgresql" : "sqlite";
}

export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, ""));
}

// Both generated clients come from the same model set (prisma/schema.prisma); the PostgreSQL one lives in
// node_modules/.prisma/client-pg (see docs/decisions/0001-database.md). It is loaded at run time so that
// bundlers never inline it.
function loadPostgresClient(): typeof PrismaClient {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  const generated = require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient };
  return generated.PrismaClient;
}

export function createDatabase(url: string): Database {
  if (databaseKind(url) === "postgresql") {
    const PostgresClient = loadPostgresClient();
    // jit off: the report queries are short, but PostgreSQL's cost estimate of a JSON array expansion passes
    // jit_above_cost and compiling them took longer (≈ 0.4 s) than running them (see docs/SCALE.md).
    return new PostgresClient({
      adapter: new PrismaPg({ connectionString: url, max: 10, options: "-c jit=off" }),
    });
  }
  // busy timeout: several writers (web + worker) share the file; WAL is set by the migration runner.
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 5000 });
  return new PrismaClient({ adapter: withImmediateTransactions(adapter) });
}

/**
 * SQLite transactions begin IMMEDIATE: they take the write lock at once, waiting up to the busy timeout. The
 * adapter's plain (deferred) BEGIN reads first and upgrades later, which fails at once with SQLITE_BUSY_SNAPSHOT
 * when another process wrote in between — the busy timeout does not apply to that upgrade. Other statements come
 * from a cache of prepared statements (sqlite-statements.server.ts).
 */
function withImmediateTransactions(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: { prepare: (sql: string) => unknown } }).client;
    const prepare = client.prepare.bind(client) as (sql: string) => Statement;
    const prepareCached = cachedPrepare(prepare);
    client.prepare = (sql: string) => (sql === "BEGIN" ? prepare("BEGIN IMMEDIATE") : prepareCached(sql));
    return adapter;
  };
  return factory;
}

const globalForDb = globalThis as unknown as { npsDatabase?: Database };

export function db(): Database {
  globalForDb.npsDatabase ??= createDatabase(env().DATABASE_URL);
  return globalForDb.npsDatabase;
}

/**
 * Options for the transactions that count an answer into the shop's daily rollup rows: on PostgreSQL the answers of
 * one shop and day queue on the same row lock, and in a burst the default 5 s of an interactive transaction ran out
 * (seen with three instances under load). Still bounded, so a stuck transaction fails instead of hanging.
 */
export const ROLLUP_TRANSACTION = { maxWait: 10_000, timeout: 15_000 } as const;
