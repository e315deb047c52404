import { afterAll, beforeAll, expect, it } from "vitest";
import { signWebhookBody } from "../emulator/webhooks";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers } from "../factories/shop";
import { type AppHarness, callRoute, startAppHarness, TEST_APP_URL } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const ORDER_GID = "gid://shopify/Order/1001";

// One order crosses every layer: signed webhook → invitation → checkout survey → answer → sync job →
// tag in (emulated) Shopify → dashboard. The paths and JSON shapes here are the public contract (README).
export function describeThinSlice(kind: DatabaseKind) {
  describeOnDatabase(kind, "the thin slice", () => {
    let app: AppHarness;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [
        { id: 42, email: "ada@example.com", tags: ["vip"] },
      ]);
    });
    afterAll(async () => {
      await app?.close();
    });

    async function checkoutRequest(
      path: string,
      init: { method?: string; body?: unknown; token?: string } = {},
    ) {
      const token = init.token ?? (await app.checkoutToken());
      return new Request(`${TEST_APP_URL}${path}`, {
        method: init.method ?? "GET",
        headers: {
          Authorization: `Bearer ${token}`,
          Origin: "https://extensions.shopifycdn.com",
          ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    }

    it("records a signed orders/create webhook as a pending invitation", async () => {
      const response = await app.webhook("orders/create", orderPayload({ id: 1001, customerId: 42 }), {
        webhookId: "webhook-1001",
      });
      expect(response.status).toBe(200);
      const invitation = await app.database.invitation.findUniqueOrThrow({
        where: {
          shopDomain_orderId_stage: { shopDomain: app.shop.shopDomain, orderId: "1001", stage: "purchase" },
        },
      });
      expect(invitation).toMatchObject({ status: "pending", customerId: "42", source: "webhook" });
    });

    it("acknowledges a replayed webhook without making a second invitation", async () => {
      const response = await app.webhook("orders/create", orderPayload({ id: 1001, customerId: 42 }), {
        webhookId: "webhook-1001",
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ outcome: "duplicate" });
      expect(await app.database.invitation.count()).toBe(1);
      expect(await app.database.customerProfile.findFirst()).toMatchObject({
        customerId: "42",
        ordersCount: 1,
      });
    });

    it("rejects a webhook whose HMAC is wrong with 401 and stores nothing", async () => {
      const body = JSON.stringify(orderPayload({ id: 1002, customerId: 42 }));
      const request = new Request(`${TEST_APP_URL}/webhooks/orders/create`, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": "orders/create",
          "X-Shopify-Shop-Domain": app.shop.shopDomain,
          "X-Shopify-Webhook-Id": "webhook-forged",
          "X-Shopify-API-Version": "2026-10",
          "X-Shopify-Hmac-Sha256": signWebhookBody(body, "not-the-app-secret"),
        },
      });
      const response = (await callRoute(app.routes.ordersCreate, "action", request)) as Response;
      expect(response.status).toBe(401);
      expect(await app.database.invitation.count()).toBe(1);
      expect(await app.database.webhookDelivery.count()).toBe(1);
    });

    it("serves the survey to the thank-you page extension for the order", async () => {
      const response = (await callRoute(
        app.routes.checkoutSurvey,
        "loader",
        await checkoutRequest(`/api/checkout/survey?orderId=${encodeURIComponent(ORDER_GID)}`),
      )) as Response;
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      const body = (await response.json()) as {
        show: boolean;
        survey: { question: string; scale: unknown };
      };
      expect(body.show).toBe(true);
      expect(body.survey.question).toContain("NPS Test Shop");
      expect(body.survey.scale).toMatchObject({ min: 0, max: 10 });
    });

    it("rejects a score of 11 with 400 naming the score field, storing nothing", async () => {
      const response = (await callRoute(
        app.routes.checkoutResponses,
        "action",
        await checkoutRequest("/api/checkout/responses", {
          method: "POST",
          body: { orderId: ORDER_GID, score: 11 },
        }),
      )) as Response;
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { field: string; message: string }[] };
      expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: "score" })]));
      expect(await app.database.response.count()).toBe(0);
    });

    it("stores an answer of 9 as a promoter with 201 and queues its sync job", async () => {
      const response = (await callRoute(
        app.routes.checkoutResponses,
        "action",
        await checkoutRequest("/api/checkout/responses", {
          method: "POST",
          body: { orderId: ORDER_GID, score: 9, comment: "fast" },
        }),
      )) as Response;
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ category: "promoter" });
      expect(await app.database.response.findFirst()).toMatchObject({
        score: 9,
        category: "promoter",
        comment: "fast",
        customerId: "42",
        status: "confirmed",
        orderValue: 49,
      });
      expect(
        await app.database.syncJob.count({ where: { kind: "customer_category", customerId: "42" } }),
      ).toBe(1);
    });

    it("refuses a second answer for the same order with 409", async () => {
      const response = (await callRoute(
        app.routes.checkoutResponses,
        "action",
        await checkoutRequest("/api/checkout/responses", {
          method: "POST",
          body: { orderId: ORDER_GID, score: 3 },
        }),
      )) as Response;
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ errors: [{ field: "orderId" }] });
      expect(await app.database.response.count()).toBe(1);
    });

    it("tags customer 42 nps:promoter in Shopify through the sync worker, keeping the merchant's tags", async () => {
      let rounds = 0;
      while ((await app.database.syncJob.count({ where: { status: { in: ["pending", "running"] } } })) > 0) {
        await app.runSync();
        rounds += 1;
        if (rounds > 10) throw new Error("sync jobs did not drain");
      }
      const customer = await app.emulatorCustomer(42);
      expect(customer?.tags.sort()).toEqual(["nps:promoter", "vip"]);
      expect(customer?.metafields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "score", value: "9" }),
          expect.objectContaining({ key: "category", value: "promoter" }),
        ]),
      );
      expect(await app.database.syncJob.count({ where: { status: "dead" } })).toBe(0);
    });

    it("reports NPS 100 from 1 response on the dashboard", async () => {
      const data = (await callRoute(app.routes.dashboard, "loader", await app.adminRequest("/app"))) as {
        report: { summary: { nps: number; responses: number } };
      };
      expect(data.report.summary).toMatchObject({ nps: 100, responses: 1 });
    });
  });
}
