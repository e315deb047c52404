import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { type DatabaseKind, databaseKind, sqliteFilePath } from "./client.server";

// A small SQL-file migration runner for both databases (docs/decisions/0002-migrations.md): Prisma's own
// migrate cannot apply migrations through driver adapters on PostgreSQL here.
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDirectory(kind: DatabaseKind, root = process.cwd()): string {
  return path.join(root, "prisma", "migrations", kind);
}

export function readMigrations(kind: DatabaseKind, root?: string): Migration[] {
  const directory = migrationsDirectory(kind, root);
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS "_nps_migrations" (
  "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;

function assertUnchanged(applied: Map<string, string>, migration: Migration): boolean {
  const checksum = applied.get(migration.name);
  if (checksum === undefined) return false;
  if (checksum !== migration.checksum) {
    throw new Error(
      `Migration ${migration.name} was changed after it was applied; add a new migration instead`,
    );
  }
  return true;
}

function migrateSqlite(url: string, migrations: Migration[]): string[] {
  const database = new Sqlite(sqliteFilePath(url));
  try {
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 5000");
    database.exec(CREATE_LEDGER);
    const appliedNow: string[] = [];
    const run = database.transaction(() => {
      const rows = database.prepare(`SELECT "name", "checksum" FROM "_nps_migrations"`).all() as {
        name: string;
        checksum: string;
      }[];
      const applied = new Map(rows.map((row) => [row.name, row.checksum]));
      for (const migration of migrations) {
        if (assertUnchanged(applied, migration)) continue;
        database.exec(migration.sql);
        database
          .prepare(`INSERT INTO "_nps_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)`)
          .run(migration.name, migration.checksum, new Date().toISOString());
        appliedNow.push(migration.name);
      }
    });
    run.immediate();
    return appliedNow;
  } finally {
    database.close();
  }
}

// Several app instances may start at once: an advisory lock lets one of them migrate at a time.
const MIGRATION_LOCK_KEY = 7_270_011;

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_LEDGER);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT "name", "checksum" FROM "_nps_migrations"`,
    );
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const appliedNow: string[] = [];
    for (const migration of migrations) {
      if (assertUnchanged(applied, migration)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_nps_migrations" ("name", "checksum", "appliedAt") VALUES ($1, $2, $3)`,
          [migration.name, migration.checksum, new Date().toISOString()],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrateDatabase(url: string, root?: string): Promise<string[]> {
  const kind = databaseKind(url);
  const migrations = readMigrations(kind, root);
  return kind === "postgresql" ? migratePostgres(url, migrations) : migrateSqlite(url, migrations);
}
