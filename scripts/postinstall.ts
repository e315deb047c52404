import { execFileSync } from "node:child_process";
import { migrateDatabase } from "../app/adapters/db/migrations.server";
import { generateClients } from "./prisma-schemas";

// A fresh clone is ready after `npm install`: both Prisma clients generated, the Admin API operation types
// generated from the offline schema, the default SQLite database migrated.
generateClients();
execFileSync("npm", ["run", "--silent", "codegen"], { stdio: ["ignore", "ignore", "inherit"] });
const applied = await migrateDatabase(process.env.DATABASE_URL ?? "file:./prisma/dev.db");
console.log(
  `NPS Sync: Prisma clients and Admin API types generated; ${applied.length} migration(s) applied to the default database.`,
);
