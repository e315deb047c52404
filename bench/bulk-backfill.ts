import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startEmulator } from "../tests/emulator";
import { bulkState, DEFAULT_BULK_OPTIONS } from "../tests/emulator/bulk";
import { installTestShop, testShop } from "../tests/factories/shop";

// Bulk backfill: N answered customers in a SQLite database and the emulator, each carrying the default NPS tag of
// its category and a merchant tag; the tag names are renamed in the settings, and the re-tag run writes every
// customer through the emulated bulk import flow (staged upload → bulkOperationRunMutation → polling → results).
// Measured from the settings save to the run's end, then the whole emulated shop is checked.
// The emulator runs each operation at DEFAULT_BULK_OPTIONS' pace (linesPerChunk per chunkIntervalMs); Shopify's own
// pace is not published, so the figure that carries over is the app's share (`appSeconds`), not the wall time.
// `npx tsx bench/bulk-backfill.ts [customers]` (100,000 by default).

export interface BulkBackfillResult {
  customers: number;
  /** Lines sent to Shopify: three per customer (tagsAdd, tagsRemove, customerUpdate with the metafields). */
  lines: number;
  /** From the settings save to the run's end. */
  seconds: number;
  linesPerSecond: number;
  customersPerSecond: number;
  /** Time spent inside the worker's job runs (reading the database, building and uploading files, polling,
   * reading results): the app's share of the wall time. */
  appSeconds: number;
  /** The emulator's pace per bulk operation, lines/s, and how many operations it runs at once. */
  emulatorLinesPerSecondPerOperation: number;
  emulatorConcurrency: number;
  bulkOperations: number;
  adminRequests: number;
  uploadedBytes: number;
  seedSeconds: number;
  status: string;
  lineErrors: number;
  exact: boolean;
  /** Customers whose tags or metafields do not match their answer and merchant tag (empty when exact). */
  wrong: string[];
}

const OLD = { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" };
const NEW = { promoter: "NPS Promoter", passive: "NPS Passive", detractor: "NPS Detractor" };
const FIRST_ID = 900_000;
const BATCH = 2000;

function categoryOf(score: number): "promoter" | "passive" | "detractor" {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

export async function benchBulkBackfill(customers: number): Promise<BulkBackfillResult> {
  const directory = mkdtempSync(path.join(tmpdir(), "nps-bench-bulk-"));
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
  const { runDueJobsOnce } = await import("../app/services/sync/worker.server");
  const { adminClientForShop } = await import("../app/adapters/shopify-admin/admin-for-shop.server");
  const { saveSurveySettings } = await import("../app/services/survey-settings.server");
  const { currentSurvey } = await import("../app/services/shops.server");
  const database = db();
  const deps = { database, adminFor: adminClientForShop, surveyLinkSecret: "bench-secret" };
  const shop = testShop({ shopDomain: "bench-bulk.myshopify.com", plan: "standard" });
  try {
    const seedStarted = performance.now();
    await installTestShop(database, emulator.url, shop);
    // The setup job (metafield definitions, segments) is not part of the measurement.
    while ((await runDueJobsOnce(deps, { batchSize: 10 })).claimed > 0);

    const answeredAt = new Date(Date.now() - 86_400_000);
    for (let start = 0; start < customers; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, customers - start) }, (_, offset) => {
        const index = start + offset;
        const score = index % 11;
        return { id: FIRST_ID + index, index, score, category: categoryOf(score) };
      });
      emulator.store.upsertCustomers(
        shop.shopDomain,
        batch.map((customer) => ({ id: customer.id, tags: ["merchant", OLD[customer.category]] })),
      );
      await database.customerProfile.createMany({
        data: batch.map((customer) => ({
          shopDomain: shop.shopDomain,
          customerId: String(customer.id),
          ordersCount: 1,
          latestScore: customer.score,
          latestCategory: customer.category,
          latestRespondedAt: answeredAt,
          responsesCount: 1,
        })),
      });
      await database.invitation.createMany({
        data: batch.map((customer) => ({
          id: `bench-invitation-${customer.id}`,
          shopDomain: shop.shopDomain,
          orderId: String(customer.id + 1_000_000),
          customerId: String(customer.id),
          status: "answered",
          source: "webhook",
          surveyVersion: 1,
          expiresAt: new Date(answeredAt.getTime() + 30 * 86_400_000),
          answeredAt,
        })),
      });
      await database.response.createMany({
        data: batch.map((customer) => ({
          shopDomain: shop.shopDomain,
          invitationId: `bench-invitation-${customer.id}`,
          orderId: String(customer.id + 1_000_000),
          customerId: String(customer.id),
          score: customer.score,
          category: customer.category,
          comment: customer.index % 4 === 0 ? `Bench comment ${customer.index}` : null,
          channel: "thank_you",
          locale: "en",
          surveyVersion: 1,
          createdAt: answeredAt,
        })),
      });
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    emulator.store.requests.length = 0;
    const bulk = bulkState(emulator.store);
    const uploadedBefore = bulk.uploads.size;

    const started = performance.now();
    const { settings } = await currentSurvey(database, shop.shopDomain);
    await saveSurveySettings(database, shop.shopDomain, { ...settings, tagNames: NEW });
    const run = await database.bulkRun.findFirstOrThrow({ where: { shopDomain: shop.shopDomain } });
    let appMs = 0;
    let reported = 0;
    for (;;) {
      const current = await database.bulkRun.findUniqueOrThrow({ where: { id: run.id } });
      if (current.status !== "running") break;
      const workStarted = performance.now();
      const { claimed } = await runDueJobsOnce(deps, { batchSize: 10 });
      appMs += performance.now() - workStarted;
      if (claimed === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed - reported >= 10) {
        reported = elapsed;
        const done = [...bulk.operations.values()].reduce((sum, operation) => sum + operation.objectCount, 0);
        console.error(`  ${done}/${customers * 3} lines in ${elapsed.toFixed(0)} s`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const finished = await database.bulkRun.findUniqueOrThrow({ where: { id: run.id } });

    const state = emulator.store.shops.get(shop.shopDomain);
    const wrong: string[] = [];
    for (let index = 0; index < customers; index += 1) {
      const id = FIRST_ID + index;
      const category = categoryOf(index % 11);
      const customer = state?.customers.get(`gid://shopify/Customer/${id}`);
      const tags = customer?.tags ?? [];
      const metafield = (key: string) =>
        customer?.metafields.find((field) => field.namespace === "nps" && field.key === key)?.value;
      const exact =
        tags.length === 2 &&
        tags.includes("merchant") &&
        tags.includes(NEW[category]) &&
        metafield("score") === String(index % 11) &&
        metafield("category") === category &&
        metafield("last_comment") === (index % 4 === 0 ? `Bench comment ${index}` : undefined);
      if (!exact) wrong.push(String(id));
    }
    const operations = [...bulk.operations.values()];
    const uploadedBytes = operations.reduce(
      (sum, operation) =>
        sum + operation.lines.reduce((bytes, line) => bytes + JSON.stringify(line).length + 1, 0),
      0,
    );
    const lines = customers * 3;
    return {
      customers,
      lines,
      seconds,
      linesPerSecond: lines / seconds,
      customersPerSecond: customers / seconds,
      appSeconds: appMs / 1000,
      emulatorLinesPerSecondPerOperation:
        (DEFAULT_BULK_OPTIONS.linesPerChunk * 1000) / DEFAULT_BULK_OPTIONS.chunkIntervalMs,
      emulatorConcurrency: DEFAULT_BULK_OPTIONS.concurrency,
      bulkOperations: operations.length,
      adminRequests: emulator.store.requests.length,
      uploadedBytes: bulk.uploads.size > uploadedBefore ? uploadedBytes : 0,
      seedSeconds,
      status: `${finished.status}${finished.lastError ? `: ${finished.lastError}` : ""}`,
      lineErrors: finished.lineErrors,
      exact: finished.status === "completed" && wrong.length === 0,
      wrong: wrong.slice(0, 20),
    };
  } finally {
    await database.$disconnect();
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const customers = Number(process.argv[2] ?? process.env.BENCH_BULK_CUSTOMERS ?? 100_000);
  const result = await benchBulkBackfill(customers);
  console.log(result);
  if (!result.exact) process.exit(1);
}
