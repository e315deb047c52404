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
  /** Points the sync asked for per customer (Shopify's requested cost, throttled answers left out). */
  pointsPerCustomer: number;
  /** The fastest any sync could go at these points: the full 2,000-point bucket first, then 100 points/s. */
  ceilingCustomersPerSecond: number;
  surfacedThrottles: number;
  throttledResponses: number;
  exact: boolean;
  /** Jobs still waiting when the last tag was written: enrichment, which only spends spare points. */
  deferredJobs: number;
  /** Customers whose tags or metafields in Shopify do not match their latest answer (empty when exact). */
  wrong: string[];
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
    const state = emulator.store.shops.get(shop.shopDomain);
    // Measure from a full bucket, as a shop that has been quiet would have it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    emulator.store.requests.length = 0;
    const startBucket = state?.bucket.status(emulator.store.now()).currentlyAvailable ?? 2000;
    const started = performance.now();
    const deps = { database, adminFor: adminClientForShop, surveyLinkSecret: "bench-secret" };
    let reported = 0;
    // Tag writes are what is measured; enrichment reads wait for spare points and come after (reported apart).
    const tagJobsLeft = () =>
      database.syncJob.count({
        where: { kind: "customer_category", status: { in: ["pending", "running"] } },
      });
    while ((await tagJobsLeft()) > 0) {
      await runDueJobsOnce(deps, { batchSize: 100 });
      const done = await database.syncJob.count({ where: { kind: "customer_category", status: "done" } });
      if (done - reported >= 1000) {
        reported = done;
        const elapsed = (performance.now() - started) / 1000;
        console.error(
          `  ${done}/${customers} customers in ${elapsed.toFixed(0)} s (${(done / elapsed).toFixed(2)}/s)`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const deferredJobs = await database.syncJob.count({ where: { status: { in: ["pending", "running"] } } });
    const profiles = await database.customerProfile.findMany({ where: { shopDomain: shop.shopDomain } });
    const wrong = profiles
      .filter((profile) => {
        const customer = state?.customers.get(`gid://shopify/Customer/${profile.customerId}`);
        const tags = customer?.tags ?? [];
        const metafield = (key: string) =>
          customer?.metafields.find((field) => field.namespace === "nps" && field.key === key)?.value;
        return !(
          tags.length === 2 &&
          tags.includes("merchant") &&
          tags.includes(`nps:${profile.latestCategory}`) &&
          metafield("score") === String(profile.latestScore) &&
          metafield("category") === profile.latestCategory
        );
      })
      .map((profile) => profile.customerId);
    const answered = emulator.store.requests.filter((request) => !request.throttled);
    const pointsPerCustomer = answered.reduce((sum, request) => sum + request.requestedCost, 0) / customers;
    const ceilingSeconds = Math.max(0, customers * pointsPerCustomer - startBucket) / 100;
    return {
      customers,
      seconds,
      customersPerSecond: customers / seconds,
      pointsPerCustomer,
      ceilingCustomersPerSecond: ceilingSeconds > 0 ? customers / ceilingSeconds : Number.POSITIVE_INFINITY,
      surfacedThrottles: await database.syncJob.count({ where: { lastError: { contains: "hrottled" } } }),
      throttledResponses: emulator.store.requests.filter((request) => request.throttled).length,
      exact: profiles.length === customers && wrong.length === 0,
      deferredJobs,
      wrong: wrong.slice(0, 20),
    };
  } finally {
    await database.$disconnect();
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
