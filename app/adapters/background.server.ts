import { db } from "~/adapters/db/client.server";
import { env } from "~/env.server";
import { mailerFromEnv } from "./email.server";
import { eventLoopLagging } from "./event-loop-lag.server";
import { expireStale } from "~/services/maintenance.server";
import { startSyncWorker, type RunningWorker } from "~/services/sync/worker.server";
import { logger } from "./log.server";
import { adminClientForShop } from "./shopify-admin/admin-for-shop.server";

const state = globalThis as unknown as { npsSyncWorker?: RunningWorker; npsMaintenance?: NodeJS.Timeout };
const MAINTENANCE_INTERVAL_MS = 10 * 60_000;

export function startBackgroundWork(): void {
  const config = env();
  if (config.SYNC_WORKER !== "on" || state.npsSyncWorker) return;
  state.npsSyncWorker = startSyncWorker(
    {
      database: db(),
      adminFor: adminClientForShop,
      surveyLinkSecret: config.SHOPIFY_API_SECRET,
      mailer: mailerFromEnv(config),
    },
    {
      intervalMs: config.SYNC_WORKER_INTERVAL_MS,
      busy: config.SYNC_WORKER_BUSY_LAG_MS > 0 ? eventLoopLagging(config.SYNC_WORKER_BUSY_LAG_MS) : undefined,
    },
  );
  const maintain = () => {
    expireStale(db()).catch((error: unknown) => logger.warn({ err: error }, "maintenance failed"));
  };
  maintain(); // at start too: an instance that was down may have missed due openings and expiries
  state.npsMaintenance = setInterval(maintain, MAINTENANCE_INTERVAL_MS);
  state.npsMaintenance.unref();
}

export async function stopBackgroundWork(): Promise<void> {
  const worker = state.npsSyncWorker;
  state.npsSyncWorker = undefined;
  clearInterval(state.npsMaintenance);
  await worker?.stop();
}
