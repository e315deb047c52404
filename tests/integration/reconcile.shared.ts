import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import type * as Reconciliation from "../../app/services/sync/reconciliation.server";
import { answerOrder, customersOutOfStep } from "../factories/answers";
import { addEmulatorCustomers, addEmulatorOrders } from "../factories/shop";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const CUSTOMERS = 120;
const FIRST_ID = 800_000;
const HOUR = 3_600_000;
const customerGid = (id: number) => `gid://shopify/Customer/${id}`;

type RouteModule = Parameters<typeof callRoute>[0];

// The daily tag check: customers whose NPS tags were removed or changed by hand in Shopify are found and written
// again, deleted customers are counted as gone, merchant tags stay; and renamed tags move the three segments.
export function describeReconciliation(kind: DatabaseKind) {
  describeOnDatabase(kind, "tag reconciliation and segment updates", () => {
    let app: AppHarness;
    let service: typeof Reconciliation;
    let shop: string;
    const ids = Array.from({ length: CUSTOMERS }, (_, index) => FIRST_ID + index);
    const removed = ids.slice(10, 17); // 7 lose their NPS tag
    const wrongTag = ids.slice(30, 33); // 3 get another category's tag besides theirs
    const deleted = ids.slice(50, 52); // 2 are deleted in Shopify
    const untracked = 900_001; // tagged nps:promoter by hand, never answered

    function emulatedShop() {
      const found = app.emulator.store.shops.get(shop);
      if (!found) throw new Error("shop not in the emulator");
      return found;
    }

    async function drain(now: () => Date = () => new Date()) {
      const { runDueJobsOnce } = await import("../../app/services/sync/worker.server");
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      const deps = {
        database: app.database,
        adminFor: adminClientForShop,
        surveyLinkSecret: TEST_API_SECRET,
      };
      for (let rounds = 0; ; rounds += 1) {
        // Enrichment waits for spare points in real time, whatever clock the test lends the worker: not awaited.
        const due = await app.database.syncJob.count({
          where: {
            status: { in: ["pending", "running"] },
            runAt: { lte: now() },
            kind: { not: "enrich_customer" },
          },
        });
        if (due === 0) return;
        if (rounds > 60) throw new Error("sync jobs did not drain");
        await runDueJobsOnce(deps, { batchSize: 100, now });
      }
    }

    const latestRun = () =>
      app.database.reconciliationRun.findFirstOrThrow({
        where: { shopDomain: shop },
        orderBy: { createdAt: "desc" },
      });

    function adminForm(form: Record<string, string>) {
      return setUpValidRequest(
        {
          type: RequestType.Bearer,
          store: shop.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(`${TEST_APP_URL}/app/sync`, { method: "POST", body: new URLSearchParams(form) }),
      );
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      shop = app.shop.shopDomain;
      service = await import("../../app/services/sync/reconciliation.server");
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, shop, { frequencyCapDays: 0, channels: { surveyLink: false } });
      await addEmulatorCustomers(app.emulator.url, shop, [
        ...ids.map((id) => ({ id, tags: ["vip"] })),
        { id: untracked, tags: ["nps:promoter"] },
      ]);
      await addEmulatorOrders(
        app.emulator.url,
        shop,
        ids.map((id) => ({ id: id + 1_000_000, customerId: id })),
      );
      const start = Date.now() - HOUR;
      for (const [index, id] of ids.entries()) {
        await answerOrder(app.database, shop, {
          orderId: id + 1_000_000,
          customerId: id,
          score: index % 11,
          at: new Date(start + index),
        });
      }
      await drain();
      expect(await customersOutOfStep(app.database, app.emulator.url, shop, "vip")).toEqual([]);
    }, 120_000);
    afterAll(async () => {
      await app?.close();
    });

    it("finds the customers whose tags were removed, changed or deleted in Shopify and writes their tags again", async () => {
      const names = ["nps:promoter", "nps:passive", "nps:detractor"];
      for (const id of removed) {
        const customer = emulatedShop().customers.get(customerGid(id));
        if (customer) customer.tags = customer.tags.filter((tag) => !names.includes(tag));
      }
      for (const id of wrongTag) {
        const customer = emulatedShop().customers.get(customerGid(id));
        const other = names.find((tag) => !customer?.tags.includes(tag)) ?? "nps:promoter";
        customer?.tags.push(other);
      }
      for (const id of deleted) emulatedShop().customers.delete(customerGid(id));
      expect((await customersOutOfStep(app.database, app.emulator.url, shop, "vip")).length).toBe(12);
      app.emulator.store.requests.length = 0;

      const request = await service.requestReconciliation(app.database, shop, "manual", new Date(), {
        pageSize: 25,
      });
      expect(request.queued).toBe(true);
      // A second request while the first is queued starts nothing.
      expect(await service.requestReconciliation(app.database, shop, "manual")).toEqual({
        queued: false,
        runId: request.runId,
      });
      expect(await app.database.syncJob.count({ where: { shopDomain: shop, kind: "reconcile_tags" } })).toBe(
        1,
      );

      await drain();

      expect(await latestRun()).toMatchObject({
        id: request.runId,
        status: "done",
        trigger: "manual",
        checked: CUSTOMERS,
        drifted: 10,
        repaired: 10,
        gone: 2,
        activeShop: null,
        error: null,
        startedAt: expect.any(Date),
        finishedAt: expect.any(Date),
      });
      // 120 answered customers in pages of 25: the run went on in several slices, each one job.
      const slices = await app.database.syncJob.findMany({
        where: { shopDomain: shop, kind: "reconcile_tags" },
        orderBy: { createdAt: "asc" },
      });
      expect(slices.length).toBeGreaterThan(1);
      expect(slices.every((job) => job.status === "done")).toBe(true);
      expect(slices.map((job) => JSON.parse(job.payload).step)).toEqual(slices.map((_, index) => index));
      expect(await app.database.reconciliationMark.count({ where: { shopDomain: shop } })).toBe(0);

      // Every customer Shopify still has holds exactly its category's tag, beside the merchant's.
      const outOfStep = await customersOutOfStep(app.database, app.emulator.url, shop, "vip");
      expect(outOfStep.sort()).toEqual(deleted.map(String));
      expect(emulatedShop().customers.get(customerGid(untracked))?.tags).toEqual(["nps:promoter"]);
      expect(await app.database.syncJob.count({ where: { shopDomain: shop, status: "dead" } })).toBe(0);

      // Within Shopify's limits: no single query above 1,000 points, no THROTTLED answer.
      const reads = app.emulator.store.requests.filter((entry) =>
        entry.rootFields.some((field) => field === "customers" || field === "nodes"),
      );
      expect(reads.length).toBeGreaterThan(5);
      expect(Math.max(...reads.map((entry) => entry.requestedCost))).toBeLessThanOrEqual(1000);
      expect(app.emulator.store.requests.filter((entry) => entry.throttled)).toEqual([]);
    }, 120_000);

    it("finds nothing drifted on the next check, and still counts the deleted customers as gone", async () => {
      await service.requestReconciliation(app.database, shop, "manual");
      await drain();
      expect(await latestRun()).toMatchObject({ status: "done", checked: CUSTOMERS, drifted: 0, gone: 2 });
    });

    it("waits while a bulk re-tag runs, then checks", async () => {
      const retag = await app.database.bulkRun.create({
        data: { shopDomain: shop, activeShop: shop, trigger: "manual" },
      });
      const { runId } = await service.requestReconciliation(app.database, shop, "manual");
      await drain();
      expect(await latestRun()).toMatchObject({ id: runId, finishedAt: null, checked: 0 });
      const waiting = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: shop, kind: "reconcile_tags", status: "pending" },
      });
      expect(waiting.runAt.getTime()).toBeGreaterThan(Date.now() + 60_000);

      await app.database.bulkRun.update({
        where: { id: retag.id },
        data: { activeShop: null, status: "completed", finishedAt: new Date() },
      });
      await app.database.syncJob.update({ where: { id: waiting.id }, data: { runAt: new Date() } });
      await drain();
      expect(await latestRun()).toMatchObject({ id: runId, status: "done", checked: CUSTOMERS, drifted: 0 });
    });

    it("resumes after a worker dies holding a slice, and a slice recorded before is not counted twice", async () => {
      const { claimDueJobs, DEFAULT_LEASE_MS } = await import("../../app/services/sync/job-queue.server");
      const { runJob } = await import("../../app/services/sync/run-job.server");
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      const deps = {
        database: app.database,
        adminFor: adminClientForShop,
        surveyLinkSecret: TEST_API_SECRET,
      };
      const { runId } = await service.requestReconciliation(app.database, shop, "manual", new Date(), {
        pageSize: 10,
      });

      const [first] = await claimDueJobs(app.database, { workerId: "first", limit: 1, now: new Date() });
      if (!first) throw new Error("no reconcile job was due");
      await runJob(deps, first);
      await app.database.syncJob.update({ where: { id: first.id }, data: { status: "done" } });
      // The next slice is claimed by a worker that then dies: its lease has to run out.
      const [orphan] = await claimDueJobs(app.database, { workerId: "crashed", limit: 1, now: new Date() });
      expect(orphan?.kind).toBe("reconcile_tags");
      const afterFirst = await latestRun();
      expect(afterFirst).toMatchObject({ id: runId, step: 1, status: "running" });

      // The first slice's job run again (re-claimed after it recorded its slice) changes nothing.
      await runJob(deps, first);
      expect(await latestRun()).toEqual(afterFirst);

      const later = new Date(Date.now() + DEFAULT_LEASE_MS + 1000);
      await drain(() => later);
      expect(await latestRun()).toMatchObject({
        id: runId,
        status: "done",
        checked: CUSTOMERS,
        drifted: 0,
        gone: 2,
      });
      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: orphan?.id } })).toMatchObject({
        status: "done",
        attempts: 2,
      });
    });

    it("records a run whose last attempt failed as failed, with the error, and lets the next check start", async () => {
      const { MAX_JOB_ATTEMPTS } = await import("../../app/services/sync/job-queue.server");
      const { runId } = await service.requestReconciliation(app.database, shop, "manual");
      await app.database.syncJob.updateMany({
        where: { shopDomain: shop, kind: "reconcile_tags", status: "pending" },
        data: { attempts: MAX_JOB_ATTEMPTS - 1 },
      });
      app.emulator.store.faults.push({ kind: "http500", shop, operation: "customers", times: 5 });
      await drain();
      app.emulator.store.faults.length = 0;

      expect(await latestRun()).toMatchObject({
        id: runId,
        status: "failed",
        activeShop: null,
        finishedAt: expect.any(Date),
        error: expect.stringContaining("server failure"),
      });
      expect((await service.requestReconciliation(app.database, shop, "manual")).queued).toBe(true);
      await drain();
      expect(await latestRun()).toMatchObject({ status: "done", drifted: 0 });
    }, 60_000);

    it("closes a run whose job was dropped (as at uninstall) when the next check is asked for", async () => {
      const abandoned = await service.requestReconciliation(app.database, shop, "schedule");
      await app.database.syncJob.updateMany({
        where: { shopDomain: shop, kind: "reconcile_tags", status: "pending" },
        data: { status: "dead", lastError: "app uninstalled" },
      });

      const next = await service.requestReconciliation(app.database, shop, "manual");

      expect(next.queued).toBe(true);
      expect(
        await app.database.reconciliationRun.findUniqueOrThrow({ where: { id: abandoned.runId ?? "" } }),
      ).toMatchObject({ status: "failed", activeShop: null, error: "stopped before it finished" });
      await drain();
    });

    it("queues one check per installed shop a day from the maintenance pass, and none while one is waiting", async () => {
      const { expireStale } = await import("../../app/services/maintenance.server");
      const { installShop, uninstallShop } = await import("../../app/services/shops.server");
      await installShop(app.database, { shopDomain: "gone-shop.myshopify.com" });
      await uninstallShop(app.database, "gone-shop.myshopify.com");
      const runsBefore = await app.database.reconciliationRun.count();

      // Less than a day after the last check: nothing.
      expect(await service.scheduleDailyReconciliations(app.database, new Date(Date.now() + HOUR))).toBe(0);
      const tomorrow = new Date(Date.now() + 25 * HOUR);
      await expireStale(app.database, tomorrow);
      expect(await service.scheduleDailyReconciliations(app.database, tomorrow)).toBe(0);
      expect(
        await service.scheduleDailyReconciliations(app.database, new Date(tomorrow.getTime() + 26 * HOUR)),
      ).toBe(0);

      const queued = await app.database.reconciliationRun.findMany({ where: { createdAt: tomorrow } });
      expect(queued).toEqual([
        expect.objectContaining({ shopDomain: shop, trigger: "schedule", status: "pending" }),
      ]);
      expect(await app.database.reconciliationRun.count()).toBe(runsBefore + 1);
      const job = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: shop, kind: "reconcile_tags", status: "pending" },
      });
      expect(job.runAt).toEqual(tomorrow);
      await app.database.syncJob.delete({ where: { id: job.id } });
      await app.database.reconciliationRun.delete({ where: { id: queued[0]?.id } });
    });

    it("checks tags from the sync page's button, once while a check is under way, and shows the last run", async () => {
      const route = (await import("../../app/routes/app.sync")) as RouteModule;

      expect(await callRoute(route, "action", await adminForm({ intent: "check-tags" }))).toEqual({
        errors: [],
        retried: 0,
        tagCheck: "queued",
      });
      expect(await callRoute(route, "action", await adminForm({ intent: "check-tags" }))).toMatchObject({
        tagCheck: "already_queued",
      });
      const waiting = (await callRoute(route, "loader", await app.adminRequest("/app/sync"))) as {
        reconciliation: Awaited<ReturnType<typeof service.reconciliationSummary>>;
      };
      expect(waiting.reconciliation.latest).toMatchObject({ status: "pending", trigger: "manual" });
      expect(waiting.reconciliation.lastFinished).toMatchObject({ status: "done" });

      await drain();
      const done = (await callRoute(route, "loader", await app.adminRequest("/app/sync"))) as typeof waiting;
      expect(done.reconciliation).toEqual({
        latest: expect.objectContaining({
          status: "done",
          checked: CUSTOMERS,
          drifted: 0,
          repaired: 0,
          gone: 2,
        }),
        lastFinished: null,
      });
    });

    it("keeps the segment ids made at install, and finds them by name when the ids were lost", async () => {
      const kept = await app.database.npsSegment.findMany({
        where: { shopDomain: shop },
        orderBy: { category: "asc" },
      });
      const segments = [...emulatedShop().segments.values()];
      expect(segments.map((segment) => segment.name).sort()).toEqual([
        "NPS detractors",
        "NPS passives",
        "NPS promoters",
      ]);
      expect(kept.map((row) => row.segmentId).sort()).toEqual(segments.map((segment) => segment.id).sort());

      const { ensureSetup } = await import("../../app/services/sync/jobs/ensure-setup.server");
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      await app.database.npsSegment.deleteMany({ where: { shopDomain: shop } });
      const setupJob = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: shop, kind: "ensure_setup" },
      });
      await ensureSetup(
        { database: app.database, adminFor: adminClientForShop, surveyLinkSecret: TEST_API_SECRET },
        setupJob,
      );

      expect(emulatedShop().segments.size).toBe(3);
      expect(
        await app.database.npsSegment.findMany({ where: { shopDomain: shop }, orderBy: { category: "asc" } }),
      ).toEqual(kept.map((row) => ({ ...row, updatedAt: expect.any(Date) })));
    });

    it("points the segments at renamed tags and makes a segment deleted in Shopify again, keeping its new id", async () => {
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      const before = new Map(
        (await app.database.npsSegment.findMany({ where: { shopDomain: shop } })).map((row) => [
          row.category,
          row.segmentId,
        ]),
      );
      emulatedShop().segments.delete(before.get("passive") ?? "");

      // Settings that leave the tag names as they are queue no segment update.
      await saveSurveySettings(app.database, shop, {
        frequencyCapDays: 0,
        channels: { surveyLink: false },
        samplePercent: 90,
      });
      expect(await app.database.syncJob.count({ where: { shopDomain: shop, kind: "update_segments" } })).toBe(
        0,
      );

      await saveSurveySettings(app.database, shop, {
        frequencyCapDays: 0,
        channels: { surveyLink: false },
        samplePercent: 90,
        tagNames: { promoter: "fan", passive: "so-so's", detractor: "critic" },
      });
      // Queued with the settings change, in the same transaction.
      expect(
        await app.database.syncJob.count({
          where: { shopDomain: shop, kind: "update_segments", status: "pending" },
        }),
      ).toBe(1);
      await drain();

      const after = new Map(
        (await app.database.npsSegment.findMany({ where: { shopDomain: shop } })).map((row) => [
          row.category,
          row.segmentId,
        ]),
      );
      expect(after.get("promoter")).toBe(before.get("promoter"));
      expect(after.get("detractor")).toBe(before.get("detractor"));
      expect(after.get("passive")).not.toBe(before.get("passive"));
      const byId = (id: string | undefined) => emulatedShop().segments.get(id ?? "");
      expect(byId(after.get("promoter"))).toMatchObject({
        name: "NPS promoters",
        query: "customer_tags CONTAINS 'fan'",
      });
      expect(byId(after.get("passive"))).toMatchObject({
        name: "NPS passives",
        query: "customer_tags CONTAINS 'so-so\\'s'",
      });
      expect(byId(after.get("detractor"))).toMatchObject({
        name: "NPS detractors",
        query: "customer_tags CONTAINS 'critic'",
      });
      expect(emulatedShop().segments.size).toBe(3);
      expect(
        await app.database.syncJob.findFirstOrThrow({ where: { shopDomain: shop, kind: "update_segments" } }),
      ).toMatchObject({ status: "done", lastError: null });
    });
  });
}
