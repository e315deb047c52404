import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isEmptyMigration, pendingSchemaChange } from "../../scripts/migrations";
import { derivePostgresSchema, POSTGRES_SCHEMA, SQLITE_SCHEMA } from "../../scripts/prisma-schemas";

describe("the database schema", () => {
  it("has its PostgreSQL twin derived from the SQLite model set", () => {
    const derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(derived);
    expect(derived).toContain('provider = "postgresql"');
  });

  it("has no change that lacks a migration for both databases", () => {
    const change = pendingSchemaChange();
    expect(isEmptyMigration(change.sqlite), change.sqlite).toBe(true);
    expect(isEmptyMigration(change.postgresql), change.postgresql).toBe(true);
  }, 30_000);
});
