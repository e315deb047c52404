import { afterAll, beforeAll, expect, it } from "vitest";
import { answerOrder } from "../factories/answers";
import { orderPayload } from "../factories/order-payload";
import { installTestShop, testShop } from "../factories/shop";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const DAY_MS = 86_400_000;

export function describeCampaignEffect(kind: DatabaseKind) {
  describeOnDatabase(kind, "repeat purchases after answering", () => {
    let app: AppHarness;
    const other = testShop({ shopDomain: "campaign-other.myshopify.com", name: "Other" });
    const now = new Date();
    const answeredAt = new Date(now.getTime() - 120 * DAY_MS);

    async function laterOrder(shopDomain: string, orderId: number, customerId: number, daysAfter: number) {
      const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
      const at = new Date(answeredAt.getTime() + daysAfter * DAY_MS);
      await handleOrderWebhook(app.database, {
        shopDomain,
        topic: "orders/create",
        webhookId: `later-${shopDomain}-${orderId}`,
        payload: orderPayload({ id: orderId, customerId, createdAt: at }),
        now: at,
      });
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await installTestShop(app.database, app.emulator.url, other);
      const shop = app.shop.shopDomain;
      await answerOrder(app.database, shop, { orderId: 1, customerId: 11, score: 10, at: answeredAt });
      await answerOrder(app.database, shop, { orderId: 2, customerId: 12, score: 2, at: answeredAt });
      await answerOrder(app.database, shop, { orderId: 3, customerId: 13, score: 8, at: answeredAt });
      await laterOrder(shop, 4, 11, 10); // the promoter comes back within 30 days
      await laterOrder(shop, 5, 12, 45); // the detractor only within 60
      await laterOrder(other.shopDomain, 6, 13, 5); // same customer id in another shop: not this shop's customer
      // an answer too recent for a 90-day window to have passed is left out of that window
      await answerOrder(app.database, shop, {
        orderId: 7,
        customerId: 14,
        score: 9,
        at: new Date(now.getTime() - 40 * DAY_MS),
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    it("counts, per category, the answering customers who ordered again within 30, 60 and 90 days", async () => {
      const { repeatPurchaseRates } = await import("../../app/services/campaign-effect.server");
      const rates = await repeatPurchaseRates(
        app.database,
        app.shop.shopDomain,
        { from: new Date(now.getTime() - 365 * DAY_MS), to: now },
        now,
      );
      const table = Object.fromEntries(
        rates.map((rate) => [
          rate.windowDays,
          Object.fromEntries(
            Object.entries(rate.byCategory).map(([category, value]) => [
              category,
              `${value.repeaters}/${value.answers}`,
            ]),
          ),
        ]),
      );
      expect(table).toEqual({
        30: { promoter: "1/2", passive: "0/1", detractor: "0/1" },
        60: { promoter: "1/1", passive: "0/1", detractor: "1/1" },
        90: { promoter: "1/1", passive: "0/1", detractor: "1/1" },
      });
      expect(rates[0]?.byCategory.promoter.rate).toBe(0.5);
    });
  });
}
