import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  derivePostgresSchema,
  POSTGRES_SCHEMA,
  prisma,
  SQLITE_SCHEMA,
  writePostgresSchema,
} from "./prisma-schemas";

// Each migration folder holds the SQL for both databases; SNAPSHOT is the model set the newest migration reaches.
export const SNAPSHOT = path.join("prisma", "migrations", "schema.snapshot.prisma");
const EMPTY = "-- This is an empty migration.";

function diff(fromSchema: string | null, toSchema: string, root: string): string {
  const from = fromSchema ? ["--from-schema-datamodel", fromSchema] : ["--from-empty"];
  return prisma(["migrate", "diff", ...from, "--to-schema-datamodel", toSchema, "--script"], root).trim();
}

/** The SQL that would bring each database from the snapshot to the current schema (empty when up to date). */
export function pendingSchemaChange(root = process.cwd()): { sqlite: string; postgresql: string } {
  writePostgresSchema(root);
  const snapshotPath = path.join(root, SNAPSHOT);
  if (!existsSync(snapshotPath)) {
    return { sqlite: diff(null, SQLITE_SCHEMA, root), postgresql: diff(null, POSTGRES_SCHEMA, root) };
  }
  const tmpPg = path.join(root, "prisma", "postgresql", ".snapshot.prisma");
  writeFileSync(tmpPg, derivePostgresSchema(readFileSync(snapshotPath, "utf8")));
  try {
    return {
      sqlite: diff(SNAPSHOT, SQLITE_SCHEMA, root),
      postgresql: diff(path.relative(root, tmpPg), POSTGRES_SCHEMA, root),
    };
  } finally {
    rmSync(tmpPg, { force: true });
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql === "" || sql === EMPTY;
}

if (process.argv[1]?.endsWith("migrations.ts") && process.argv[2] === "new") {
  const name = process.argv[3];
  if (!name || !/^[a-z0-9_]+$/.test(name))
    throw new Error("usage: npm run db:migration -- new <snake_case_name>");
  const root = process.cwd();
  const change = pendingSchemaChange(root);
  if (isEmptyMigration(change.sqlite)) {
    console.log("The schema matches the newest migration: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    for (const kind of ["sqlite", "postgresql"] as const) {
      const directory = path.join(root, "prisma", "migrations", kind, `${stamp}_${name}`);
      mkdirSync(directory, { recursive: true });
      writeFileSync(path.join(directory, "migration.sql"), `${change[kind]}\n`);
    }
    writeFileSync(path.join(root, SNAPSHOT), readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
    console.log(`Wrote migration ${stamp}_${name} for SQLite and PostgreSQL.`);
  }
}
