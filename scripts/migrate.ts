import { migrateDatabase } from "../app/adapters/db/migrations.server";

// Applies pending migrations to DATABASE_URL (SQLite file or PostgreSQL).
const url = process.env.DATABASE_URL ?? "file:./prisma/dev.db";
const applied = await migrateDatabase(url);
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
