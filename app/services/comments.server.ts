import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { containsIgnoringCase } from "~/adapters/db/text-search.server";
import { CATEGORIES } from "~/domain/category";

export const commentFilterSchema = z.object({
  category: z.enum(CATEGORIES).optional().catch(undefined),
  minScore: z.coerce.number().int().min(0).max(10).optional().catch(undefined),
  maxScore: z.coerce.number().int().min(0).max(10).optional().catch(undefined),
  locale: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional()
    .catch(undefined),
  search: z.string().trim().max(100).optional().catch(undefined),
  withComment: z.enum(["yes", "all"]).default("yes").catch("yes"),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type CommentFilter = z.infer<typeof commentFilterSchema>;

export const COMMENTS_PAGE_SIZE = 25;

/** One page of answers, newest first, filtered in the database. */
export async function listComments(database: Database, shopDomain: string, filter: CommentFilter) {
  const where = {
    shopDomain,
    status: "confirmed",
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.minScore !== undefined || filter.maxScore !== undefined
      ? { score: { gte: filter.minScore ?? 0, lte: filter.maxScore ?? 10 } }
      : {}),
    ...(filter.locale ? { locale: filter.locale } : {}),
    ...(filter.search
      ? { comment: containsIgnoringCase(filter.search) }
      : filter.withComment === "yes"
        ? { comment: { not: null } }
        : {}),
  };
  const [total, rows] = await Promise.all([
    database.response.count({ where }),
    database.response.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * COMMENTS_PAGE_SIZE,
      take: COMMENTS_PAGE_SIZE,
      select: {
        id: true,
        score: true,
        category: true,
        comment: true,
        locale: true,
        channel: true,
        createdAt: true,
        orderId: true,
      },
    }),
  ]);
  return { total, rows, page: filter.page, pages: Math.max(1, Math.ceil(total / COMMENTS_PAGE_SIZE)) };
}
