import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma CLI without native engines: generate and `migrate diff --script` run on the JS schema engine.
// Migrations are applied by scripts/migrate.ts (see docs/decisions/0002-migrations.md), not by prisma migrate.
const url = process.env.DATABASE_URL ?? "file:./prisma/dev.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  adapter: async () =>
    url.startsWith("postgres")
      ? new PrismaPg({ connectionString: url })
      : new PrismaBetterSQLite3({ url: url.replace(/^file:/, "") }),
});
