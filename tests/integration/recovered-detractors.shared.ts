import { afterAll, beforeAll, expect, it } from "vitest";
import { appProxyUrl } from "../emulator/app-proxy";
import { answerOrder } from "../factories/answers";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, installTestShop, testShop } from "../factories/shop";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

type RouteModule = Parameters<typeof callRoute>[0];
const DAY = 86_400_000;

// Resolved detractors are asked again N days after resolution (an invitation of stage follow_up, made by the
// maintenance loop), through a signed survey link the merchant sends from the follow-up's row. Their answers feed
// the "recovered detractors" report and stay out of the shop's NPS.
export function describeRecoveredDetractors(kind: DatabaseKind) {
  describeOnDatabase(kind, "recovered detractors", () => {
    let app: AppHarness;
    let shopDomain: string;
    let routes: { proxySurvey: RouteModule; proxyResponses: RouteModule; followUps: RouteModule };
    const other = testShop({ shopDomain: "other-recovery.myshopify.com", name: "Other" });
    const now = new Date();
    const tenDaysAgo = new Date(now.getTime() - 10 * DAY);
    const threeDaysAgo = new Date(now.getTime() - 3 * DAY);

    async function detractor(orderId: number, score: number) {
      await addEmulatorCustomers(app.emulator.url, shopDomain, [{ id: orderId }]);
      const webhook = await app.webhook("orders/create", orderPayload({ id: orderId, customerId: orderId }), {
        webhookId: `recovered-${orderId}`,
      });
      expect(webhook.status).toBe(200);
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${await app.checkoutToken()}`, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, comment: "Not good" }),
      });
      expect(((await callRoute(app.routes.checkoutResponses, "action", request)) as Response).status).toBe(
        201,
      );
      return followUpOf(shopDomain, orderId);
    }

    async function followUpOf(shop: string, orderId: number, stage = "purchase") {
      const response = await app.database.response.findFirstOrThrow({
        where: { shopDomain: shop, orderId: String(orderId), stage },
      });
      return app.database.followUp.findUniqueOrThrow({ where: { responseId: response.id } });
    }

    async function resolve(shop: string, id: string, at: Date) {
      const { updateFollowUp } = await import("../../app/services/follow-ups.server");
      await updateFollowUp(app.database, shop, { id, status: "resolved" }, at);
    }

    async function followUpSurveyOf(orderId: number) {
      return app.database.invitation.findUnique({
        where: { shopDomain_orderId_stage: { shopDomain, orderId: String(orderId), stage: "follow_up" } },
      });
    }

    /** Answers a follow-up survey the way its link does: the token's invitation, the survey_link channel. */
    async function answerFollowUpSurvey(orderId: number, score: number) {
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const invitation = await followUpSurveyOf(orderId);
      return submitAnswer(app.database, {
        shopDomain,
        orderId: String(orderId),
        invitationId: invitation?.id,
        channel: "survey_link",
        locale: "en",
        answer: { orderId: String(orderId), score },
      });
    }

    async function dashboardCounts() {
      const { dashboardReport } = await import("../../app/services/reports.server");
      const report = await dashboardReport(app.database, shopDomain, {
        from: new Date(now.getTime() - 30 * DAY),
        to: new Date(now.getTime() + DAY),
      });
      const trendResponses = report.trend.points.reduce((sum, point) => sum + point.responses, 0);
      return {
        counts: report.counts,
        trendResponses,
        invitations: report.invitations,
        nps: report.summary.nps,
      };
    }

    async function segmentTotal() {
      const { segmentReport } = await import("../../app/services/segments.server");
      const report = await segmentReport(app.database, shopDomain, {
        from: new Date(now.getTime() - 30 * DAY),
        to: new Date(now.getTime() + DAY),
      });
      return report.total.counts;
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      shopDomain = app.shop.shopDomain;
      routes = {
        proxySurvey: (await import("../../app/routes/proxy.survey")) as RouteModule,
        proxyResponses: (await import("../../app/routes/proxy.responses")) as RouteModule,
        followUps: (await import("../../app/routes/app.follow-ups")) as RouteModule,
      };
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, shopDomain, {
        frequencyCapDays: 0,
        followUpSurvey: { enabled: true, daysAfterResolved: 7 },
      });
      // Another shop, follow-up survey off: its resolved detractor is never asked again.
      await installTestShop(app.database, app.emulator.url, other);
      await answerOrder(app.database, other.shopDomain, {
        orderId: 9901,
        customerId: 9901,
        score: 1,
        at: new Date(now.getTime() - 20 * DAY),
      });
      await resolve(other.shopDomain, (await followUpOf(other.shopDomain, 9901)).id, tenDaysAgo);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("creates one follow-up survey per follow-up resolved at least the set days ago, once, only where it is on", async () => {
      const { expireStale } = await import("../../app/services/maintenance.server");
      const { createDueFollowUpSurveys } = await import("../../app/services/follow-up-surveys.server");
      const due = await detractor(7001, 2);
      await resolve(shopDomain, due.id, tenDaysAgo);
      const recent = await detractor(7002, 5);
      await resolve(shopDomain, recent.id, threeDaysAgo);
      await detractor(7003, 4); // still open

      await expireStale(app.database, now);

      const survey = await followUpSurveyOf(7001);
      const original = await app.database.invitation.findUniqueOrThrow({
        where: { shopDomain_orderId_stage: { shopDomain, orderId: "7001", stage: "purchase" } },
      });
      expect(survey).toMatchObject({
        status: "pending",
        source: "follow_up",
        customerId: "7001",
        orderName: "#7001",
        orderFacts: original.orderFacts,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 30 * DAY),
      });
      expect(await followUpSurveyOf(7002)).toBeNull();
      expect(await followUpSurveyOf(7003)).toBeNull();
      expect(
        await app.database.invitation.count({ where: { shopDomain: other.shopDomain, stage: "follow_up" } }),
      ).toBe(0);

      // Again, and from a second instance at the same moment: nothing more.
      expect(
        await Promise.all([
          createDueFollowUpSurveys(app.database, now),
          createDueFollowUpSurveys(app.database, now),
        ]),
      ).toEqual([0, 0]);
      expect(await app.database.invitation.count({ where: { shopDomain, stage: "follow_up" } })).toBe(1);

      // Four days on, the second follow-up is due too.
      expect(await createDueFollowUpSurveys(app.database, new Date(now.getTime() + 4 * DAY))).toBe(1);
      expect(await followUpSurveyOf(7002)).not.toBeNull();
    });

    it("shows the survey link on the follow-up's row; the link opens the survey on the storefront and takes the answer, which stays out of the NPS", async () => {
      const before = await dashboardCounts();
      const segmentsBefore = await segmentTotal();
      // The response rate is over asked purchase and delivery invitations; the follow-up surveys are not counted.
      expect(before.invitations).toBe(
        await app.database.invitation.count({
          where: {
            shopDomain,
            stage: { in: ["purchase", "delivery"] },
            status: { in: ["pending", "answered", "expired"] },
          },
        }),
      );
      expect(await app.database.invitation.count({ where: { shopDomain, stage: "follow_up" } })).toBe(2);
      const due = await followUpOf(shopDomain, 7001);

      const page = (await callRoute(
        routes.followUps,
        "loader",
        await app.adminRequest(`/app/follow-ups?status=resolved&id=${due.id}`),
      )) as { items: { id: string; survey: { status: string; link: string | null } | null }[] };
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ id: due.id, survey: { status: "pending" } });
      const link = new URL(page.items[0]?.survey?.link ?? "");
      expect(link.origin).toBe(`https://${shopDomain}`);
      const token = link.searchParams.get("nps_token") ?? "";

      const surveyUrl = appProxyUrl(
        `${TEST_APP_URL}/proxy/survey`,
        { shop: shopDomain, token },
        TEST_API_SECRET,
      );
      const shown = (await callRoute(routes.proxySurvey, "loader", new Request(surveyUrl))) as Response;
      expect(shown.status).toBe(200);
      expect(await shown.json()).toMatchObject({ show: true, orderId: "gid://shopify/Order/7001" });

      const answerUrl = appProxyUrl(`${TEST_APP_URL}/proxy/responses`, { shop: shopDomain }, TEST_API_SECRET);
      const answered = (await callRoute(
        routes.proxyResponses,
        "action",
        new Request(answerUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ token, orderId: "gid://shopify/Order/7001", score: 9 }),
        }),
      )) as Response;
      expect(answered.status).toBe(201);

      expect(
        await app.database.response.findFirstOrThrow({
          where: { shopDomain, orderId: "7001", stage: "follow_up" },
        }),
      ).toMatchObject({ channel: "survey_link", status: "confirmed", score: 9, category: "promoter" });
      // The customer's latest category follows the newer answer (their tags in Shopify move to promoter).
      expect(
        await app.database.customerProfile.findUniqueOrThrow({
          where: { shopDomain_customerId: { shopDomain, customerId: "7001" } },
        }),
      ).toMatchObject({ latestCategory: "promoter", latestScore: 9 });
      expect(await dashboardCounts()).toEqual(before);
      expect(await segmentTotal()).toEqual(segmentsBefore);

      const after = (await callRoute(
        routes.followUps,
        "loader",
        await app.adminRequest(`/app/follow-ups?status=resolved&id=${due.id}`),
      )) as { items: { survey: { status: string; score: number | null; link: string | null } | null }[] };
      expect(after.items[0]?.survey).toMatchObject({ status: "answered", score: 9, link: null });
    });

    it("reports how many resolved detractors who answered are now passive or promoter, and their average score change", async () => {
      const { createDueFollowUpSurveys, recoveredDetractors } = await import(
        "../../app/services/follow-up-surveys.server"
      );
      for (const [orderId, score] of [
        [7004, 6],
        [7005, 3],
        [7006, 0],
      ] as const) {
        await resolve(shopDomain, (await detractor(orderId, score)).id, tenDaysAgo);
      }
      expect(await createDueFollowUpSurveys(app.database, now)).toBe(3);
      await answerFollowUpSurvey(7004, 7); // passive: +1
      await answerFollowUpSurvey(7005, 1); // still a detractor: −2 (and a new follow-up opens for it)
      // 7006 never answers; 7002 was asked (above) and has not answered either.

      // The new follow-up of the follow-up survey's detractor never gets a follow-up survey of its own.
      const again = await followUpOf(shopDomain, 7005, "follow_up");
      await resolve(shopDomain, again.id, tenDaysAgo);
      expect(await createDueFollowUpSurveys(app.database, now)).toBe(0);

      const report = await recoveredDetractors(app.database, shopDomain);

      // Asked: 7001, 7002, 7004, 7005, 7006. Answered: 7001 (2 → 9), 7004 (6 → 7), 7005 (3 → 1).
      expect(report).toEqual({
        asked: 5,
        answered: 3,
        promoters: 1,
        passives: 1,
        detractors: 1,
        recovered: 2,
        recoveredShare: 2 / 3,
        answerRate: 3 / 5,
        averageScoreChange: 2,
      });
      expect(await recoveredDetractors(app.database, other.shopDomain)).toMatchObject({
        asked: 0,
        answered: 0,
      });

      const page = (await callRoute(
        routes.followUps,
        "loader",
        await app.adminRequest("/app/follow-ups"),
      )) as {
        recovery: typeof report;
        followUpSurveyEnabled: boolean;
      };
      expect(page.recovery).toEqual(report);
      expect(page.followUpSurveyEnabled).toBe(true);
    });

    it("does not ask a customer again whose data was redacted (customers/redact) after the case was resolved", async () => {
      const { createDueFollowUpSurveys } = await import("../../app/services/follow-up-surveys.server");
      await resolve(shopDomain, (await detractor(7007, 2)).id, tenDaysAgo);
      const redacted = await app.webhook(
        "customers/redact",
        { shop_domain: shopDomain, customer: { id: 7007 }, orders_to_redact: [7007] },
        { webhookId: "recovered-redact-7007" },
      );
      expect(redacted.status).toBe(200);

      expect(await createDueFollowUpSurveys(app.database, now)).toBe(0);
      expect(await followUpSurveyOf(7007)).toBeNull();
    });

    it("leaves a case reopened after its follow-up survey out of the recovered detractors", async () => {
      const { recoveredDetractors } = await import("../../app/services/follow-up-surveys.server");
      const { updateFollowUp } = await import("../../app/services/follow-ups.server");
      await updateFollowUp(app.database, shopDomain, {
        id: (await followUpOf(shopDomain, 7004)).id,
        status: "open",
      });

      expect(await recoveredDetractors(app.database, shopDomain)).toMatchObject({
        asked: 4,
        answered: 2,
        passives: 0,
        promoters: 1,
        detractors: 1,
        averageScoreChange: 2.5,
      });
    });
  });
}
