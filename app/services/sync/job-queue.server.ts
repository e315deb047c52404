import type { Prisma, SyncJob } from "@prisma/client";
import { type Database, type DatabaseKind, databaseKind } from "~/adapters/db/client.server";
import { claimJobsSkipLocked } from "~/adapters/db/job-claims.server";
import { env } from "~/env.server";
import { backoffDelay } from "~/domain/leaky-bucket";

// The durable outbox toward Shopify. Jobs are written in the same transaction as the fact that causes them and
// claimed so that several workers (processes or instances) never run the same job at once: on PostgreSQL with
// FOR UPDATE SKIP LOCKED, on SQLite (one writer at a time) by compare-and-set (docs/decisions/0004-job-claims.md).
export type SyncJobKind =
  | "customer_category"
  | "ensure_setup"
  | "order_survey_link"
  | "flow_trigger"
  | "enrich_customer"
  | "reconcile_tags"
  | "update_segments"
  | "bulk_retag"
  | "detractor_alert"
  | "order_webhook";
export const MAX_JOB_ATTEMPTS = 8;
export const DEFAULT_LEASE_MS = 60_000;

type Tx = Prisma.TransactionClient | Database;

export async function enqueueJob(
  tx: Tx,
  job: { shopDomain: string; kind: SyncJobKind; customerId?: string | null; payload?: unknown; runAt?: Date },
): Promise<void> {
  // A pending job for the same customer already reads the newest answer when it runs: no second job needed.
  if (job.customerId) {
    const pending = await tx.syncJob.findFirst({
      where: { shopDomain: job.shopDomain, kind: job.kind, customerId: job.customerId, status: "pending" },
      select: { id: true },
    });
    if (pending) return;
  }
  await tx.syncJob.create({
    data: {
      shopDomain: job.shopDomain,
      kind: job.kind,
      customerId: job.customerId ?? null,
      payload: JSON.stringify(job.payload ?? {}),
      ...(job.runAt ? { runAt: job.runAt } : {}),
    },
  });
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  now: Date;
  leaseMs?: number;
}

/** Claims due jobs: pending ones whose time has come, and running ones whose worker's lease ran out. */
export async function claimDueJobs(
  database: Database,
  options: ClaimOptions,
  kind: DatabaseKind = databaseKind(env().DATABASE_URL),
): Promise<SyncJob[]> {
  const { now } = options;
  const lockedUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));
  if (kind === "postgresql") {
    return claimJobsSkipLocked(database, {
      workerId: options.workerId,
      limit: options.limit,
      now,
      lockedUntil,
    });
  }
  const candidates = await database.syncJob.findMany({
    where: {
      OR: [
        { status: "pending", runAt: { lte: now } },
        { status: "running", lockedUntil: { lt: now } },
      ],
    },
    orderBy: { runAt: "asc" },
    take: options.limit * 2,
  });
  const claimed: SyncJob[] = [];
  for (const job of candidates) {
    if (claimed.length >= options.limit) break;
    const { count } = await database.syncJob.updateMany({
      where: { id: job.id, status: job.status, attempts: job.attempts },
      data: { status: "running", lockedBy: options.workerId, lockedUntil, attempts: { increment: 1 } },
    });
    if (count === 1) {
      claimed.push({
        ...job,
        status: "running",
        lockedBy: options.workerId,
        lockedUntil,
        attempts: job.attempts + 1,
      });
    }
  }
  return claimed;
}

export async function completeJob(database: Database, job: SyncJob, now: Date): Promise<void> {
  await database.syncJob.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy },
    data: { status: "done", doneAt: now, lockedBy: null, lockedUntil: null, lastError: null },
  });
}

/** A retryable failure goes back to pending with backoff; after MAX_JOB_ATTEMPTS, or when not retryable, it is dead. */
export async function failJob(
  database: Database,
  job: SyncJob,
  failure: { message: string; retryable: boolean },
  now: Date,
  random: () => number = Math.random,
): Promise<"retry" | "dead"> {
  const dead = !failure.retryable || job.attempts >= MAX_JOB_ATTEMPTS;
  const runAt = new Date(now.getTime() + 1000 + backoffDelay(job.attempts, random(), 2000, 10 * 60_000));
  await database.syncJob.updateMany({
    where: { id: job.id, lockedBy: job.lockedBy },
    data: {
      status: dead ? "dead" : "pending",
      lastError: failure.message.slice(0, 2000),
      lockedBy: null,
      lockedUntil: null,
      ...(dead ? {} : { runAt }),
    },
  });
  return dead ? "dead" : "retry";
}
