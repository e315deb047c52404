import { afterAll, beforeAll, expect, it } from "vitest";
import { saveSurveySettings } from "../../app/services/survey-settings.server";
import { expireStale } from "../../app/services/maintenance.server";
import { makeCustomerAccountSessionToken } from "../emulator/session-tokens";
import { fulfilledOrderPayload, fulfillmentEventPayload, orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers } from "../factories/shop";
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

type Json = Record<string, unknown>;
const DAY_MS = 86_400_000;

// Survey timing: at purchase, after delivery (a DELIVERED fulfillment event, or N days after fulfillment), or both
// as two stages of one order, each answered once.
export function describeSurveyTiming(kind: DatabaseKind) {
  describeOnDatabase(kind, "survey timing", () => {
    let app: AppHarness;
    let accountRoutes: Record<"survey" | "responses", never>;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      accountRoutes = {
        survey: (await import("../../app/routes/api.customer-account.survey")) as never,
        responses: (await import("../../app/routes/api.customer-account.responses")) as never,
      };
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [
        { id: 301 },
        { id: 302 },
        { id: 303 },
      ]);
    });
    afterAll(async () => {
      await app?.close();
    });

    const setTiming = (mode: "purchase" | "delivery" | "both") =>
      saveSurveySettings(app.database, app.shop.shopDomain, {
        timing: { mode, daysAfterFulfillment: 7, expiresAfterDays: 30 },
        frequencyCapDays: 0,
      });

    async function call(
      surface: "checkout" | "account",
      orderId: number,
      score?: number,
    ): Promise<{ status: number; json: Json }> {
      const token =
        surface === "checkout"
          ? await app.checkoutToken()
          : await makeCustomerAccountSessionToken({
              shop: app.shop.shopDomain,
              apiKey: TEST_API_KEY,
              apiSecret: TEST_API_SECRET,
            });
      const base = surface === "checkout" ? "/api/checkout" : "/api/customer-account";
      const path =
        score === undefined ? `${base}/survey?orderId=gid://shopify/Order/${orderId}` : `${base}/responses`;
      const request = new Request(`${TEST_APP_URL}${path}`, {
        method: score === undefined ? "GET" : "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        ...(score === undefined
          ? {}
          : { body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, locale: "en" }) }),
      });
      const route =
        surface === "checkout"
          ? score === undefined
            ? app.routes.checkoutSurvey
            : app.routes.checkoutResponses
          : score === undefined
            ? accountRoutes.survey
            : accountRoutes.responses;
      const response = (await callRoute(
        route,
        score === undefined ? "loader" : "action",
        request,
      )) as Response;
      return { status: response.status, json: (await response.json()) as Json };
    }

    const invitationsOf = (orderId: number) =>
      app.database.invitation.findMany({
        where: { shopDomain: app.shop.shopDomain, orderId: String(orderId) },
        orderBy: { stage: "asc" },
        include: { response: true },
      });

    it("asks nothing on the thank-you page when the survey waits for delivery, and a DELIVERED event opens it", async () => {
      await setTiming("delivery");
      expect((await app.webhook("orders/create", orderPayload({ id: 3001, customerId: 301 }))).status).toBe(
        200,
      );
      expect(await invitationsOf(3001)).toMatchObject([
        { stage: "delivery", status: "scheduled", opensAt: null },
      ]);

      expect(await call("checkout", 3001)).toMatchObject({
        status: 200,
        json: { show: false, reason: "not_open_yet" },
      });
      expect(await call("checkout", 3001, 9)).toMatchObject({
        status: 409,
        json: { errors: [{ field: "orderId" }] },
      });
      expect(await invitationsOf(3001)).toHaveLength(1); // the thank-you page created no purchase stage

      const inTransit = fulfillmentEventPayload({
        id: 1,
        orderId: 3001,
        status: "in_transit",
        happenedAt: new Date(),
      });
      expect((await app.webhook("fulfillment_events/create", inTransit)).status).toBe(200);
      expect((await invitationsOf(3001))[0]?.status).toBe("scheduled");

      const delivered = fulfillmentEventPayload({
        id: 2,
        orderId: 3001,
        status: "delivered",
        happenedAt: new Date(),
      });
      expect((await app.webhook("fulfillment_events/create", delivered)).status).toBe(200);
      const [opened] = await invitationsOf(3001);
      expect(opened).toMatchObject({ stage: "delivery", status: "pending" });
      expect(opened?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS);
      expect(
        await app.database.syncJob.count({
          where: { kind: "order_survey_link", payload: { contains: opened?.id } },
        }),
      ).toBe(1);

      expect(await call("account", 3001)).toMatchObject({ status: 200, json: { show: true } });
      expect(await call("account", 3001, 10)).toMatchObject({ status: 201, json: { category: "promoter" } });
      expect((await invitationsOf(3001))[0]?.response).toMatchObject({
        stage: "delivery",
        channel: "order_status",
      });
    });

    it("ignores a replayed or unknown-order delivery event and rejects a malformed one naming the field", async () => {
      const delivered = fulfillmentEventPayload({
        id: 3,
        orderId: 3001,
        status: "delivered",
        happenedAt: new Date(),
      });
      expect((await app.webhook("fulfillment_events/create", delivered, { webhookId: "fe-3" })).status).toBe(
        200,
      );
      const replay = await app.webhook("fulfillment_events/create", delivered, { webhookId: "fe-3" });
      expect(await replay.json()).toMatchObject({ ok: true, outcome: "duplicate" });
      const unknown = fulfillmentEventPayload({
        id: 4,
        orderId: 9999,
        status: "delivered",
        happenedAt: new Date(),
      });
      expect((await app.webhook("fulfillment_events/create", unknown)).status).toBe(200);
      expect(await invitationsOf(9999)).toHaveLength(0);
      const malformed = await app.webhook("fulfillment_events/create", { id: 5, status: "delivered" });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ errors: [{ field: "order_id" }] });
      expect((await invitationsOf(3001))[0]?.response?.score).toBe(10); // nothing already stored was touched
    });

    it("runs a two-stage survey: the purchase stage at once, the delivery stage N days after fulfillment", async () => {
      await setTiming("both");
      await app.webhook("orders/create", orderPayload({ id: 3002, customerId: 302 }));
      expect(await invitationsOf(3002)).toMatchObject([
        { stage: "delivery", status: "scheduled" },
        { stage: "purchase", status: "pending" },
      ]);
      expect(await call("checkout", 3002, 9)).toMatchObject({ status: 201 });
      expect(await call("account", 3002)).toMatchObject({ status: 200, json: { reason: "not_open_yet" } });

      const fulfilledAt = new Date(Date.now() - 8 * DAY_MS);
      await app.webhook(
        "orders/fulfilled",
        fulfilledOrderPayload({ id: 3002, customerId: 302, fulfilledAt }),
      );
      const scheduled = (await invitationsOf(3002))[0];
      expect(scheduled?.opensAt?.getTime()).toBe(fulfilledAt.getTime() + 7 * DAY_MS);
      expect((await invitationsOf(3002)).map((invitation) => invitation.fulfilledAt)).toEqual([
        fulfilledAt,
        fulfilledAt,
      ]);

      const result = await expireStale(app.database);
      expect(result.invitationsOpened).toBeGreaterThanOrEqual(1);
      expect((await expireStale(app.database)).invitationsOpened).toBe(0); // opening happens once
      expect(await call("account", 3002)).toMatchObject({ status: 200, json: { show: true } });
      expect(await call("account", 3002, 3)).toMatchObject({ status: 201, json: { category: "detractor" } });

      const [delivery, purchase] = await invitationsOf(3002);
      expect(purchase?.response).toMatchObject({ stage: "purchase", score: 9, status: "confirmed" });
      expect(delivery?.response).toMatchObject({ stage: "delivery", score: 3, status: "confirmed" });
      const profile = await app.database.customerProfile.findUnique({
        where: { shopDomain_customerId: { shopDomain: app.shop.shopDomain, customerId: "302" } },
      });
      expect(profile).toMatchObject({ ordersCount: 1, latestCategory: "detractor", responsesCount: 2 });
      expect(await call("account", 3002)).toMatchObject({
        status: 200,
        json: { reason: "already_answered" },
      });
    });

    it("reports the two stages side by side with the gap between them", async () => {
      const { dashboardReport } = await import("../../app/services/reports.server");
      const report = await dashboardReport(app.database, app.shop.shopDomain, {
        from: new Date(Date.now() - DAY_MS),
        to: new Date(Date.now() + DAY_MS),
      });
      // purchase: order 3002's 9; delivery: order 3001's 10 and order 3002's 3
      expect(report.stages?.purchase.summary).toMatchObject({ responses: 1, nps: 100 });
      expect(report.stages?.delivery.summary).toMatchObject({ responses: 2, nps: 0 });
      expect(report.stages?.gap.difference).toBe(-100);
      expect(report.summary.responses).toBe(3);
    });

    it("counts an order once when orders/fulfilled arrives before orders/create", async () => {
      const fulfilledAt = new Date();
      await app.webhook(
        "orders/fulfilled",
        fulfilledOrderPayload({ id: 3003, customerId: 303, fulfilledAt }),
      );
      await app.webhook("orders/create", orderPayload({ id: 3003, customerId: 303 }));
      const invitations = await invitationsOf(3003);
      expect(invitations.map((invitation) => invitation.stage)).toEqual(["delivery", "purchase"]);
      expect(invitations[0]?.opensAt?.getTime()).toBe(fulfilledAt.getTime() + 7 * DAY_MS);
      const profile = await app.database.customerProfile.findUnique({
        where: { shopDomain_customerId: { shopDomain: app.shop.shopDomain, customerId: "303" } },
      });
      expect(profile?.ordersCount).toBe(1);
    });

    it("expires a delivery stage whose order is never fulfilled", async () => {
      await app.webhook("orders/create", orderPayload({ id: 3004, customerId: null }));
      const later = new Date(Date.now() + 91 * DAY_MS);
      await expireStale(app.database, later);
      const statuses = (await invitationsOf(3004)).map((invitation) => [invitation.stage, invitation.status]);
      expect(statuses).toEqual([
        ["delivery", "expired"],
        ["purchase", "expired"],
      ]);
    });

    it("keeps the purchase-only default from ever scheduling a delivery stage", async () => {
      await setTiming("purchase");
      await app.webhook("orders/create", orderPayload({ id: 3005, customerId: null }));
      const delivered = fulfillmentEventPayload({
        id: 6,
        orderId: 3005,
        status: "DELIVERED",
        happenedAt: new Date(),
      });
      await app.webhook("fulfillment_events/create", delivered);
      expect(await invitationsOf(3005)).toMatchObject([{ stage: "purchase", status: "pending" }]);
    });
  });
}
