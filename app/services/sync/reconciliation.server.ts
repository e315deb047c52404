import type { ReconciliationRun } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { enqueueJob } from "./job-queue.server";

// Reconciliation runs: queued by the daily maintenance pass or the "Check tags now" button, carried out by the
// reconcile_tags job (jobs/reconcile-tags.server.ts), shown on the sync health page.

export const RECONCILIATION_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type ReconciliationTrigger = "schedule" | "manual";

export interface ReconciliationRequest {
  /** False when a run of the shop was already queued or running: that one goes on, no second one. */
  queued: boolean;
  runId: string | null;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/** Ends an active run whose job is gone (dead, or dropped at uninstall), so the shop can be checked again. */
async function closeAbandonedRun(database: Database, run: ReconciliationRun, now: Date): Promise<boolean> {
  const live = await database.syncJob.count({
    where: { shopDomain: run.shopDomain, kind: "reconcile_tags", status: { in: ["pending", "running"] } },
  });
  if (live > 0) return false;
  await database.$transaction([
    database.reconciliationRun.updateMany({
      where: { id: run.id, activeShop: run.shopDomain },
      data: { activeShop: null, status: "failed", error: "stopped before it finished", finishedAt: now },
    }),
    database.reconciliationMark.deleteMany({ where: { shopDomain: run.shopDomain, runId: run.id } }),
  ]);
  return true;
}

/** Queues a reconciliation of the shop's tags, unless one is queued or running already. */
export async function requestReconciliation(
  database: Database,
  shopDomain: string,
  trigger: ReconciliationTrigger,
  now: Date = new Date(),
  options: { pageSize?: number } = {},
): Promise<ReconciliationRequest> {
  const active = await database.reconciliationRun.findUnique({ where: { activeShop: shopDomain } });
  if (active && !(await closeAbandonedRun(database, active, now))) return { queued: false, runId: active.id };
  try {
    return await database.$transaction(async (tx) => {
      // activeShop is unique: of two instances queueing at once, one gets the run and the other the violation.
      const run = await tx.reconciliationRun.create({
        data: { shopDomain, activeShop: shopDomain, trigger, createdAt: now },
      });
      await enqueueJob(tx, {
        shopDomain,
        kind: "reconcile_tags",
        payload: { runId: run.id, step: 0, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
        runAt: now,
      });
      return { queued: true, runId: run.id };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await database.reconciliationRun.findUnique({ where: { activeShop: shopDomain } });
    return { queued: false, runId: winner?.id ?? null };
  }
}

/**
 * The daily check: one run per installed shop whose last run was queued a day or more ago. A shop installed less
 * than a day ago waits (nothing of it can have drifted yet). Returns how many runs were queued.
 */
export async function scheduleDailyReconciliations(
  database: Database,
  now: Date = new Date(),
): Promise<number> {
  const dayAgo = new Date(now.getTime() - RECONCILIATION_INTERVAL_MS);
  const [shops, recent] = await Promise.all([
    database.shop.findMany({
      where: { uninstalledAt: null, installedAt: { lte: dayAgo } },
      select: { shopDomain: true },
    }),
    database.reconciliationRun.findMany({
      where: { OR: [{ createdAt: { gt: dayAgo } }, { activeShop: { not: null } }] },
      select: { shopDomain: true },
      distinct: ["shopDomain"],
    }),
  ]);
  const skip = new Set(recent.map((run) => run.shopDomain));
  let queued = 0;
  for (const { shopDomain } of shops) {
    if (skip.has(shopDomain)) continue;
    if ((await requestReconciliation(database, shopDomain, "schedule", now)).queued) queued += 1;
  }
  return queued;
}

export interface ReconciliationView {
  id: string;
  trigger: string;
  status: string;
  checked: number;
  drifted: number;
  repaired: number;
  gone: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ReconciliationSummary {
  /** The newest run, queued, running or ended. */
  latest: ReconciliationView | null;
  /** The newest run that ended, when the newest is still under way. */
  lastFinished: ReconciliationView | null;
}

const VIEW = {
  id: true,
  trigger: true,
  status: true,
  checked: true,
  drifted: true,
  repaired: true,
  gone: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

export async function reconciliationSummary(
  database: Database,
  shopDomain: string,
): Promise<ReconciliationSummary> {
  const latest = await database.reconciliationRun.findFirst({
    where: { shopDomain },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: VIEW,
  });
  const lastFinished =
    latest && !latest.finishedAt
      ? await database.reconciliationRun.findFirst({
          where: { shopDomain, finishedAt: { not: null } },
          orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
          select: VIEW,
        })
      : null;
  return { latest, lastFinished };
}
