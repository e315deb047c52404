import { afterAll, beforeAll, expect, it } from "vitest";
import { flowTriggerDefinitions } from "../emulator/flow";
import type { ReceivedFlowTrigger } from "../emulator/flow";
import { ADMIN_API_VERSION } from "../emulator/schema";
import { orderPayload } from "../factories/order-payload";
import { signWebhookBody } from "../emulator/webhooks";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const HANDLE = "nps-response-submitted";

// Every confirmed answer starts the merchant's Shopify Flow workflows once ("NPS response submitted"), and the
// answering customer's profile is completed from Shopify's order history (enrich_customer).
export function describeFlowAndEnrichment(kind: DatabaseKind) {
  describeOnDatabase(kind, "Flow trigger and customer enrichment", () => {
    let app: AppHarness;
    let shopDomain: string;

    async function answer(orderId: number, customerId: number, score: number, comment?: string) {
      const webhook = await app.webhook("orders/create", orderPayload({ id: orderId, customerId }), {
        webhookId: `flow-enrichment-${orderId}`,
      });
      expect(webhook.status).toBe(200);
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${await app.checkoutToken()}`, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, comment }),
      });
      const response = (await callRoute(app.routes.checkoutResponses, "action", request)) as Response;
      expect(response.status).toBe(201);
      return app.database.response.findFirstOrThrow({ where: { shopDomain, orderId: String(orderId) } });
    }

    async function receivedTriggers(): Promise<ReceivedFlowTrigger[]> {
      const response = await fetch(`${app.emulator.url}/__emulator/state?shop=${shopDomain}`);
      const state = (await response.json()) as { shops: { flowTriggers: ReceivedFlowTrigger[] }[] };
      return state.shops[0]?.flowTriggers ?? [];
    }

    function triggersFor(triggers: ReceivedFlowTrigger[], orderId: number) {
      return triggers.filter((trigger) => trigger.payload.order_id === orderId);
    }

    /** Shopify Flow's lifecycle callback, signed as Flow signs it (HMAC of the body with the app's secret). */
    async function lifecycle(body: Record<string, unknown>, secret = TEST_API_SECRET) {
      const route = await import("../../app/routes/flow.lifecycle");
      const raw = JSON.stringify(body);
      const request = new Request(`${TEST_APP_URL}/flow/lifecycle`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Hmac-Sha256": signWebhookBody(raw, secret),
        },
        body: raw,
      });
      const response = (await callRoute(route, "action", request)) as Response;
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    const callback = (hasEnabledFlow: boolean, timestamp: string) => ({
      flow_trigger_definition_id: "NPS response submitted",
      has_enabled_flow: hasEnabledFlow,
      shop_id: 690933842,
      shopify_domain: shopDomain,
      timestamp,
    });

    function emulatorCustomers(customers: Parameters<typeof app.emulator.store.upsertCustomers>[1]) {
      app.emulator.store.upsertCustomers(shopDomain, customers);
    }

    async function adminGraphql(query: string, variables: Record<string, unknown>) {
      const response = await fetch(`${app.emulator.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": app.shop.accessToken },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Record<string, unknown>;
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      shopDomain = app.shop.shopDomain;
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      // Repeat answers of one customer are what this suite is about: no frequency cap.
      await saveSurveySettings(app.database, shopDomain, { frequencyCapDays: 0 });
      emulatorCustomers([
        // A long-standing customer: four orders and 250 USD in Shopify, the first in 2024, before the install.
        { id: 801, numberOfOrders: 4, amountSpent: { amount: "250.00", currencyCode: "USD" } },
        { id: 802 },
        { id: 803 },
        { id: 804 },
        { id: 805 },
        { id: 806 },
        { id: 807 },
      ]);
      app.emulator.store.upsertOrders(shopDomain, [
        { id: 7001, customerId: 801, createdAt: "2024-01-15T10:00:00.000Z" },
      ]);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("sends no trigger while no workflow of the shop uses it, as Flow's lifecycle callbacks tell", async () => {
      const response = await answer(8000, 806, 10);
      expect(
        await app.database.syncJob.count({
          where: { shopDomain, kind: "flow_trigger", payload: { contains: response.id } },
        }),
      ).toBe(0);
      await app.drainSync();
      expect(triggersFor(await receivedTriggers(), 8000)).toEqual([]);

      expect(await lifecycle(callback(true, "2026-11-25T10:00:00.000Z"))).toMatchObject({
        status: 200,
        body: { outcome: "recorded" },
      });
      // A callback sent earlier but arriving later does not turn the trigger off again.
      expect(await lifecycle(callback(false, "2026-11-25T09:00:00.000Z"))).toMatchObject({
        status: 200,
        body: { outcome: "stale" },
      });
      expect(await app.database.shop.findUniqueOrThrow({ where: { shopDomain } })).toMatchObject({
        flowTriggerEnabled: true,
      });
    });

    it("refuses a lifecycle callback with a forged signature or a malformed body, naming the problem", async () => {
      const forged = await lifecycle(callback(false, "2026-11-25T11:00:00.000Z"), "not-the-secret");
      expect(forged.status).toBe(400);
      expect(forged.body).toMatchObject({ errors: [{ field: "x-shopify-hmac-sha256" }] });
      const malformed = await lifecycle({
        ...callback(false, "2026-11-25T11:00:00.000Z"),
        has_enabled_flow: "no",
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ errors: [{ field: "has_enabled_flow" }] });
      expect(await app.database.shop.findUniqueOrThrow({ where: { shopDomain } })).toMatchObject({
        flowTriggerEnabled: true,
      });
    });

    it("sends exactly one Flow trigger for an answer, with the fields the extension declares", async () => {
      const response = await answer(8001, 801, 3, "Box arrived crushed");
      expect(
        await app.database.syncJob.findFirstOrThrow({
          where: { shopDomain, kind: "flow_trigger", payload: { contains: response.id } },
        }),
      ).toMatchObject({ status: "pending", customerId: null });

      await app.drainSync();
      await app.drainSync();

      const triggers = triggersFor(await receivedTriggers(), 8001);
      expect(triggers).toHaveLength(1);
      expect(triggers[0]).toMatchObject({ handle: HANDLE });
      expect(triggers[0]?.payload).toEqual({
        customer_id: 801,
        order_id: 8001,
        score: 3,
        category: "detractor",
        comment: "Box arrived crushed",
      });
      const declared = flowTriggerDefinitions().find((definition) => definition.handle === HANDLE);
      const declaredKeys = (declared?.fields ?? []).map(
        (field) => field.key ?? field.type.replace("_reference", "_id"),
      );
      expect(Object.keys(triggers[0]?.payload ?? {}).sort()).toEqual(declaredKeys.sort());
    });

    it("completes the profile from Shopify: orders count, amount spent, first order, returning customer", async () => {
      const profile = await app.database.customerProfile.findUniqueOrThrow({
        where: { shopDomain_customerId: { shopDomain, customerId: "801" } },
      });
      // The order webhook saw one order of 49 USD; Shopify knows the customer's whole history.
      expect(profile).toMatchObject({
        ordersCount: 4,
        totalSpent: 250,
        currencyCode: "USD",
        firstOrderAt: new Date("2024-01-15T10:00:00.000Z"),
      });
      expect(profile.enrichedAt).toBeInstanceOf(Date);
      expect(
        await app.database.response.findFirstOrThrow({ where: { shopDomain, orderId: "8001" } }),
      ).toMatchObject({ customerOrdersCount: 4, returningCustomer: true });
      expect(
        await app.database.syncJob.findFirstOrThrow({
          where: { shopDomain, kind: "enrich_customer", customerId: "801" },
        }),
      ).toMatchObject({ status: "done", attempts: 1 });
    });

    it("does not read a profile enriched less than a day ago again, and takes its count for the next answer", async () => {
      const response = await answer(8011, 801, 9);
      // The webhook counted order 8011 onto the enriched count (4 + 1).
      expect(response).toMatchObject({ customerOrdersCount: 5, returningCustomer: true });
      expect(
        await app.database.syncJob.count({
          where: { shopDomain, kind: "enrich_customer", customerId: "801" },
        }),
      ).toBe(1);
      await app.drainSync();
      expect(triggersFor(await receivedTriggers(), 8011)).toHaveLength(1);
    });

    it("sends one trigger per answer, even for two answers of one customer queued together", async () => {
      await answer(8002, 802, 10, "Lovely");
      await answer(8012, 802, 6);
      expect(
        await app.database.syncJob.count({ where: { shopDomain, kind: "flow_trigger", status: "pending" } }),
      ).toBe(2);

      await app.drainSync();

      const triggers = await receivedTriggers();
      expect(triggersFor(triggers, 8002).map((trigger) => trigger.payload)).toEqual([
        { customer_id: 802, order_id: 8002, score: 10, category: "promoter", comment: "Lovely" },
      ]);
      expect(triggersFor(triggers, 8012).map((trigger) => trigger.payload)).toEqual([
        { customer_id: 802, order_id: 8012, score: 6, category: "detractor", comment: "" },
      ]);
    });

    it("sends neither the comment nor the customer of an answer redacted before its trigger ran", async () => {
      await answer(8003, 803, 1, "Call me on 555-0100, this is a disgrace");
      const redact = await app.webhook("customers/redact", {
        shop_domain: shopDomain,
        customer: { id: 803 },
        orders_to_redact: [8003],
      });
      expect(redact.status).toBe(200);

      await app.drainSync();

      const triggers = triggersFor(await receivedTriggers(), 8003);
      expect(triggers.map((trigger) => trigger.payload)).toEqual([
        { order_id: 8003, score: 1, category: "detractor", comment: "" },
      ]);
      expect(JSON.stringify(await receivedTriggers())).not.toContain("555-0100");
      expect(await app.database.syncJob.count({ where: { shopDomain, customerId: "803" } })).toBe(0);
    });

    it("leaves enrichment for later while the shop's bucket is more than half spent, and tags at once", async () => {
      const { sharedBuckets } = await import("../../app/adapters/shopify-admin/admin-client.server");
      // Someone else spent 70 % of the shop's points; the app has seen it in a throttle status.
      const bucket = app.emulator.store.shops.get(shopDomain)?.bucket;
      if (!bucket) throw new Error("shop not in the emulator");
      const now = app.emulator.store.now();
      bucket.take(bucket.currentlyAvailable(now) - bucket.maximumAvailable * 0.3, now);
      sharedBuckets.observe(shopDomain, bucket.status(now), Date.now());
      app.emulator.store.requests.length = 0;

      await answer(8020, 807, 8);
      await app.drainSync();

      const job = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain, kind: "enrich_customer", customerId: "807", status: "pending" },
      });
      expect(job.runAt.getTime()).toBeGreaterThan(Date.now() + 10_000);
      const operations = app.emulator.store.requests.map((request) => request.operationName);
      expect(operations).not.toContain("ReadCustomerOrderFacts");
      expect(operations).toContain("WriteCustomerCategory");

      const later = app.emulator.store.now();
      bucket.refund(bucket.maximumAvailable, later); // as if the bucket had refilled, for the tests that follow
      sharedBuckets.observe(shopDomain, bucket.status(later), Date.now());
    });

    it("records a customer deleted in Shopify as the enrich job's permanent error and does not retry it", async () => {
      await answer(8004, 804, 8);
      app.emulator.store.shops.get(shopDomain)?.customers.delete("gid://shopify/Customer/804");

      await app.drainSync();
      await app.runSync();

      const job = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain, kind: "enrich_customer", customerId: "804" },
      });
      expect(job).toMatchObject({ status: "dead", attempts: 1 });
      expect(job.lastError).toContain("Customer does not exist");
      // The answer itself still reached Flow.
      expect(triggersFor(await receivedTriggers(), 8004)).toHaveLength(1);
    });

    it("records user errors from Flow as permanent, and retries a 5xx until the trigger is received once", async () => {
      app.emulator.store.faults.push({
        kind: "userError",
        shop: shopDomain,
        operation: "flowTriggerReceive",
        times: 1,
      });
      const refused = await answer(8005, 805, 7);
      await app.drainSync();
      const dead = await app.database.syncJob.findFirstOrThrow({
        where: { shopDomain, kind: "flow_trigger", payload: { contains: refused.id } },
      });
      expect(dead).toMatchObject({ status: "dead", attempts: 1 });
      expect(dead.lastError).toContain("Injected user error");
      expect(triggersFor(await receivedTriggers(), 8005)).toHaveLength(0);

      app.emulator.store.faults.push({
        kind: "http503",
        shop: shopDomain,
        operation: "flowTriggerReceive",
        times: 1,
      });
      await answer(8015, 805, 8);
      await app.drainSync();
      expect(triggersFor(await receivedTriggers(), 8015)).toHaveLength(1);
    });

    it("refuses, as Flow does, an unknown trigger handle and a payload over 50 KB, recording neither", async () => {
      const mutation = `mutation ($handle: String!, $payload: JSON!) {
        flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
      }`;
      const before = (await receivedTriggers()).length;

      const unknown = await adminGraphql(mutation, { handle: "no-such-trigger", payload: { order_id: 1 } });
      expect(unknown).toMatchObject({
        data: {
          flowTriggerReceive: {
            userErrors: [{ field: ["handle"], message: expect.stringContaining("no-such-trigger") }],
          },
        },
      });
      const large = await adminGraphql(mutation, {
        handle: HANDLE,
        payload: { order_id: 1, score: 1, category: "detractor", comment: "x".repeat(50_000) },
      });
      expect(large).toMatchObject({
        data: {
          flowTriggerReceive: {
            userErrors: [{ field: ["payload"], message: expect.stringContaining("50 KB") }],
          },
        },
      });
      expect((await receivedTriggers()).length).toBe(before);
    });
  });
}
