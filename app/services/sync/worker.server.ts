import type { SyncJob } from "@prisma/client";
import { randomUUID } from "node:crypto";
import { logger } from "~/adapters/log.server";
import { AdminApiError } from "~/adapters/shopify-admin/admin-client.server";
import { claimDueJobs, completeJob, failJob, type SyncJobKind } from "./job-queue.server";
import { PermanentSyncError, runJob, type SyncDependencies } from "./run-job.server";

export interface WorkerOptions {
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  now?: () => Date;
}

function failureOf(error: unknown): { message: string; retryable: boolean } {
  if (error instanceof PermanentSyncError) return { message: error.message, retryable: false };
  if (error instanceof AdminApiError) return { message: error.message, retryable: error.retryable };
  return { message: error instanceof Error ? error.message : String(error), retryable: true };
}

export interface BatchResult {
  claimed: number;
  done: number;
  retried: number;
  dead: number;
}

/** Claims one batch of due jobs and runs them: shops in parallel, one shop's Admin jobs in order. */
export async function runDueJobsOnce(
  deps: SyncDependencies,
  options: WorkerOptions = {},
): Promise<BatchResult> {
  const now = options.now ?? (() => new Date());
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const jobs = await claimDueJobs(deps.database, {
    workerId,
    limit: options.batchSize ?? 50,
    now: now(),
    leaseMs: options.leaseMs,
  });
  const result: BatchResult = { claimed: jobs.length, done: 0, retried: 0, dead: 0 };
  const byShop = new Map<string, SyncJob[]>();
  // A shop's Admin writes run in order (one client paces the shop's rate limit); queued orders touch no Admin API
  // and each runs on its own.
  for (const job of jobs) {
    const lane = job.kind === ("order_webhook" satisfies SyncJobKind) ? `order:${job.id}` : job.shopDomain;
    byShop.set(lane, [...(byShop.get(lane) ?? []), job]);
  }
  await Promise.all(
    [...byShop.values()].map(async (shopJobs) => {
      for (const job of shopJobs) {
        const started = Date.now();
        const fields = {
          jobId: job.id,
          kind: job.kind,
          shop: job.shopDomain,
          attempt: job.attempts,
          workerId,
        };
        try {
          await runJob(deps, job);
          await completeJob(deps.database, job, now());
          result.done += 1;
          logger.debug({ ...fields, ms: Date.now() - started }, "sync job done");
        } catch (error) {
          const failure = failureOf(error);
          const outcome = await failJob(deps.database, job, failure, now());
          result[outcome === "dead" ? "dead" : "retried"] += 1;
          // warn, not error: the failure is kept on the job and shown on the sync health page.
          logger.warn(
            { ...fields, ms: Date.now() - started, outcome, error: failure.message.slice(0, 500) },
            outcome === "dead" ? "sync job dead" : "sync job failed, will retry",
          );
        }
      }
    }),
  );
  return result;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** A polling worker for one process: safe beside others, stops gracefully (finishes the batch in hand). */
export function startSyncWorker(
  deps: SyncDependencies,
  options: WorkerOptions & { intervalMs: number },
): RunningWorker {
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = (await runDueJobsOnce(deps, options)).claimed;
      } catch (error) {
        logger.warn({ err: error }, "sync worker: batch failed");
      }
      if (claimed === 0 && !stopping) {
        // A referenced timer: when the database is away the worker holds no open connection, and an unref'd
        // timer would let a worker process exit silently instead of polling again.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
