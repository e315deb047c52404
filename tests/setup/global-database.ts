import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../app/adapters/db/migrations.server";

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresTemplate: string | null;
    postgresUnavailableReason: string | null;
  }
}

const DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test";

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

// Databases are built once per run (migrated templates) and copied per test file; everything made here is
// dropped at the end of the run.
export default async function setup(project: TestProject) {
  const directory = mkdtempSync(path.join(tmpdir(), "nps-sync-test-"));
  const sqliteTemplate = path.join(directory, "template.db");
  await migrateDatabase(`file:${sqliteTemplate}`);
  project.provide("sqliteTemplate", sqliteTemplate);

  const baseUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const runPrefix = `nps_test_${process.pid}_${Date.now().toString(36)}`;
  const templateName = `${runPrefix}_template`;
  let admin: pg.Client | null = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${templateName}"`);
    await migrateDatabase(withDatabase(baseUrl, templateName));
    project.provide("postgresTemplate", withDatabase(baseUrl, templateName));
    project.provide("postgresUnavailableReason", null);
  } catch (error) {
    const reason = `PostgreSQL at ${baseUrl} is not reachable (${(error as Error).message})`;
    console.warn(
      `\n!!!!!!!!!!!!!!!!!!!!!!!!\n!! ${reason}: the PostgreSQL suites are SKIPPED.\n!!!!!!!!!!!!!!!!!!!!!!!!\n`,
    );
    project.provide("postgresTemplate", null);
    project.provide("postgresUnavailableReason", reason);
    await admin.end().catch(() => undefined);
    admin = null;
  }

  return async () => {
    rmSync(directory, { recursive: true, force: true });
    if (!admin) return;
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${runPrefix}%`],
    );
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.end();
  };
}
