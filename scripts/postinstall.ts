import { migrateDatabase } from "../app/adapters/db/migrations.server";
import { generateClients } from "./prisma-schemas";

// A fresh clone is ready after `npm install`: both Prisma clients generated, the default SQLite database migrated.
generateClients();
const applied = await migrateDatabase(process.env.DATABASE_URL ?? "file:./prisma/dev.db");
console.log(
  `NPS Sync: Prisma clients generated; ${applied.length} migration(s) applied to the default database.`,
);
