import { afterAll, beforeAll, expect, it } from "vitest";
import { appProxyUrl } from "../emulator/app-proxy";
import { makeCustomerAccountSessionToken } from "../emulator/session-tokens";
import { orderPayload } from "../factories/order-payload";
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

export function describeSurveyApi(kind: DatabaseKind) {
  describeOnDatabase(kind, "the survey API", () => {
    let app: AppHarness;
    let routes: Record<string, { loader?: (args: never) => unknown; action?: (args: never) => unknown }>;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      routes = {
        accountSurvey: await import("../../app/routes/api.customer-account.survey"),
        accountResponses: await import("../../app/routes/api.customer-account.responses"),
        proxySurvey: await import("../../app/routes/proxy.survey"),
        proxyResponses: await import("../../app/routes/proxy.responses"),
      };
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [
        { id: 77 },
        { id: 78 },
        { id: 79 },
        { id: 80 },
      ]);
    });
    afterAll(async () => {
      await app?.close();
    });

    async function extensionCall(
      route: "checkoutSurvey" | "checkoutResponses",
      path: string,
      body?: Json,
      token?: string,
    ): Promise<{ status: number; json: Json }> {
      const request = new Request(`${TEST_APP_URL}${path}`, {
        method: body ? "POST" : "GET",
        headers: {
          Authorization: `Bearer ${token ?? (await app.checkoutToken())}`,
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const response = (await callRoute(app.routes[route], body ? "action" : "loader", request)) as Response;
      return { status: response.status, json: (await response.json()) as Json };
    }

    async function invitationOf(orderId: string) {
      return app.database.invitation.findUniqueOrThrow({
        where: { shopDomain_orderId_stage: { shopDomain: app.shop.shopDomain, orderId, stage: "purchase" } },
        include: { response: true },
      });
    }

    it("creates the invitation on the thank-you page's first fetch and lets the later webhook fill the same row", async () => {
      const survey = await extensionCall(
        "checkoutSurvey",
        "/api/checkout/survey?orderId=gid://shopify/OrderIdentity/2001",
      );
      expect(survey).toMatchObject({ status: 200, json: { show: true } });
      expect(await invitationOf("2001")).toMatchObject({ source: "extension", orderFacts: null });

      const webhook = await app.webhook("orders/create", orderPayload({ id: 2001, customerId: 77 }));
      expect(webhook.status).toBe(200);
      const invitation = await invitationOf("2001");
      expect(invitation).toMatchObject({ source: "extension", customerId: "77", status: "pending" });
      expect(invitation.orderFacts).not.toBeNull();
      expect(await app.database.invitation.count({ where: { orderId: "2001" } })).toBe(1);
    });

    it("keeps an answer given before the order webhook as pending, then confirms and syncs it when the webhook comes", async () => {
      const answer = await extensionCall("checkoutResponses", "/api/checkout/responses", {
        orderId: "gid://shopify/OrderIdentity/2002",
        score: 4,
        comment: "late parcel",
      });
      expect(answer).toMatchObject({ status: 201, json: { category: "detractor", status: "pending" } });
      expect(await app.database.syncJob.count({ where: { customerId: "78" } })).toBe(0);

      await app.webhook("orders/create", orderPayload({ id: 2002, customerId: 78, totalPrice: "80.00" }));
      const invitation = await invitationOf("2002");
      expect(invitation.response).toMatchObject({ status: "confirmed", customerId: "78", orderValue: 80 });
      expect(await app.database.followUp.count({ where: { responseId: invitation.response?.id } })).toBe(1);
      expect(
        await app.database.syncJob.count({ where: { customerId: "78", kind: "customer_category" } }),
      ).toBe(1);
      await app.runSync();
      expect((await app.emulatorCustomer(78))?.tags).toEqual(["nps:detractor"]);
    });

    it("answers 'already answered' and 409 once an order's survey is done", async () => {
      expect(await extensionCall("checkoutSurvey", "/api/checkout/survey?orderId=2002")).toMatchObject({
        status: 200,
        json: { show: false, reason: "already_answered" },
      });
    });

    it("accepts the order-status page's customer-account token for the same contract", async () => {
      await app.webhook("orders/create", orderPayload({ id: 2003, customerId: 79 }));
      const token = await makeCustomerAccountSessionToken({
        shop: app.shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        sub: "gid://shopify/Customer/79",
        dest: "domain",
      });
      const request = new Request(`${TEST_APP_URL}/api/customer-account/responses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: "gid://shopify/Order/2003", score: 8, locale: "de" }),
      });
      const response = (await callRoute(routes.accountResponses as never, "action", request)) as Response;
      expect(response.status).toBe(201);
      expect((await invitationOf("2003")).response).toMatchObject({
        channel: "order_status",
        locale: "de",
        category: "passive",
      });
    });

    it("refuses a token of a shop without the app, an expired token and a forged one with 401", async () => {
      const otherShop = await app.checkoutToken({ shopDomain: "stranger.myshopify.com" });
      const { makeCheckoutSessionToken } = await import("../emulator/session-tokens");
      const expired = await makeCheckoutSessionToken({
        shop: app.shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        now: new Date(Date.now() - 3600_000),
      });
      const forged = await makeCheckoutSessionToken({
        shop: app.shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: "guess",
      });
      for (const token of [otherShop, expired, forged]) {
        const result = await extensionCall(
          "checkoutSurvey",
          "/api/checkout/survey?orderId=2001",
          undefined,
          token,
        );
        expect(result.status).toBe(401);
        expect(result.json).toMatchObject({ errors: [{ field: "authorization" }] });
      }
    });

    it("rejects bodies that are not JSON, too large or of the wrong type, naming the problem", async () => {
      const call = async (body: string, contentType = "application/json") => {
        const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
          method: "POST",
          headers: { Authorization: `Bearer ${await app.checkoutToken()}`, "Content-Type": contentType },
          body,
        });
        const response = (await callRoute(app.routes.checkoutResponses, "action", request)) as Response;
        return { status: response.status, json: (await response.json()) as Json };
      };
      expect(await call("{not json")).toMatchObject({ status: 400, json: { errors: [{ field: "body" }] } });
      expect(await call("score=9", "text/plain")).toMatchObject({
        status: 400,
        json: { errors: [{ field: "body" }] },
      });
      expect(
        await call(JSON.stringify({ orderId: "2001", score: 9, comment: "x".repeat(20_000) })),
      ).toMatchObject({
        status: 413,
      });
      expect(await call(JSON.stringify({ orderId: "2001", score: "9" }))).toMatchObject({
        status: 400,
        json: { errors: [{ field: "score" }] },
      });
    });

    it("serves a survey link's storefront survey through the signed app proxy and takes the answer", async () => {
      const { signInvitationToken } = await import("../../app/domain/invitation-token");
      await app.webhook("orders/create", orderPayload({ id: 2004, customerId: 80 }));
      const invitation = await invitationOf("2004");
      const token = signInvitationToken(
        {
          shop: app.shop.shopDomain,
          invitationId: invitation.id,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        },
        TEST_API_SECRET,
      );
      const surveyUrl = appProxyUrl(
        `${TEST_APP_URL}/proxy/survey`,
        { shop: app.shop.shopDomain, token, locale: "fr" },
        TEST_API_SECRET,
      );
      const survey = (await callRoute(
        routes.proxySurvey as never,
        "loader",
        new Request(surveyUrl),
      )) as Response;
      expect(survey.status).toBe(200);
      expect(await survey.json()).toMatchObject({
        show: true,
        orderId: "gid://shopify/Order/2004",
        survey: { locale: "fr" },
      });

      const answerUrl = appProxyUrl(
        `${TEST_APP_URL}/proxy/responses`,
        { shop: app.shop.shopDomain },
        TEST_API_SECRET,
      );
      const answer = (await callRoute(
        routes.proxyResponses as never,
        "action",
        new Request(answerUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ token, orderId: "gid://shopify/Order/2004", score: 10 }),
        }),
      )) as Response;
      expect(answer.status).toBe(201);
      expect((await invitationOf("2004")).response).toMatchObject({
        channel: "survey_link",
        category: "promoter",
      });
    });

    it("writes a signed survey link onto the order that opens its survey on the storefront", async () => {
      await addEmulatorCustomers(app.emulator.url, app.shop.shopDomain, [{ id: 81 }]);
      await app.webhook("orders/create", orderPayload({ id: 2005, customerId: 81 }));
      await app.runSync();
      const state = (await (
        await fetch(`${app.emulator.url}/__emulator/state?shop=${app.shop.shopDomain}`)
      ).json()) as {
        shops: { orders: { id: string; metafields: { key: string; value: string; type: string }[] }[] }[];
      };
      const order = state.shops[0]?.orders.find((candidate) => candidate.id === "gid://shopify/Order/2005");
      const link = order?.metafields.find((metafield) => metafield.key === "survey_url");
      expect(link?.type).toBe("url");
      const url = new URL(link?.value ?? "");
      expect(url.origin).toBe(`https://${app.shop.shopDomain}`);
      const token = url.searchParams.get("nps_token") ?? "";
      const proxied = appProxyUrl(
        `${TEST_APP_URL}/proxy/survey`,
        { shop: app.shop.shopDomain, token },
        TEST_API_SECRET,
      );
      const survey = (await callRoute(
        routes.proxySurvey as never,
        "loader",
        new Request(proxied),
      )) as Response;
      expect(await survey.json()).toMatchObject({ show: true, orderId: "gid://shopify/Order/2005" });
    });

    it("expires open invitations and never-confirmed answers, counting them, and leaves the rest", async () => {
      const { expireStale, unconfirmedAnswerCounts } = await import("../../app/services/maintenance.server");
      const orphan = await extensionCall("checkoutResponses", "/api/checkout/responses", {
        orderId: "gid://shopify/OrderIdentity/2999",
        score: 7,
      });
      expect(orphan.json).toMatchObject({ status: "pending" });
      expect(await unconfirmedAnswerCounts(app.database, app.shop.shopDomain)).toEqual({
        waitingForOrder: 1,
        expired: 0,
      });
      const inFourDays = new Date(Date.now() + 4 * 86_400_000);
      const first = await expireStale(app.database, inFourDays);
      expect(first.pendingAnswersExpired).toBe(1);
      expect(await unconfirmedAnswerCounts(app.database, app.shop.shopDomain)).toEqual({
        waitingForOrder: 0,
        expired: 1,
      });
      expect(await expireStale(app.database, inFourDays)).toEqual({
        invitationsOpened: 0,
        invitationsExpired: 0,
        pendingAnswersExpired: 0,
      });
      const inTwoMonths = await expireStale(app.database, new Date(Date.now() + 60 * 86_400_000));
      expect(inTwoMonths.invitationsExpired).toBeGreaterThan(0);
      expect(await app.database.invitation.count({ where: { status: "pending" } })).toBe(0);
      expect(await app.database.response.count({ where: { status: "confirmed" } })).toBeGreaterThan(0);
    });

    it("answers 429 with Retry-After once one client address sends too many requests, and not before", async () => {
      const token = await app.checkoutToken();
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let attempt = 0; attempt < 121; attempt += 1) {
        const request = new Request(`${TEST_APP_URL}/api/checkout/survey?orderId=2001`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        last = (await callRoute(app.routes.checkoutSurvey, "loader", request, {
          clientAddress: "203.0.113.7",
        })) as Response;
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 120).every((status) => status === 200)).toBe(true);
      expect(last?.status).toBe(429);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await last?.json()).toMatchObject({ errors: [{ field: "client" }] });
    });

    it("refuses a proxied request with a bad signature, and a token of another shop", async () => {
      const url = new URL(
        appProxyUrl(`${TEST_APP_URL}/proxy/survey`, { shop: app.shop.shopDomain }, TEST_API_SECRET),
      );
      url.searchParams.set("signature", "0".repeat(64));
      const unsigned = (await callRoute(routes.proxySurvey as never, "loader", new Request(url))) as Response;
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toMatchObject({ errors: [{ field: "signature" }] });

      const { signInvitationToken } = await import("../../app/domain/invitation-token");
      const foreign = signInvitationToken(
        { shop: "other.myshopify.com", invitationId: "x", expiresAt: Math.floor(Date.now() / 1000) + 60 },
        TEST_API_SECRET,
      );
      const signed = appProxyUrl(
        `${TEST_APP_URL}/proxy/survey`,
        { shop: app.shop.shopDomain, token: foreign },
        TEST_API_SECRET,
      );
      const response = (await callRoute(
        routes.proxySurvey as never,
        "loader",
        new Request(signed),
      )) as Response;
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ errors: [{ field: "token" }] });
    });
  });
}
