import type { Prisma } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import type { Category } from "~/domain/category";
import { type CategoryThemes, extractCommentThemes, type ThemeComment } from "~/domain/comment-themes";

/** Themes read at most this many comments, the newest of the range. */
export const COMMENT_THEMES_LIMIT = 5_000;
const PAGE_SIZE = 1_000;

export interface CommentThemesQuery {
  from: Date;
  /** Exclusive. */
  to: Date;
  category?: Category;
  locale?: string;
  /** Cap on comments read (default COMMENT_THEMES_LIMIT). */
  limit?: number;
  /** Rows per database page (default 1,000). */
  pageSize?: number;
  /** Themes per category (default 10). */
  maxThemes?: number;
}

export interface CommentThemesResult {
  range: { from: string; to: string };
  /** Comments the themes were computed from. */
  analyzed: number;
  /** The cap on comments read. */
  limit: number;
  /** True when the range holds more comments than the cap: the themes come from the newest `limit`. */
  sampled: boolean;
  categories: CategoryThemes[];
}

/**
 * Themes of the shop's confirmed comments in [from, to), per category (only `category` when given). Comments
 * are read newest first in bounded pages, at most `limit` of them; the text analysis runs in the process.
 */
export async function commentThemes(
  database: Database,
  shopDomain: string,
  query: CommentThemesQuery,
): Promise<CommentThemesResult> {
  const limit = Math.max(1, Math.floor(query.limit ?? COMMENT_THEMES_LIMIT));
  const pageSize = Math.max(1, Math.floor(query.pageSize ?? PAGE_SIZE));
  const where: Prisma.ResponseWhereInput = {
    shopDomain,
    status: "confirmed",
    createdAt: { gte: query.from, lt: query.to },
    comment: { not: null },
    NOT: { comment: "" },
    ...(query.category ? { category: query.category } : {}),
    ...(query.locale ? { locale: query.locale } : {}),
  };
  const comments: ThemeComment[] = [];
  let cursor: string | undefined;
  let sampled = false;
  while (comments.length < limit) {
    const wanted = Math.min(pageSize, limit - comments.length);
    // One row more than wanted on the last page tells whether the cap cut the range short.
    const take = comments.length + wanted >= limit ? wanted + 1 : wanted;
    const rows = await database.response.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, comment: true, category: true, locale: true },
    });
    for (const row of rows.slice(0, wanted)) {
      comments.push({
        id: row.id,
        comment: row.comment ?? "",
        category: row.category as Category,
        locale: row.locale,
      });
    }
    if (rows.length > wanted) sampled = true;
    if (rows.length < take) break;
    cursor = rows[wanted - 1]?.id;
  }
  const categories = extractCommentThemes(comments, { maxThemes: query.maxThemes ?? 10 });
  return {
    range: { from: query.from.toISOString(), to: query.to.toISOString() },
    analyzed: comments.length,
    limit,
    sampled,
    categories: query.category ? categories.filter((entry) => entry.category === query.category) : categories,
  };
}
