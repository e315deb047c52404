import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { ServiceError } from "../service-error";

// What the merchant sees of the outbox toward Shopify: how much is waiting, and which jobs gave up (status
// "dead": a user error Shopify reported, or MAX_JOB_ATTEMPTS retryable failures) with the error recorded on them.
// Every query is scoped by shopDomain.

export const SYNC_JOB_STATES = ["pending", "running", "done", "dead"] as const;
export type SyncJobState = (typeof SYNC_JOB_STATES)[number];

export const DEAD_JOBS_PAGE_SIZE = 25;

export interface DeadJob {
  id: string;
  kind: string;
  customerId: string | null;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

export interface DeadJobsPage {
  items: DeadJob[];
  /** Pass as `after` to read the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** Pass as `before` to read the previous (newer) page; null on the first page. */
  previousCursor: string | null;
}

export interface SyncHealth {
  counts: Record<SyncJobState, number>;
  /** Milliseconds since the oldest pending job was created; null when nothing is pending. */
  oldestPendingAgeMs: number | null;
  dead: DeadJobsPage;
}

export interface DeadJobsQuery {
  after?: string;
  before?: string;
  limit?: number;
}

/** Dead jobs are listed newest first by (updatedAt, id): a keyset that stays stable while jobs are retried. */
interface Cursor {
  updatedAt: Date;
  id: string;
}

export function encodeCursor(job: { updatedAt: Date; id: string }): string {
  return Buffer.from(`${job.updatedAt.toISOString()}|${job.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): Cursor | null {
  const [stamp, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!stamp || !id || rest.length > 0) return null;
  const updatedAt = new Date(stamp);
  return Number.isNaN(updatedAt.getTime()) ? null : { updatedAt, id };
}

const DEAD_JOB_FIELDS = {
  id: true,
  kind: true,
  customerId: true,
  attempts: true,
  lastError: true,
  updatedAt: true,
} as const;

/** One page of the shop's dead jobs; an unreadable cursor reads the first page. */
export async function listDeadJobs(
  database: Database,
  shopDomain: string,
  query: DeadJobsQuery = {},
): Promise<DeadJobsPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEAD_JOBS_PAGE_SIZE), 1), 100);
  const before = query.before ? decodeCursor(query.before) : null;
  const after = !before && query.after ? decodeCursor(query.after) : null;

  if (before) {
    // Newer than the cursor: read upward from it, then turn the page back to newest first.
    const rows = await database.syncJob.findMany({
      where: {
        shopDomain,
        status: "dead",
        OR: [{ updatedAt: { gt: before.updatedAt } }, { updatedAt: before.updatedAt, id: { gt: before.id } }],
      },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: limit + 1,
      select: DEAD_JOB_FIELDS,
    });
    const items = rows.slice(0, limit).reverse();
    const first = items[0];
    const last = items.at(-1);
    return {
      items,
      previousCursor: rows.length > limit && first ? encodeCursor(first) : null,
      nextCursor: last ? encodeCursor(last) : query.before || null,
    };
  }

  const rows = await database.syncJob.findMany({
    where: {
      shopDomain,
      status: "dead",
      ...(after
        ? {
            OR: [
              { updatedAt: { lt: after.updatedAt } },
              { updatedAt: after.updatedAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: DEAD_JOB_FIELDS,
  });
  const items = rows.slice(0, limit);
  const first = items[0];
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    previousCursor: after ? (first ? encodeCursor(first) : (query.after ?? null)) : null,
  };
}

/** Counts by status, the age of the oldest pending job, and one page of dead jobs — all of one shop. */
export async function syncHealth(
  database: Database,
  shopDomain: string,
  query: DeadJobsQuery = {},
  now: Date = new Date(),
): Promise<SyncHealth> {
  const [grouped, oldestPending, dead] = await Promise.all([
    database.syncJob.groupBy({ by: ["status"], where: { shopDomain }, _count: { _all: true } }),
    database.syncJob.findFirst({
      where: { shopDomain, status: "pending" },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    listDeadJobs(database, shopDomain, query),
  ]);
  const counts = Object.fromEntries(
    SYNC_JOB_STATES.map((state) => [state, grouped.find((row) => row.status === state)?._count._all ?? 0]),
  ) as Record<SyncJobState, number>;
  return {
    counts,
    oldestPendingAgeMs: oldestPending ? Math.max(0, now.getTime() - oldestPending.createdAt.getTime()) : null,
    dead,
  };
}

const jobIdSchema = z.string().trim().min(1, "jobId is required").max(100, "jobId is too long");

/** Sends one dead job of this shop back to the queue, due now, with a fresh attempt budget. */
export async function retryDeadJob(
  database: Database,
  shopDomain: string,
  jobId: unknown,
  now: Date = new Date(),
): Promise<void> {
  const parsed = jobIdSchema.safeParse(jobId);
  if (!parsed.success) {
    throw new ServiceError("invalid", {
      field: "jobId",
      message: parsed.error.issues[0]?.message ?? "invalid",
    });
  }
  // Compare-and-set on (id, shop, dead): another shop's job and a job that is not dead are both "not found",
  // so nothing about other shops' jobs can be learned here, and two clicks revive the job once.
  const { count } = await database.syncJob.updateMany({
    where: { id: parsed.data, shopDomain, status: "dead" },
    data: { status: "pending", attempts: 0, runAt: now, lockedBy: null, lockedUntil: null },
  });
  if (count === 0) {
    throw new ServiceError("not_found", {
      field: "jobId",
      message: "no dead sync job with this id in this shop",
    });
  }
}

/** Sends every dead job of this shop back to the queue; returns how many. */
export async function retryAllDeadJobs(
  database: Database,
  shopDomain: string,
  now: Date = new Date(),
): Promise<number> {
  const { count } = await database.syncJob.updateMany({
    where: { shopDomain, status: "dead" },
    data: { status: "pending", attempts: 0, runAt: now, lockedBy: null, lockedUntil: null },
  });
  return count;
}
