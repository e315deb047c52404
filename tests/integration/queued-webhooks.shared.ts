import { afterAll, beforeAll, expect, it } from "vitest";
import { fulfilledOrderPayload, orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers } from "../factories/shop";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

// WEBHOOK_PROCESSING=queued (the production path for bursts, ADR 0005): an order webhook is answered once its
// delivery and a job are stored; the sync worker applies the order use case later, as of the delivery's arrival.
export function describeQueuedWebhooks(kind: DatabaseKind) {
  describeOnDatabase(kind, "order webhooks queued for the worker", () => {
    let app: AppHarness;
    const orderJobs = () => app.database.syncJob.findMany({ where: { kind: "order_webhook" } });

    beforeAll(async () => {
      // read once by env(): this test file's modules see the queued mode from the start
      process.env.WEBHOOK_PROCESSING = "queued";
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [
        { id: 52, email: "grace@example.com", tags: [] },
      ]);
    });
    afterAll(async () => {
      delete process.env.WEBHOOK_PROCESSING;
      await app?.close();
    });

    it("answers orders/create after storing the delivery and one job, and invites only when the worker applies it, dated at its arrival", async () => {
      const response = await app.webhook("orders/create", orderPayload({ id: 5001, customerId: 52 }), {
        webhookId: "queued-5001",
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true, outcome: "queued" });
      const delivery = await app.database.webhookDelivery.findUniqueOrThrow({
        where: { webhookId: "queued-5001" },
      });
      const [job, ...others] = await orderJobs();
      expect(others).toEqual([]);
      expect(job).toMatchObject({ status: "pending", customerId: "52", shopDomain: app.shop.shopDomain });
      // the order's facts, not Shopify's payload: no e-mail or address is kept in the queue
      expect(job?.payload).not.toContain("@");
      expect(JSON.parse(job?.payload ?? "{}")).toMatchObject({
        topic: "ORDERS_CREATE",
        fulfilled: false,
        facts: { orderId: "5001", customerId: "52", totalPrice: 49 },
      });
      expect(await app.database.invitation.count({ where: { orderId: "5001" } })).toBe(0);

      await app.drainSync();
      const invitation = await app.database.invitation.findFirstOrThrow({ where: { orderId: "5001" } });
      expect(invitation).toMatchObject({ status: "pending", customerId: "52", stage: "purchase" });
      expect(invitation.createdAt.toISOString()).toBe(delivery.receivedAt.toISOString());
      expect((await orderJobs()).map((done) => done.status)).toEqual(["done"]);
    });

    it("stores a re-sent delivery once, and applying the order again changes nothing", async () => {
      const payload = orderPayload({ id: 5002, customerId: 52 });
      const first = await app.webhook("orders/create", payload, { webhookId: "queued-5002" });
      const again = await app.webhook("orders/create", payload, { webhookId: "queued-5002" });
      expect(await first.json()).toMatchObject({ outcome: "queued" });
      expect(await again.json()).toMatchObject({ outcome: "duplicate" });
      const jobs = (await orderJobs()).filter((job) => job.payload.includes('"5002"'));
      expect(jobs).toHaveLength(1);
      await app.drainSync();
      // the same work once more, as after a worker that died before it could mark the job done
      await app.database.syncJob.update({
        where: { id: jobs[0]?.id },
        data: { status: "pending", runAt: new Date(0) },
      });
      await app.drainSync();
      expect(await app.database.invitation.count({ where: { orderId: "5002" } })).toBe(1);
      expect(
        await app.database.customerProfile.findUniqueOrThrow({
          where: { shopDomain_customerId: { shopDomain: app.shop.shopDomain, customerId: "52" } },
        }),
      ).toMatchObject({ ordersCount: 2 });
    });

    it("confirms an answer given on the thank-you page before its queued order was applied, and tags the customer", async () => {
      await app.webhook("orders/create", orderPayload({ id: 5003, customerId: 52 }), {
        webhookId: "queued-5003",
      });
      const answered = await app.checkoutAnswer({
        orderId: "gid://shopify/Order/5003",
        score: 3,
        comment: "late",
      });
      expect(answered.status).toBe(201);
      expect(await app.database.response.findFirstOrThrow({ where: { orderId: "5003" } })).toMatchObject({
        status: "pending",
      });
      await app.drainSync();
      expect(await app.database.response.findFirstOrThrow({ where: { orderId: "5003" } })).toMatchObject({
        status: "confirmed",
        category: "detractor",
        customerId: "52",
        orderValue: 49,
      });
      expect((await app.emulatorCustomer(52))?.tags).toEqual(["nps:detractor"]);
    });

    it("applies orders/create and orders/fulfilled of one order taken in the same batch once each", async () => {
      const fulfilledAt = new Date();
      await app.webhook("orders/create", orderPayload({ id: 5004, customerId: 52 }), {
        webhookId: "queued-5004-create",
      });
      await app.webhook(
        "orders/fulfilled",
        fulfilledOrderPayload({ id: 5004, customerId: 52, fulfilledAt }),
        { webhookId: "queued-5004-fulfilled" },
      );
      const result = await app.runSync();
      expect(result).toMatchObject({ claimed: 2, done: 2, dead: 0 });
      expect(await app.database.invitation.count({ where: { orderId: "5004" } })).toBe(1);
      expect(await app.database.invitation.findFirstOrThrow({ where: { orderId: "5004" } })).toMatchObject({
        fulfilledAt,
      });
    });

    it("refuses an orders/create the app cannot read with 400 naming the field, queuing nothing", async () => {
      const before = (await orderJobs()).length;
      const response = await app.webhook("orders/create", { ...orderPayload({ id: 5005 }), id: "five" });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field: "id" })] });
      expect(await orderJobs()).toHaveLength(before);
    });

    it("deletes a queued order with the customer's data when customers/redact comes before the worker", async () => {
      await app.webhook("orders/create", orderPayload({ id: 5006, customerId: 53 }), {
        webhookId: "queued-5006",
      });
      expect((await orderJobs()).filter((job) => job.customerId === "53")).toHaveLength(1);
      const redacted = await app.webhook("customers/redact", {
        customer: { id: 53 },
        orders_to_redact: [5006],
      });
      expect(redacted.status).toBe(200);
      expect((await orderJobs()).filter((job) => job.customerId === "53")).toEqual([]);
      await app.drainSync();
      expect(await app.database.invitation.count({ where: { orderId: "5006" } })).toBe(0);
    });
    it("a worker in a busy web instance applies queued orders a few at a time and pauses between batches", async () => {
      // imported here: the worker's modules read the environment the harness sets
      const { BUSY_BATCH, startSyncWorker } = await import("~/services/sync/worker.server");
      await app.drainSync();
      for (let id = 5101; id <= 5112; id += 1) {
        await app.webhook("orders/create", orderPayload({ id }), { webhookId: `queued-busy-${id}` });
      }
      const applied = () =>
        app.database.syncJob.count({ where: { kind: "order_webhook", status: "done", customerId: null } });
      const before = await applied();
      let asked = 0;
      const worker = startSyncWorker(app.syncDependencies, {
        intervalMs: 60_000, // the pause after a busy batch outlasts the test: one batch is seen alone
        busy: () => {
          asked += 1;
          return true;
        },
      });
      try {
        await expect.poll(applied, { timeout: 10_000 }).toBe(before + BUSY_BATCH.batchSize);
        expect(asked).toBe(1);
        expect(
          await app.database.syncJob.count({ where: { kind: "order_webhook", status: "pending" } }),
        ).toBe(12 - BUSY_BATCH.batchSize);
      } finally {
        await worker.stop();
      }
      await app.drainSync();
      expect(await app.database.invitation.count({ where: { orderId: { in: ["5101", "5112"] } } })).toBe(2);
    });
  });
}
