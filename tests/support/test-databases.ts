import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";

export type DatabaseKind = "sqlite" | "postgresql";

/** A fresh database for one test file, copied from the run's migrated template. Null when PostgreSQL is absent. */
export async function freshDatabaseUrl(kind: DatabaseKind): Promise<string | null> {
  if (kind === "sqlite") {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "nps-sync-db-")), "test.db");
    copyFileSync(inject("sqliteTemplate"), file);
    return `file:${file}`;
  }
  const template = inject("postgresTemplate");
  if (!template) return null;
  const templateName = new URL(template).pathname.slice(1);
  const name = `${templateName.replace(/_template$/, "")}_${randomUUID().slice(0, 8)}`;
  const client = new pg.Client({ connectionString: template.replace(`/${templateName}`, "/postgres") });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
  } finally {
    await client.end();
  }
  return template.replace(`/${templateName}`, `/${name}`);
}

export function postgresUnavailableReason(): string | null {
  return inject("postgresUnavailableReason");
}
