import { afterAll, beforeAll, expect, it } from "vitest";
import { seededRandom } from "../../scripts/demo-data";
import { answerOrder, customersOutOfStep } from "../factories/answers";
import { addEmulatorCustomers, addEmulatorOrders } from "../factories/shop";
import { type AppHarness, startAppHarness, TEST_API_SECRET } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const CUSTOMERS = 120;
const TWICE = 30;
const MINUTE = 60_000;

// Shopify on a bad day: a throttling storm (30 % of requests THROTTLED whatever the bucket says) and 10 % of
// requests failing with 500/503, plus dropped connections. Every job must still land, none twice in the wrong
// order, none lost: the end state equals the latest answer of every customer.
export function describeSyncFaults(kind: DatabaseKind) {
  describeOnDatabase(kind, "sync under injected faults", () => {
    let app: AppHarness;

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
      await saveSurveySettings(app.database, app.shop.shopDomain, {
        frequencyCapDays: 0,
        channels: { surveyLink: false },
      });
      const ids = Array.from({ length: CUSTOMERS }, (_, index) => 700_000 + index);
      await addEmulatorCustomers(
        app.emulator.url,
        app.shop.shopDomain,
        ids.map((id) => ({ id, tags: ["vip"] })),
      );
      await addEmulatorOrders(app.emulator.url, app.shop.shopDomain, [
        ...ids.map((id) => ({ id: id + 1_000_000, customerId: id })),
        ...ids.slice(0, TWICE).map((id) => ({ id: id + 2_000_000, customerId: id })),
      ]);
      const start = Date.now() - 3_600_000;
      for (const [index, id] of ids.entries()) {
        const at = new Date(start + index);
        await answerOrder(app.database, app.shop.shopDomain, {
          orderId: id + 1_000_000,
          customerId: id,
          score: index % 11,
          at,
        });
      }
      for (const [index, id] of ids.slice(0, TWICE).entries()) {
        const at = new Date(start + 1_800_000 + index);
        await answerOrder(app.database, app.shop.shopDomain, {
          orderId: id + 2_000_000,
          customerId: id,
          score: 10 - (index % 11),
          at,
        });
      }
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    it("converges to the exact end state through a throttling storm and 10 % server errors, losing no job", async () => {
      const { runDueJobsOnce } = await import("../../app/services/sync/worker.server");
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      const store = app.emulator.store;
      store.random = seededRandom(20261125);
      store.faults.push(
        { kind: "throttle", probability: 0.3 },
        { kind: "http500", probability: 0.05 },
        { kind: "http503", probability: 0.05 },
        { kind: "networkReset", probability: 0.02 },
      );
      const deps = {
        database: app.database,
        adminFor: adminClientForShop,
        surveyLinkSecret: TEST_API_SECRET,
      };
      const jobs = { shopDomain: app.shop.shopDomain, kind: "customer_category" };
      const queued = await app.database.syncJob.count({ where: jobs });
      // Backoff moves failed jobs minutes ahead: the worker's clock is moved on instead of the test waiting.
      let clock = Date.now();
      for (let round = 0; round < 400; round += 1) {
        const batch = await runDueJobsOnce(deps, { batchSize: 100, now: () => new Date(clock) });
        const open = await app.database.syncJob.count({
          where: { ...jobs, status: { in: ["pending", "running"] } },
        });
        if (open === 0) break;
        if (batch.claimed === 0) clock += 15 * MINUTE;
      }
      store.faults.length = 0;

      const injected = new Set(store.requests.filter((entry) => entry.fault).map((entry) => entry.fault));
      expect([...injected].sort()).toEqual(["http500", "http503", "networkReset", "throttle"]);
      // absorbed by the Admin client's waits and retries, or by the job's own backoff when those ran out
      expect(store.requests.filter((entry) => entry.fault).length).toBeGreaterThan(20);
      expect(await app.database.syncJob.count({ where: { ...jobs, status: "dead" } })).toBe(0);
      expect(await app.database.syncJob.count({ where: { ...jobs, status: "done" } })).toBe(queued);
      expect(await customersOutOfStep(app.database, app.emulator.url, app.shop.shopDomain, "vip")).toEqual(
        [],
      );
    }, 240_000);
  });
}
