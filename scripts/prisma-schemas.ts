import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// prisma/schema.prisma (SQLite) is the one model set; the PostgreSQL schema is derived from it so the two
// can never drift. The derived file is committed so that reviews show it; a unit test checks it is current.
export const SQLITE_SCHEMA = path.join("prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join("prisma", "postgresql", "schema.prisma");

export function derivePostgresSchema(sqliteSchema: string): string {
  const replaced = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/unused"')
    .replace(
      'engineType = "client"',
      'engineType = "client"\n  output     = "../../node_modules/.prisma/client-pg"',
    );
  return `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts — do not edit.\n${replaced}`;
}

export function writePostgresSchema(root = process.cwd()): void {
  const source = readFileSync(path.join(root, SQLITE_SCHEMA), "utf8");
  writeFileSync(path.join(root, POSTGRES_SCHEMA), derivePostgresSchema(source));
}

export function prisma(args: string[], root = process.cwd()): string {
  return execFileSync(path.join(root, "node_modules", ".bin", "prisma"), args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function generateClients(root = process.cwd()): void {
  writePostgresSchema(root);
  prisma(["generate", "--schema", SQLITE_SCHEMA], root);
  prisma(["generate", "--schema", POSTGRES_SCHEMA], root);
}
