import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderPayload } from "../factories/order-payload";
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
      const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const start = Date.now() - 3_600_000;
      const respond = async (orderId: number, customerId: number, score: number, at: number) => {
        await handleOrderWebhook(app.database, {
          shopDomain: app.shop.shopDomain,
          topic: "orders/create",
          webhookId: `crash-${orderId}`,
          payload: orderPayload({ id: orderId, customerId }),
          now: new Date(at),
        });
        await submitAnswer(app.database, {
          shopDomain: app.shop.shopDomain,
          orderId: String(orderId),
          channel: "thank_you",
          answer: { orderId: String(orderId), score },
          locale: "en",
          now: new Date(at),
        });
      };
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

      const profiles = await app.database.customerProfile.findMany({
        where: { shopDomain: app.shop.shopDomain },
      });
      expect(profiles).toHaveLength(CUSTOMERS);
      const state = (await (
        await fetch(`${app.emulator.url}/__emulator/state?shop=${app.shop.shopDomain}`)
      ).json()) as {
        shops: {
          customers: { id: string; tags: string[]; metafields: { key: string; value: string }[] }[];
        }[];
      };
      const byId = new Map(state.shops[0]?.customers.map((customer) => [customer.id, customer]));
      const wrong = profiles.filter((profile) => {
        const customer = byId.get(`gid://shopify/Customer/${profile.customerId}`);
        const npsTags = customer?.tags.filter((tag) => tag.startsWith("nps:")) ?? [];
        const score = customer?.metafields.find((metafield) => metafield.key === "score")?.value;
        return (
          npsTags.length !== 1 ||
          npsTags[0] !== `nps:${profile.latestCategory}` ||
          score !== String(profile.latestScore) ||
          !customer?.tags.includes("merchant-tag")
        );
      });
      expect(wrong.map((profile) => profile.customerId)).toEqual([]);
      // the second answers really won for the customers who answered twice
      const twice = profiles.find((profile) => profile.customerId === "600001");
      expect(twice?.latestScore).toBe(9);
    }, 240_000);
  });
}
