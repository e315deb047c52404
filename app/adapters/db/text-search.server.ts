import type { Prisma } from "@prisma/client";
import { env } from "~/env.server";
import { databaseKind } from "./client.server";

/**
 * "Contains, ignoring case" on both databases: SQLite's LIKE already ignores ASCII case; PostgreSQL needs Prisma's
 * `mode: "insensitive"` (ILIKE), which the SQLite client's types — the ones the app is typed with — do not know.
 */
export function containsIgnoringCase(
  text: string,
  kind = databaseKind(env().DATABASE_URL),
): Prisma.StringNullableFilter {
  const filter = { contains: text };
  return kind === "postgresql" ? ({ ...filter, mode: "insensitive" } as Prisma.StringNullableFilter) : filter;
}
