import { readdirSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, installTestShop, testShop } from "../factories/shop";
import { type AppHarness, callRoute, startAppHarness, TEST_APP_URL } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

// Two shops answer surveys; compliance webhooks of one must remove exactly what they name, and only there.
export function describeCompliance(kind: DatabaseKind) {
  describeOnDatabase(kind, "compliance and shop isolation", () => {
    let app: AppHarness;
    const other = testShop({ shopDomain: "other-shop.myshopify.com", name: "Other Shop" });

    async function answer(
      shopDomain: string,
      orderId: number,
      customerId: number,
      score: number,
      comment: string,
    ) {
      await app.webhook("orders/create", orderPayload({ id: orderId, customerId }), { shop: shopDomain });
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${await app.checkoutToken({ shopDomain })}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, comment }),
      });
      return (await callRoute(app.routes.checkoutResponses, "action", request)) as Response;
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await installTestShop(app.database, app.emulator.url, other);
      for (const shopDomain of [app.shop.shopDomain, other.shopDomain]) {
        await addEmulatorCustomers(app.emulator.url, shopDomain, [{ id: 501 }, { id: 502 }]);
      }
      expect(
        (await answer(app.shop.shopDomain, 3001, 501, 2, "rude support, call me on 555-0100")).status,
      ).toBe(201);
      expect((await answer(app.shop.shopDomain, 3002, 502, 10, "great")).status).toBe(201);
      // The same customer and order ids exist in the other shop: they must never be touched.
      expect((await answer(other.shopDomain, 3001, 501, 3, "other shop's comment")).status).toBe(201);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("does not let shop A's token answer shop B's order", async () => {
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${await app.checkoutToken()}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ orderId: "gid://shopify/Order/3001", score: 9 }),
      });
      // Order 3001 exists in both shops; with shop A's token it is shop A's order, already answered.
      const response = (await callRoute(app.routes.checkoutResponses, "action", request)) as Response;
      expect(response.status).toBe(409);
      const otherResponse = await app.database.response.findFirstOrThrow({
        where: { shopDomain: other.shopDomain },
      });
      expect(otherResponse).toMatchObject({ score: 3, comment: "other shop's comment" });
    });

    it("redacts a customer's comments, notes and links, keeping the anonymous score, twice without harm", async () => {
      const payload = {
        shop_domain: app.shop.shopDomain,
        customer: { id: 501, email: "x@example.com" },
        orders_to_redact: [3001],
      };
      for (let delivery = 0; delivery < 2; delivery += 1) {
        const response = await app.webhook("customers/redact", payload);
        expect(response.status).toBe(200);
      }
      const redacted = await app.database.response.findFirstOrThrow({
        where: { shopDomain: app.shop.shopDomain, orderId: "3001" },
      });
      expect(redacted).toMatchObject({ score: 2, category: "detractor", comment: null, customerId: null });
      expect(
        await app.database.customerProfile.count({
          where: { shopDomain: app.shop.shopDomain, customerId: "501" },
        }),
      ).toBe(0);
      expect(
        await app.database.invitation.findFirst({
          where: { shopDomain: app.shop.shopDomain, orderId: "3001" },
        }),
      ).toMatchObject({
        customerId: null,
        orderFacts: null,
      });
      expect(await app.database.followUp.findFirst({ where: { responseId: redacted.id } })).toMatchObject({
        note: null,
      });
      // untouched: the other customer of this shop, and the same ids in the other shop
      expect(
        await app.database.response.findFirst({
          where: { shopDomain: app.shop.shopDomain, orderId: "3002" },
        }),
      ).toMatchObject({
        comment: "great",
        customerId: "502",
      });
      expect(
        await app.database.response.findFirst({ where: { shopDomain: other.shopDomain } }),
      ).toMatchObject({
        comment: "other shop's comment",
        customerId: "501",
      });
    });

    it("answers a data request for a customer with 200 and a malformed one with 400 naming the field", async () => {
      const payload = { customer: { id: 502 }, orders_requested: [3002], data_request: { id: 1 } };
      const ok = await app.webhook("customers/data_request", payload, { webhookId: "data-request-1" });
      expect(ok.status).toBe(200);
      const replay = await app.webhook("customers/data_request", payload, { webhookId: "data-request-1" });
      expect(await replay.json()).toMatchObject({ outcome: "duplicate" });
      const bad = await app.webhook("customers/data_request", { customer: {} });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ errors: [{ field: "customer.id" }] });
      expect(await app.database.dataRequest.count()).toBe(1);
    });

    it("gives the merchant the customer's data as a JSON download, only in the shop that was asked", async () => {
      const { listDataRequests, markDataRequestDelivered } = await import(
        "../../app/services/data-requests.server"
      );
      const [request] = await listDataRequests(app.database, app.shop.shopDomain);
      expect(request).toMatchObject({ customerId: "502", deliveredAt: null });
      expect(request && request.dueBy.getTime() - request.receivedAt.getTime()).toBe(30 * 86_400_000);
      expect(await listDataRequests(app.database, other.shopDomain)).toEqual([]);

      const route = await import("../../app/routes/app.data-requests.$id[.json]");
      const id = request?.id ?? "";
      const download = (await callRoute(
        route,
        "loader",
        await app.adminRequest(`/app/data-requests/${id}.json`),
        {},
        { id },
      )) as Response;
      expect(download.headers.get("Content-Disposition")).toContain("nps-customer-502-data.json");
      const data = (await download.json()) as {
        responses: { comment: string; score: number }[];
        profile: unknown;
      };
      expect(data.responses).toMatchObject([{ score: 10, comment: "great" }]);
      expect(data.profile).toMatchObject({ customerId: "502", latestScore: 10 });
      expect(JSON.stringify(data)).not.toContain("other shop's comment");

      await expect(markDataRequestDelivered(app.database, other.shopDomain, id)).rejects.toMatchObject({
        code: "not_found",
      });
      const delivered = await markDataRequestDelivered(app.database, app.shop.shopDomain, id);
      expect(delivered.deliveredAt).toBeInstanceOf(Date);
    });

    it("keeps data but drops sessions and pending work on app/uninstalled, idempotently", async () => {
      await app.webhook("orders/create", orderPayload({ id: 3003, customerId: 502 }));
      for (let delivery = 0; delivery < 2; delivery += 1) {
        expect((await app.webhook("app/uninstalled", { id: 1 })).status).toBe(200);
      }
      expect(await app.database.session.count({ where: { shop: app.shop.shopDomain } })).toBe(0);
      expect(
        await app.database.syncJob.count({ where: { shopDomain: app.shop.shopDomain, status: "pending" } }),
      ).toBe(0);
      expect(await app.database.response.count({ where: { shopDomain: app.shop.shopDomain } })).toBe(2);
      expect(await app.database.session.count({ where: { shop: other.shopDomain } })).toBe(1);
    });

    it("answers GET on every webhook route with 405 naming the method, in the JSON error contract", async () => {
      const files = readdirSync("app/routes").filter((file) => file.startsWith("webhooks."));
      expect(files.length).toBeGreaterThanOrEqual(8);
      for (const file of files) {
        const route = await import(`../../app/routes/${file.replace(/\.tsx$/, "")}.tsx`);
        const request = new Request(`${TEST_APP_URL}/webhooks/x`);
        const response = (await callRoute(route, "loader", request)) as Response;
        expect(response.status, file).toBe(405);
        expect(await response.json()).toMatchObject({ errors: [{ field: "method" }] });
      }
    });

    it("deletes everything of the shop on shop/redact and nothing of the other shop", async () => {
      for (let delivery = 0; delivery < 2; delivery += 1) {
        expect((await app.webhook("shop/redact", { shop_domain: app.shop.shopDomain })).status).toBe(200);
      }
      // Every model that holds a shop's rows, so a table added later cannot be forgotten here.
      const { Prisma } = await import("@prisma/client");
      const shopModels = Prisma.dmmf.datamodel.models.filter((model) =>
        model.fields.some((field) => field.name === "shopDomain"),
      );
      expect(shopModels.length).toBeGreaterThan(10);
      type Counter = { count(args: { where: { shopDomain: string } }): Promise<number> };
      const delegates = app.database as unknown as Record<string, Counter>;
      const left: Record<string, number> = {};
      for (const model of shopModels) {
        const delegate = delegates[model.name.charAt(0).toLowerCase() + model.name.slice(1)];
        if (!delegate) throw new Error(`no Prisma delegate for ${model.name}`);
        left[model.name] = await delegate.count({ where: { shopDomain: app.shop.shopDomain } });
      }
      expect(left).toEqual(Object.fromEntries(shopModels.map((model) => [model.name, 0])));
      expect(await app.database.session.count({ where: { shop: app.shop.shopDomain } })).toBe(0);
      expect(await app.database.response.count({ where: { shopDomain: other.shopDomain } })).toBe(1);
      expect(await app.database.shop.count({ where: { shopDomain: other.shopDomain } })).toBe(1);
    });
  });
}
