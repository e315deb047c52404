import { db } from "../app/adapters/db/client.server";
import { mailerFromEnv } from "../app/adapters/email.server";
import { adminClientForShop } from "../app/adapters/shopify-admin/admin-for-shop.server";
import { env } from "../app/env.server";
import { startSyncWorker } from "../app/services/sync/worker.server";

// `npm run worker`: a sync worker process of its own (beside HTTP instances started with SYNC_WORKER=off).
// SIGTERM/SIGINT finish the batch in hand; a killed worker's jobs are taken again when their lease runs out.
const config = env();
const worker = startSyncWorker(
  {
    database: db(),
    adminFor: adminClientForShop,
    surveyLinkSecret: config.SHOPIFY_API_SECRET,
    mailer: mailerFromEnv(config),
  },
  {
    intervalMs: config.SYNC_WORKER_INTERVAL_MS,
    leaseMs: Number(process.env.SYNC_LEASE_MS ?? 60_000),
    batchSize: Number(process.env.SYNC_BATCH_SIZE ?? 50),
  },
);
console.log(`sync worker ${process.pid} started`);

const SHUTDOWN_GRACE_MS = 10_000;

async function stop() {
  // A batch stuck on a slow Shopify call must not keep the process alive; its jobs' leases will run out.
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  await worker.stop();
  await db().$disconnect();
  process.exit(0);
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
