import path from "node:path";
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildWebhookRequest } from "../emulator/webhooks";
import { fulfillmentEventPayload, fulfilledOrderPayload, orderPayload } from "../factories/order-payload";
import { installTestShop, testShop } from "../factories/shop";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import { shopRows, tableCounts } from "../support/table-snapshot";
import type { DatabaseKind } from "../support/test-databases";

type RouteModule = Parameters<typeof callRoute>[0];

// Two known gaps of webhook handling, closed: (c) Shopify re-sends an event under a NEW X-Shopify-Webhook-Id but
// the same X-Shopify-Event-Id — it must be recorded once; (d) webhooks for a shop that never installed the app
// (no Shop row, no session) must be acknowledged with 200, so that Shopify stops retrying, and store nothing.

/** Every webhook route of app/routes with its topic: webhooks.customers.data_request.tsx → customers/data_request. */
function webhookRoutes(): { file: string; topic: string }[] {
  return readdirSync("app/routes")
    .filter((file) => file.startsWith("webhooks."))
    .map((file) => ({
      file,
      topic: file
        .replace(/^webhooks\./, "")
        .replace(/\.tsx?$/, "")
        .replace(".", "/"),
    }));
}

const NOW = new Date();
/** A payload each topic's handler accepts; a new webhook route without one here fails the suite. */
const VALID_PAYLOADS: Record<string, unknown> = {
  "orders/create": orderPayload({ id: 91_001, customerId: 92_001 }),
  "orders/fulfilled": fulfilledOrderPayload({ id: 91_001, customerId: 92_001, fulfilledAt: NOW }),
  "fulfillment_events/create": fulfillmentEventPayload({
    id: 93_001,
    orderId: 91_001,
    status: "delivered",
    happenedAt: NOW,
  }),
  "customers/data_request": { customer: { id: 92_001 }, orders_requested: [91_001] },
  "customers/redact": { customer: { id: 92_001 }, orders_to_redact: [91_001] },
  "shop/redact": { shop_id: 1, shop_domain: "ghost-shop.myshopify.com" },
  "app/uninstalled": { id: 1, domain: "ghost-shop.myshopify.com" },
  "app/scopes_update": { current: ["read_orders", "read_customers"], previous: [] },
};

export function describeWebhookFaults(kind: DatabaseKind) {
  describeOnDatabase(kind, "webhooks re-sent under a new id, and webhooks of shops without the app", () => {
    let app: AppHarness;
    const routes: Record<string, RouteModule> = {};
    const leaver = testShop({ shopDomain: "leaver-shop.myshopify.com", name: "Leaver" });

    async function deliver(
      topic: string,
      payload: unknown,
      ids: { webhookId: string; eventId: string; shop?: string },
    ): Promise<{ status: number; body: { outcome?: unknown } }> {
      const route = routes[topic];
      if (!route) throw new Error(`no webhook route for ${topic}`);
      const request = buildWebhookRequest(`${TEST_APP_URL}/webhooks/${topic}`, {
        topic,
        shop: ids.shop ?? app.shop.shopDomain,
        payload,
        apiSecret: TEST_API_SECRET,
        webhookId: ids.webhookId,
        eventId: ids.eventId,
      });
      const response = (await callRoute(route, "action", request)) as Response;
      return { status: response.status, body: (await response.json()) as { outcome?: unknown } };
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      for (const { file, topic } of webhookRoutes()) {
        routes[topic] = (await import(/* @vite-ignore */ path.resolve("app/routes", file))) as RouteModule;
      }
    });
    afterAll(async () => {
      await app?.close();
    });

    it("records an order once when Shopify re-sends orders/create under a new webhook id with the same event id", async () => {
      const payload = orderPayload({ id: 4101, customerId: 4201 });
      const first = await deliver("orders/create", payload, { webhookId: "w-4101-a", eventId: "e-4101" });
      const resent = await deliver("orders/create", payload, { webhookId: "w-4101-b", eventId: "e-4101" });

      expect(first).toEqual({ status: 200, body: { ok: true, outcome: "recorded" } });
      expect(resent).toEqual({ status: 200, body: { ok: true, outcome: "duplicate" } });
      const shopDomain = app.shop.shopDomain;
      expect(await app.database.webhookDelivery.findMany({ where: { eventId: "e-4101" } })).toEqual([
        expect.objectContaining({ webhookId: "w-4101-a", shopDomain, topic: "ORDERS_CREATE" }),
      ]);
      expect(await app.database.invitation.count({ where: { shopDomain, orderId: "4101" } })).toBe(1);
      expect(
        await app.database.customerProfile.findUnique({
          where: { shopDomain_customerId: { shopDomain, customerId: "4201" } },
        }),
      ).toMatchObject({ ordersCount: 1 });
      // The same event id under another topic is another subscription's delivery, not a re-send.
      const fulfilled = await deliver(
        "orders/fulfilled",
        fulfilledOrderPayload({ id: 4101, customerId: 4201, fulfilledAt: new Date() }),
        { webhookId: "w-4101-c", eventId: "e-4101" },
      );
      expect(fulfilled.body.outcome).toBe("recorded");
    });

    it("keeps one data request when customers/data_request is re-sent under a new webhook id with the same event id", async () => {
      const payload = { customer: { id: 4301 }, orders_requested: [4401] };
      const first = await deliver("customers/data_request", payload, {
        webhookId: "w-dr-a",
        eventId: "e-dr",
      });
      const resent = await deliver("customers/data_request", payload, {
        webhookId: "w-dr-b",
        eventId: "e-dr",
      });
      const replayed = await deliver("customers/data_request", payload, {
        webhookId: "w-dr-a",
        eventId: "e-dr",
      });

      expect([first, resent, replayed].map((answer) => [answer.status, answer.body.outcome])).toEqual([
        [200, "recorded"],
        [200, "duplicate"],
        [200, "duplicate"],
      ]);
      expect(
        await app.database.dataRequest.findMany({
          where: { shopDomain: app.shop.shopDomain, customerId: "4301" },
        }),
      ).toEqual([expect.objectContaining({ webhookId: "w-dr-a", ordersRequested: '["4401"]' })]);
      // Another event of the same customer is a new request.
      const next = await deliver("customers/data_request", payload, {
        webhookId: "w-dr-c",
        eventId: "e-dr-2",
      });
      expect(next.body.outcome).toBe("recorded");
      expect(
        await app.database.dataRequest.count({
          where: { shopDomain: app.shop.shopDomain, customerId: "4301" },
        }),
      ).toBe(2);
    });

    it("records an event once when two deliveries of it with different webhook ids arrive at the same time", async () => {
      const payload = orderPayload({ id: 4501, customerId: 4601 });
      const answers = await Promise.all(
        ["w-4501-a", "w-4501-b", "w-4501-c"].map((webhookId) =>
          deliver("orders/create", payload, { webhookId, eventId: "e-4501" }),
        ),
      );

      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => answer.body.outcome).sort()).toEqual([
        "duplicate",
        "duplicate",
        "recorded",
      ]);
      expect(await app.database.webhookDelivery.count({ where: { eventId: "e-4501" } })).toBe(1);
      expect(
        await app.database.customerProfile.findUnique({
          where: { shopDomain_customerId: { shopDomain: app.shop.shopDomain, customerId: "4601" } },
        }),
      ).toMatchObject({ ordersCount: 1 });
    });

    it("acknowledges every webhook topic of a shop that never installed the app with 200 and stores nothing", async () => {
      const topics = webhookRoutes().map((route) => route.topic);
      expect(
        topics.filter((topic) => !(topic in VALID_PAYLOADS)),
        "topics without a payload here",
      ).toEqual([]);
      const ghost = "ghost-shop.myshopify.com";
      const before = await tableCounts(app.database);

      for (const [index, topic] of topics.entries()) {
        const answer = await deliver(topic, VALID_PAYLOADS[topic], {
          webhookId: `ghost-${index}`,
          eventId: `ghost-event-${index}`,
          shop: ghost,
        });
        expect([topic, answer]).toEqual([
          topic,
          { status: 200, body: { ok: true, outcome: "not_installed" } },
        ]);
      }

      expect(await tableCounts(app.database)).toEqual(before);
      const rows = await shopRows(app.database, ghost);
      expect(Object.values(rows).flat()).toEqual([]);
    });

    it("still erases a customer for a shop that uninstalled the app, whose Shop row is kept", async () => {
      await installTestShop(app.database, app.emulator.url, leaver);
      const order = orderPayload({ id: 4701, customerId: 4801 });
      const created = await deliver("orders/create", order, {
        webhookId: "w-4701",
        eventId: "e-4701",
        shop: leaver.shopDomain,
      });
      expect(created.body.outcome).toBe("recorded");
      const uninstalled = await deliver(
        "app/uninstalled",
        {},
        { webhookId: "w-leave", eventId: "e-leave", shop: leaver.shopDomain },
      );
      expect(uninstalled.status).toBe(200);
      expect(await app.database.session.count({ where: { shop: leaver.shopDomain } })).toBe(0);

      const redacted = await deliver(
        "customers/redact",
        { customer: { id: 4801 }, orders_to_redact: [4701] },
        { webhookId: "w-redact", eventId: "e-redact", shop: leaver.shopDomain },
      );

      expect(redacted).toEqual({ status: 200, body: { ok: true, outcome: "redacted" } });
      expect(
        await app.database.customerProfile.count({
          where: { shopDomain: leaver.shopDomain, customerId: "4801" },
        }),
      ).toBe(0);
      expect(
        await app.database.invitation.findFirst({ where: { shopDomain: leaver.shopDomain } }),
      ).toMatchObject({
        customerId: null,
        orderFacts: null,
      });
    });
  });
}
