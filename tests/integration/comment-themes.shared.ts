import { afterAll, beforeAll, expect, it } from "vitest";
import type { CommentThemesResult } from "../../app/services/comment-themes.server";
import { orderPayload } from "../factories/order-payload";
import { installTestShop, testShop } from "../factories/shop";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

type Seeded = [at: string, score: number, locale: string, comment: string];

// All in October 2026 but the first: outside the range the tests ask for.
const ANSWERS: Seeded[] = [
  ["2026-08-20T10:00:00Z", 2, "en", "Delivery lost, out of range"],
  ["2026-10-01T10:00:00Z", 1, "en", "Delivery took three weeks."],
  ["2026-10-02T10:00:00Z", 3, "en", "Late delivery again"],
  ["2026-10-03T10:00:00Z", 4, "en", "Delivery was slow and support never answered"],
  ["2026-10-04T10:00:00Z", 2, "fr", "Livraison très lente"],
  ["2026-10-05T10:00:00Z", 5, "de", "Der Versand dauerte ewig"],
  ["2026-10-06T10:00:00Z", 0, "en", "Customer service ignored me."],
  ["2026-10-07T10:00:00Z", 10, "en", "Great quality fabric"],
  ["2026-10-08T10:00:00Z", 9, "en", "Quality is superb"],
  ["2026-10-09T10:00:00Z", 10, "es", "Calidad excelente"],
  ["2026-10-10T10:00:00Z", 7, "en", "A bit pricey"],
  ["2026-10-11T10:00:00Z", 8, "en", "Too expensive for me"],
  ["2026-10-12T10:00:00Z", 8, "en", ""],
];
// Another shop: its words must never show up in this shop's themes, nor its counts.
const OTHER_ANSWERS: Seeded[] = [
  ["2026-10-02T12:00:00Z", 1, "en", "Zebra print faded, shipping slow"],
  ["2026-10-03T12:00:00Z", 2, "en", "Zebra print peeled off, shipping slow"],
  ["2026-10-04T12:00:00Z", 3, "en", "Zebra print is ugly"],
];
const RANGE = { from: new Date("2026-09-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") };

export function describeCommentThemes(kind: DatabaseKind) {
  describeOnDatabase(kind, "comment themes", () => {
    let app: AppHarness;
    const other = testShop({ shopDomain: "themes-other.myshopify.com", name: "Other" });
    let themes: CommentThemesResult;

    async function answer(shopDomain: string, orderId: number, [at, score, locale, comment]: Seeded) {
      const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const now = new Date(at);
      await handleOrderWebhook(app.database, {
        shopDomain,
        topic: "orders/create",
        webhookId: `themes-${shopDomain}-${orderId}`,
        payload: orderPayload({ id: orderId, customerId: 800 + orderId, createdAt: now }),
        now,
      });
      await submitAnswer(app.database, {
        shopDomain,
        orderId: String(orderId),
        channel: "thank_you",
        answer: { orderId: String(orderId), score, ...(comment ? { comment } : {}) },
        locale,
        now,
      });
    }

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      await installTestShop(app.database, app.emulator.url, other);
      for (const [index, seeded] of ANSWERS.entries())
        await answer(app.shop.shopDomain, 5000 + index, seeded);
      for (const [index, seeded] of OTHER_ANSWERS.entries())
        await answer(other.shopDomain, 5000 + index, seeded);
      // Answered before Shopify told the app about the order: pending, not yet a confirmed answer.
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const pending = await submitAnswer(app.database, {
        shopDomain: app.shop.shopDomain,
        orderId: "5999",
        channel: "thank_you",
        answer: { orderId: "5999", score: 1, comment: "Delivery never came" },
        locale: "en",
        now: new Date("2026-10-20T10:00:00Z"),
      });
      expect(pending.status).toBe("pending");
      const { commentThemes } = await import("../../app/services/comment-themes.server");
      themes = await commentThemes(app.database, app.shop.shopDomain, RANGE);
    });
    afterAll(async () => {
      await app?.close();
    });

    const themeOf = (result: CommentThemesResult, category: string, label: string) =>
      result.categories
        .find((entry) => entry.category === category)
        ?.themes.find((theme) => theme.label === label);

    it("reads the range's eleven confirmed comments, leaving out empty, pending and older ones", () => {
      expect(themes).toMatchObject({ analyzed: 11, sampled: false, limit: 5000 });
      expect(themes.categories.map((entry) => [entry.category, entry.comments])).toEqual([
        ["promoter", 3],
        ["passive", 2],
        ["detractor", 6],
      ]);
    });

    it("finds shipping/delivery across English, French and German detractor comments", () => {
      const shipping = themeOf(themes, "detractor", "shipping/delivery");
      expect(shipping).toMatchObject({ count: 5, locales: ["en", "fr", "de"] });
      expect(shipping?.words).toEqual(expect.arrayContaining(["delivery", "livraison", "versand"]));
      expect(shipping?.examples).toHaveLength(3);
      const texts = ANSWERS.map(([, , , comment]) => comment);
      for (const example of shipping?.examples ?? []) expect(texts.slice(1)).toContain(example.comment);
      expect(themeOf(themes, "detractor", "customer service")).toMatchObject({ count: 2 });
    });

    it("finds quality among promoters and price among passives", () => {
      expect(themeOf(themes, "promoter", "quality")).toMatchObject({ count: 3, locales: ["en", "es"] });
      expect(themeOf(themes, "passive", "price")).toMatchObject({ count: 2 });
    });

    it("narrows to one category or one language when asked", async () => {
      const { commentThemes } = await import("../../app/services/comment-themes.server");
      const detractors = await commentThemes(app.database, app.shop.shopDomain, {
        ...RANGE,
        category: "detractor",
      });
      expect(detractors.analyzed).toBe(6);
      expect(detractors.categories.map((entry) => entry.category)).toEqual(["detractor"]);
      const french = await commentThemes(app.database, app.shop.shopDomain, { ...RANGE, locale: "fr" });
      expect(french.analyzed).toBe(1);
      expect(french.categories.flatMap((entry) => entry.themes)).toEqual([]);
    });

    it("reads at most the cap, newest first, in pages, and says the result is sampled", async () => {
      const { commentThemes } = await import("../../app/services/comment-themes.server");
      const capped = await commentThemes(app.database, app.shop.shopDomain, {
        ...RANGE,
        limit: 5,
        pageSize: 2,
      });
      expect(capped).toMatchObject({ analyzed: 5, sampled: true, limit: 5 });
      // The five newest non-empty comments: 2 passives (price) and the 3 promoters (quality).
      expect(capped.categories.map((entry) => [entry.category, entry.comments])).toEqual([
        ["promoter", 3],
        ["passive", 2],
        ["detractor", 0],
      ]);
      const exact = await commentThemes(app.database, app.shop.shopDomain, {
        ...RANGE,
        limit: 11,
        pageSize: 4,
      });
      expect(exact).toMatchObject({ analyzed: 11, sampled: false });
    });

    it("never mixes in another shop's comments, and the other shop sees only its own", async () => {
      const all = JSON.stringify(themes);
      expect(all).not.toMatch(/zebra/i);
      const { commentThemes } = await import("../../app/services/comment-themes.server");
      const theirs = await commentThemes(app.database, other.shopDomain, RANGE);
      expect(theirs.analyzed).toBe(3);
      expect(themeOf(theirs, "detractor", "zebra print")).toMatchObject({ count: 3 });
      expect(themeOf(theirs, "detractor", "shipping/delivery")).toMatchObject({ count: 2 });
      expect(JSON.stringify(theirs)).not.toMatch(/livraison|Versand|Delivery/);
    });
  });
}
