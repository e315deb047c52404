import type { SyncJob } from "@prisma/client";
import { randomUUID } from "node:crypto";
import { logger } from "~/adapters/log.server";
import { AdminApiError } from "~/adapters/shopify-admin/admin-client.server";
import { claimDueJobs, completeJob, failJob, type SyncJobKind } from "./job-queue.server";
import { runLanes } from "./lanes";
import { PermanentSyncError, runJob, type SyncDependencies } from "./run-job.server";

export interface WorkerOptions {
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  /** How many queued orders (database work only) run at once; the rest of the batch waits its turn. */
  orderLanes?: number;
  now?: () => Date;
}

// Enough to overlap one order's database round trips with another's, few enough that a batch of queued orders
// leaves the database pool and the event loop to the HTTP requests of the same process.
const DEFAULT_ORDER_LANES = 2;

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
  const orders: SyncJob[][] = [];
  // A shop's Admin writes run in order (one client paces the shop's rate limit; waiting for it costs nothing);
  // queued orders touch no Admin API, each runs on its own, a few at a time.
  for (const job of jobs) {
    if (job.kind === ("order_webhook" satisfies SyncJobKind)) orders.push([job]);
    else byShop.set(job.shopDomain, [...(byShop.get(job.shopDomain) ?? []), job]);
  }
  const runOne = async (job: SyncJob) => {
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
  };
  await Promise.all([
    runLanes([...byShop.values()], byShop.size, runOne),
    runLanes(orders, options.orderLanes ?? DEFAULT_ORDER_LANES, runOne),
  ]);
  return result;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * A small batch, its queued orders one at a time: the work a worker still does while its process is busy serving
 * requests.
 */
export const BUSY_BATCH = { batchSize: 5, orderLanes: 1 } as const;

/**
 * A polling worker for one process: safe beside others, stops gracefully (finishes the batch in hand). `busy`
 * says the process is behind with its own requests (a web instance under load): the worker then takes small
 * batches one job at a time and pauses between them, so it keeps going without taking the requests' turn.
 */
export function startSyncWorker(
  deps: SyncDependencies,
  options: WorkerOptions & { intervalMs: number; busy?: () => boolean },
): RunningWorker {
  let stopping = false;
  let wake: (() => void) | null = null;
  let wasBusy = false;
  const loop = (async () => {
    while (!stopping) {
      let claimed = 0;
      const busy = options.busy?.() ?? false;
      if (busy !== wasBusy) {
        logger.info({ busy }, busy ? "sync worker yields to requests" : "sync worker back to full batches");
        wasBusy = busy;
      }
      try {
        claimed = (await runDueJobsOnce(deps, busy ? { ...options, ...BUSY_BATCH } : options)).claimed;
      } catch (error) {
        logger.warn({ err: error }, "sync worker: batch failed");
      }
      if ((claimed === 0 || busy) && !stopping) {
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
