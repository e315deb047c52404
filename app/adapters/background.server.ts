import { db } from "~/adapters/db/client.server";
import { env } from "~/env.server";
import { startSyncWorker, type RunningWorker } from "~/services/sync/worker.server";
import { adminClientForShop } from "./shopify-admin/admin-for-shop.server";

const state = globalThis as unknown as { npsSyncWorker?: RunningWorker };

export function startBackgroundWork(): void {
  const config = env();
  if (config.SYNC_WORKER !== "on" || state.npsSyncWorker) return;
  state.npsSyncWorker = startSyncWorker(
    { database: db(), adminFor: adminClientForShop, surveyLinkSecret: config.SHOPIFY_API_SECRET },
    { intervalMs: config.SYNC_WORKER_INTERVAL_MS },
  );
}

export async function stopBackgroundWork(): Promise<void> {
  const worker = state.npsSyncWorker;
  state.npsSyncWorker = undefined;
  await worker?.stop();
}
