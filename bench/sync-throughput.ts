import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "../tests/emulator";
import { orderPayload } from "../tests/factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../tests/factories/shop";

export interface SyncBenchResult {
  customers: number;
  seconds: number;
  customersPerSecond: number;
  surfacedThrottles: number;
  throttledResponses: number;
  exact: boolean;
}

/** Syncs `customers` answered customers under the emulated Standard plan (100 points/s) and checks the end state. */
export async function benchSyncThroughput(customers: number): Promise<SyncBenchResult> {
  const directory = mkdtempSync(path.join(tmpdir(), "nps-bench-"));
  const emulator = await startEmulator();
  Object.assign(process.env, {
    DATABASE_URL: `file:${path.join(directory, "bench.db")}`,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:3999",
    SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
    SYNC_WORKER: "off",
  });
  const { migrateDatabase } = await import("../app/adapters/db/migrations.server");
  await migrateDatabase(process.env.DATABASE_URL ?? "");
  const { db } = await import("../app/adapters/db/client.server");
  const { handleOrderWebhook } = await import("../app/services/order-webhooks.server");
  const { submitAnswer } = await import("../app/services/responses/survey-responses.server");
  const { runDueJobsOnce } = await import("../app/services/sync/worker.server");
  const { adminClientForShop } = await import("../app/adapters/shopify-admin/admin-for-shop.server");
  const database = db();
  const shop = testShop({ shopDomain: "bench.myshopify.com", plan: "standard" });
  try {
    await installTestShop(database, emulator.url, shop);
    const survey = await database.survey.findUniqueOrThrow({ where: { shopDomain: shop.shopDomain } });
    await database.survey.update({
      where: { shopDomain: shop.shopDomain },
      data: {
        settings: JSON.stringify({
          ...JSON.parse(survey.settings),
          channels: { thankYou: true, orderStatus: true, storefront: true, surveyLink: false },
        }),
      },
    });
    const ids = Array.from({ length: customers }, (_, index) => 800_000 + index);
    await addEmulatorCustomers(
      emulator.url,
      shop.shopDomain,
      ids.map((id) => ({ id, tags: ["merchant"] })),
    );
    await addEmulatorOrders(
      emulator.url,
      shop.shopDomain,
      ids.map((id) => ({ id: id + 1_000_000, customerId: id })),
    );
    for (const [index, id] of ids.entries()) {
      const orderId = String(id + 1_000_000);
      await handleOrderWebhook(database, {
        shopDomain: shop.shopDomain,
        topic: "orders/create",
        webhookId: `bench-${orderId}`,
        payload: orderPayload({ id: id + 1_000_000, customerId: id }),
      });
      await submitAnswer(database, {
        shopDomain: shop.shopDomain,
        orderId,
        channel: "thank_you",
        answer: { orderId, score: index % 11 },
        locale: "en",
      });
    }
    // The setup job (definitions, segments) is not part of the measurement.
    await runDueJobsOnce(
      { database, adminFor: adminClientForShop, surveyLinkSecret: "bench-secret" },
      { batchSize: 1 },
    );
    emulator.store.requests.length = 0;
    const started = performance.now();
    const deps = { database, adminFor: adminClientForShop, surveyLinkSecret: "bench-secret" };
    while ((await database.syncJob.count({ where: { status: { in: ["pending", "running"] } } })) > 0) {
      await runDueJobsOnce(deps, { batchSize: 100 });
    }
    const seconds = (performance.now() - started) / 1000;
    const profiles = await database.customerProfile.findMany({ where: { shopDomain: shop.shopDomain } });
    const state = emulator.store.shops.get(shop.shopDomain);
    const exact = profiles.every((profile) => {
      const tags = state?.customers.get(`gid://shopify/Customer/${profile.customerId}`)?.tags ?? [];
      return tags.includes(`nps:${profile.latestCategory}`) && tags.includes("merchant") && tags.length === 2;
    });
    return {
      customers,
      seconds,
      customersPerSecond: customers / seconds,
      surfacedThrottles: await database.syncJob.count({ where: { lastError: { contains: "hrottled" } } }),
      throttledResponses: emulator.store.requests.filter((request) => request.throttled).length,
      exact,
    };
  } finally {
    await database.$disconnect();
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
