import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ServiceError } from "../../app/services/service-error";
import type * as SyncHealthService from "../../app/services/sync/sync-health.server";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, installTestShop, testShop } from "../factories/shop";
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

type RouteModule = Parameters<typeof callRoute>[0];
type ActionResult = { errors: { field: string; message: string }[]; retried: number };

const MINUTE = 60_000;
const FAR_FUTURE = new Date("2999-01-01T00:00:00Z");

// Jobs that gave up are shown to the merchant with their error and can be sent back to the queue — only by the
// shop they belong to, and only while they are dead.
export function describeSyncHealth(kind: DatabaseKind) {
  describeOnDatabase(kind, "sync health and retrying dead jobs", () => {
    let app: AppHarness;
    let service: typeof SyncHealthService;
    let route: RouteModule;
    const other = testShop({ shopDomain: "other-shop.myshopify.com", name: "Other Shop" });
    // A shop with hand-made jobs only: never installed, so the worker never gets to run its jobs.
    const ledger = "ledger-shop.myshopify.com";
    let shopA: string;
    let deadJobId: string;

    async function expectServiceError(promise: Promise<unknown>, code: string, status: number) {
      const error = (await promise.then(
        () => null,
        (thrown: unknown) => thrown,
      )) as ServiceError | null;
      expect(error?.name).toBe("ServiceError");
      expect(error).toMatchObject({ code, status });
    }

    function adminRequestFor(shopDomain: string, path: string, form?: Record<string, string>) {
      return setUpValidRequest(
        {
          type: RequestType.Bearer,
          store: shopDomain.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(
          `${TEST_APP_URL}${path}`,
          form ? { method: "POST", body: new URLSearchParams(form) } : undefined,
        ),
      );
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      shopA = app.shop.shopDomain;
      service = await import("../../app/services/sync/sync-health.server");
      route = (await import("../../app/routes/app.sync")) as RouteModule;
      await installTestShop(app.database, app.emulator.url, other);
      await addEmulatorCustomers(app.emulator.url, shopA, [
        { id: 42, email: "ada@example.com", tags: ["vip"] },
      ]);

      // Customer 42 of shop A answers 9; Shopify then refuses the tags once with a user error, so the job dies.
      const webhook = await app.webhook("orders/create", orderPayload({ id: 1001, customerId: 42 }), {
        webhookId: "sync-health-1001",
      });
      expect(webhook.status).toBe(200);
      const answer = await app.checkoutAnswer({ orderId: "gid://shopify/Order/1001", score: 9 });
      expect(answer.status).toBe(201);
      app.emulator.store.faults.push({
        kind: "userError",
        shop: shopA,
        operation: "customerUpdate",
        times: 1,
      });
      await app.drainSync();
      const dead = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: shopA, kind: "customer_category", customerId: "42" },
      });
      expect(dead.status).toBe("dead");
      deadJobId = dead.id;
    });
    afterAll(async () => {
      await app?.close();
    });

    it("counts a shop's sync jobs by status and tells how long the oldest pending job has waited", async () => {
      const now = new Date("2026-11-20T12:00:00Z");
      const job = (status: string, minutesAgo: number) => ({
        shopDomain: ledger,
        kind: "customer_category",
        customerId: `c-${status}-${minutesAgo}`,
        status,
        createdAt: new Date(now.getTime() - minutesAgo * MINUTE),
        runAt: FAR_FUTURE,
        lockedUntil: status === "running" ? FAR_FUTURE : null,
      });
      await app.database.syncJob.createMany({
        data: [
          job("pending", 5),
          job("pending", 42),
          job("running", 1),
          job("done", 90),
          job("done", 80),
          job("done", 70),
        ],
      });

      const health = await service.syncHealth(app.database, ledger, {}, now);

      expect(health.counts).toEqual({ pending: 2, running: 1, done: 3, dead: 0 });
      expect(health.oldestPendingAgeMs).toBe(42 * MINUTE);
      expect(health.dead).toEqual({ items: [], nextCursor: null, previousCursor: null });
    });

    it("lists a shop's dead jobs newest first, page by page, without skipping or repeating any", async () => {
      const base = new Date("2026-11-20T10:00:00Z").getTime();
      // Two jobs died in the same millisecond: the id breaks the tie.
      const stamps = [0, 1, 1, 2, 3].map((minutes) => new Date(base + minutes * MINUTE));
      for (const [index, updatedAt] of stamps.entries()) {
        await app.database.syncJob.create({
          data: {
            shopDomain: ledger,
            kind: "customer_category",
            customerId: `dead-${index}`,
            status: "dead",
            attempts: 8,
            lastError: `HTTP 500 number ${index}`,
            updatedAt,
          },
        });
      }
      const expected = await app.database.syncJob.findMany({
        where: { shopDomain: ledger, status: "dead" },
        orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
        select: { id: true },
      });

      const first = await service.listDeadJobs(app.database, ledger, { limit: 2 });
      expect(first.previousCursor).toBeNull();
      const second = await service.listDeadJobs(app.database, ledger, {
        limit: 2,
        after: first.nextCursor ?? "",
      });
      const third = await service.listDeadJobs(app.database, ledger, {
        limit: 2,
        after: second.nextCursor ?? "",
      });
      expect(third.nextCursor).toBeNull();
      expect([...first.items, ...second.items, ...third.items].map((job) => job.id)).toEqual(
        expected.map((job) => job.id),
      );
      expect(first.items[0]).toMatchObject({
        kind: "customer_category",
        customerId: "dead-4",
        attempts: 8,
        lastError: "HTTP 500 number 4",
        updatedAt: stamps[4],
      });

      const back = await service.listDeadJobs(app.database, ledger, {
        limit: 2,
        before: third.previousCursor ?? "",
      });
      expect(back.items.map((job) => job.id)).toEqual(second.items.map((job) => job.id));
      expect((await service.syncHealth(app.database, ledger)).counts.dead).toBe(5);
    });

    it("shows shop A's job that Shopify refused, with the recorded user error, and none of another shop's jobs", async () => {
      const health = await service.syncHealth(app.database, shopA);

      expect(health.counts.dead).toBe(1);
      expect(health.counts.done).toBeGreaterThan(0);
      expect(health.dead.items).toEqual([
        expect.objectContaining({
          id: deadJobId,
          kind: "customer_category",
          customerId: "42",
          attempts: 1,
          lastError: expect.stringContaining("Injected user error"),
        }),
      ]);
    });

    it("does not let shop B retry shop A's dead job, and leaves the job as it was", async () => {
      const before = await app.database.syncJob.findUniqueOrThrow({ where: { id: deadJobId } });

      await expectServiceError(
        service.retryDeadJob(app.database, other.shopDomain, deadJobId),
        "not_found",
        404,
      );

      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: deadJobId } })).toEqual(before);
    });

    it("refuses to retry a job that is done or still pending, leaving it as it was", async () => {
      const done = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: shopA, status: "done" },
      });
      const pending = await app.database.syncJob.create({
        data: {
          shopDomain: shopA,
          kind: "customer_category",
          customerId: "77",
          attempts: 3,
          runAt: FAR_FUTURE,
        },
      });

      for (const job of [done, pending]) {
        await expectServiceError(service.retryDeadJob(app.database, shopA, job.id), "not_found", 404);
        expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: job.id } })).toEqual(job);
      }
      await app.database.syncJob.delete({ where: { id: pending.id } });
    });

    it("sends shop A's dead job back to the queue, and the worker then tags the customer in Shopify", async () => {
      const now = new Date();
      await service.retryDeadJob(app.database, shopA, deadJobId, now);

      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: deadJobId } })).toMatchObject({
        status: "pending",
        attempts: 0,
        runAt: now,
        lockedBy: null,
        lockedUntil: null,
      });
      // A second click finds nothing dead any more.
      await expectServiceError(service.retryDeadJob(app.database, shopA, deadJobId), "not_found", 404);

      await app.drainSync();

      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: deadJobId } })).toMatchObject({
        status: "done",
        attempts: 1,
        lastError: null,
      });
      expect((await app.emulatorCustomer(42))?.tags.sort()).toEqual(["nps:promoter", "vip"]);
      expect((await service.syncHealth(app.database, shopA)).counts.dead).toBe(0);
    });

    it("serves the authenticated shop's sync health from the route loader", async () => {
      const otherDead = await app.database.syncJob.create({
        data: {
          shopDomain: other.shopDomain,
          kind: "ensure_setup",
          status: "dead",
          lastError: "<b>boom</b>",
        },
      });

      const data = (await callRoute(route, "loader", await app.adminRequest("/app/sync"))) as Awaited<
        ReturnType<typeof service.syncHealth>
      >;
      expect(data.counts.dead).toBe(0);
      expect(data.dead.items).toEqual([]);

      const otherData = (await callRoute(
        route,
        "loader",
        await adminRequestFor(other.shopDomain, "/app/sync"),
      )) as Awaited<ReturnType<typeof service.syncHealth>>;
      expect(otherData.counts.dead).toBe(1);
      expect(otherData.dead.items).toEqual([
        expect.objectContaining({ id: otherDead.id, lastError: "<b>boom</b>" }),
      ]);
    });

    it("retries a dead job through the route action only for the shop the admin is signed in to", async () => {
      const job = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain: other.shopDomain, status: "dead" },
      });

      const refused = (await callRoute(
        route,
        "action",
        await adminRequestFor(shopA, "/app/sync", { intent: "retry", jobId: job.id }),
      )) as Response;
      expect(refused.status).toBe(404);
      expect(await refused.json()).toEqual({
        errors: [expect.objectContaining({ field: "jobId" })],
        retried: 0,
      });
      expect((await app.database.syncJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("dead");

      const accepted = (await callRoute(
        route,
        "action",
        await adminRequestFor(other.shopDomain, "/app/sync", { intent: "retry", jobId: job.id }),
      )) as ActionResult;
      expect(accepted).toEqual({ errors: [], retried: 1 });
      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
        status: "pending",
        attempts: 0,
        lockedBy: null,
      });
      await app.database.syncJob.update({ where: { id: job.id }, data: { status: "done" } });
    });

    it("answers an unknown intent with an error and changes nothing", async () => {
      const result = (await callRoute(
        route,
        "action",
        await adminRequestFor(shopA, "/app/sync", { intent: "delete-everything" }),
      )) as ActionResult;
      expect(result).toEqual({ errors: [expect.objectContaining({ field: "intent" })], retried: 0 });
    });

    it("retries all dead jobs through the route action for the signed-in shop only", async () => {
      const mine = await app.database.syncJob.create({
        data: {
          shopDomain: shopA,
          kind: "customer_category",
          customerId: "8",
          status: "dead",
          runAt: FAR_FUTURE,
        },
      });
      const othersDead = await app.database.syncJob.create({
        data: { shopDomain: other.shopDomain, kind: "customer_category", customerId: "8", status: "dead" },
      });

      const result = (await callRoute(
        route,
        "action",
        await adminRequestFor(shopA, "/app/sync", { intent: "retry-all" }),
      )) as ActionResult;

      expect(result).toEqual({ errors: [], retried: 1 });
      expect(await app.database.syncJob.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
        status: "pending",
        attempts: 0,
      });
      expect((await app.database.syncJob.findUniqueOrThrow({ where: { id: othersDead.id } })).status).toBe(
        "dead",
      );
      await app.database.syncJob.deleteMany({ where: { id: { in: [mine.id, othersDead.id] } } });
    });

    it("retries every dead job of one shop and none of another shop's", async () => {
      const othersDead = await app.database.syncJob.create({
        data: { shopDomain: other.shopDomain, kind: "customer_category", customerId: "9", status: "dead" },
      });
      const now = new Date();

      expect(await service.retryAllDeadJobs(app.database, ledger, now)).toBe(5);

      expect(await app.database.syncJob.count({ where: { shopDomain: ledger, status: "dead" } })).toBe(0);
      expect(
        await app.database.syncJob.count({
          where: { shopDomain: ledger, status: "pending", attempts: 0, runAt: now, lockedBy: null },
        }),
      ).toBe(5);
      expect((await app.database.syncJob.findUniqueOrThrow({ where: { id: othersDead.id } })).status).toBe(
        "dead",
      );
      expect(await service.retryAllDeadJobs(app.database, ledger, now)).toBe(0);
    });
  });
}
