import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { answerOrder, customersOutOfStep } from "../factories/answers";
import { addEmulatorCustomers, addEmulatorOrders } from "../factories/shop";
import {
  type AppHarness,
  startAppHarness,
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const CUSTOMERS = 1000;
const TWICE = 150; // these customers answer a second time, with another category: the newer answer must win

function startWorker(databaseUrl: string, emulatorUrl: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/sync-worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_ADMIN_API_ORIGIN: emulatorUrl,
      SYNC_LEASE_MS: "3000",
      SYNC_WORKER_INTERVAL_MS: "100",
      SYNC_BATCH_SIZE: "20",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the process has exited, also when it already had. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function describeWorkerCrash(kind: DatabaseKind) {
  describeOnDatabase(kind, "a sync worker killed mid-run", () => {
    let app: AppHarness;
    let worker: ChildProcess | null = null;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      app.emulator.store.registerShop({
        domain: app.shop.shopDomain,
        accessToken: app.shop.accessToken,
        plan: "enterprise",
      });
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      const { currentSurvey } = await import("../../app/services/shops.server");
      const { settings } = await currentSurvey(app.database, app.shop.shopDomain);
      await saveSurveySettings(app.database, app.shop.shopDomain, {
        ...settings,
        frequencyCapDays: 0,
        channels: { ...settings.channels, surveyLink: false },
      });
      const ids = Array.from({ length: CUSTOMERS }, (_, index) => 600_000 + index);
      await addEmulatorCustomers(
        app.emulator.url,
        app.shop.shopDomain,
        ids.map((id) => ({ id, tags: ["merchant-tag"] })),
      );
      await addEmulatorOrders(app.emulator.url, app.shop.shopDomain, [
        ...ids.map((id) => ({ id: id + 1_000_000, customerId: id })),
        ...ids.slice(0, TWICE).map((id) => ({ id: id + 2_000_000, customerId: id })),
      ]);
      const start = Date.now() - 3_600_000;
      const respond = (orderId: number, customerId: number, score: number, at: number) =>
        answerOrder(app.database, app.shop.shopDomain, { orderId, customerId, score, at: new Date(at) });
      for (const [index, id] of ids.entries()) await respond(id + 1_000_000, id, index % 11, start + index);
      // The second answers are newer; 10 minus the first score puts most customers in another category.
      for (const [index, id] of ids.slice(0, TWICE).entries()) {
        await respond(id + 2_000_000, id, 10 - (index % 11), start + 1_800_000 + index);
      }
    }, 180_000);

    afterAll(async () => {
      worker?.kill("SIGKILL");
      await app?.close();
    });

    it("ends, after SIGKILL and a restart, with every customer's tags and metafields matching the latest answer", async () => {
      const jobs = (status: string) =>
        app.database.syncJob.count({
          where: { shopDomain: app.shop.shopDomain, kind: "customer_category", status },
        });
      const databaseUrl = process.env.DATABASE_URL ?? "";
      worker = startWorker(databaseUrl, app.emulator.url);
      // Plus plan: 1,000 points/s, so the 30-point writes go at ~33 customers/s and most are still queued at the kill.
      await waitFor(async () => (await jobs("done")) >= 200, 60_000, "the first 200 jobs");
      worker.kill("SIGKILL");
      await exited(worker);
      const leftBehind = (await jobs("running")) + (await jobs("pending"));
      expect(leftBehind).toBeGreaterThan(0);

      worker = startWorker(databaseUrl, app.emulator.url);
      await waitFor(
        async () => (await jobs("pending")) + (await jobs("running")) === 0,
        120_000,
        "the restarted worker to drain the queue",
      );
      worker.kill("SIGTERM");
      const stopped = await Promise.race([exited(worker).then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped) worker.kill("SIGKILL");
      expect(stopped, "the worker stops within 15 s of SIGTERM").toBe(true);
      worker = null;
      expect(await jobs("dead")).toBe(0);

      expect(await app.database.customerProfile.count({ where: { shopDomain: app.shop.shopDomain } })).toBe(
        CUSTOMERS,
      );
      expect(
        await customersOutOfStep(app.database, app.emulator.url, app.shop.shopDomain, "merchant-tag"),
      ).toEqual([]);
      const profiles = await app.database.customerProfile.findMany({
        where: { shopDomain: app.shop.shopDomain },
      });
      // the second answers really won for the customers who answered twice
      const twice = profiles.find((profile) => profile.customerId === "600001");
      expect(twice?.latestScore).toBe(9);
    }, 240_000);
  });
}
