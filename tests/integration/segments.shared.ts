import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../app/adapters/db/client.server";
import type { SegmentReport } from "../../app/services/segments.server";
import { fulfilledOrderPayload, type OrderPayloadInput, orderPayload } from "../factories/order-payload";
import { type AppHarness, callRoute, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const HOUR = 3_600_000;
const RANGE = { from: new Date("2026-10-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") };
const OTHER_SHOP = "segments-other.myshopify.com";

type Counts = { promoters: number; passives: number; detractors: number };
const counts = (promoters: number, passives: number, detractors: number): Counts => ({
  promoters,
  passives,
  detractors,
});

interface Block {
  /** Scores in order; each answer is one order of the block. */
  scores: number[];
  order: Omit<OrderPayloadInput, "id" | "customerId" | "createdAt">;
  customer: "new" | "returning" | "guest";
  /** Hours from the order (and its invitation) to orders/fulfilled; null: never fulfilled. */
  fulfilledAfterHours: number | null;
}

const repeat = (score: number, times: number) => Array.from({ length: times }, () => score);

// 60 confirmed answers in October 2026, in four blocks that differ in every fact:
//   A 30 × discount, US, web, 49.00, one item of 7001, new, fulfilled after 20 h   10 P / 10 Pa / 10 D
//   B 20 × no discount, US, web, 150.00, 7001 + 7002, returning, after 7 days       16 P /  2 Pa /  2 D
//   C  6 × no discount, DE, pos, 250.00, 3 × 7003, new, after 3 days                 2 P /  2 Pa /  2 D
//   D  4 × no discount, FR, web, 75.00, one 7002, guest, not fulfilled               2 P /  1 Pa /  1 D
const BLOCKS: Block[] = [
  {
    scores: [...repeat(10, 10), ...repeat(8, 10), ...repeat(3, 10)],
    order: {
      totalPrice: "49.00",
      discountCodes: ["SAVE10"],
      countryCode: "US",
      sourceName: "web",
      lineItems: [{ productId: 7001, title: "Linen shirt", quantity: 1, price: "49.00" }],
    },
    customer: "new",
    fulfilledAfterHours: 20,
  },
  {
    scores: [...repeat(9, 16), ...repeat(7, 2), ...repeat(5, 2)],
    order: {
      totalPrice: "150.00",
      countryCode: "US",
      sourceName: "web",
      lineItems: [
        { productId: 7001, title: "Linen shirt", quantity: 1, price: "49.00" },
        { productId: 7002, title: "Wool coat", quantity: 1, price: "101.00" },
      ],
    },
    customer: "returning",
    fulfilledAfterHours: 7 * 24,
  },
  {
    scores: [10, 10, 8, 8, 0, 0],
    order: {
      totalPrice: "250.00",
      countryCode: "DE",
      sourceName: "pos",
      lineItems: [{ productId: 7003, title: "Scarf", quantity: 3, price: "83.33" }],
    },
    customer: "new",
    fulfilledAfterHours: 3 * 24,
  },
  {
    scores: [9, 9, 7, 6],
    order: {
      totalPrice: "75.00",
      countryCode: "FR",
      sourceName: "web",
      lineItems: [{ productId: 7002, title: "Wool coat", quantity: 1, price: "75.00" }],
    },
    customer: "guest",
    fulfilledAfterHours: null,
  },
];

interface SeededOrder {
  shopDomain: string;
  id: number;
  customerId: number | null;
  createdAt: Date;
  order: Block["order"];
  score: number;
  fulfilledAfterHours: number | null;
  /** Returning customers placed an earlier order (outside the range and the 90-day frequency cap). */
  earlierOrderId?: number;
}

async function seed(database: Database, orders: SeededOrder[]) {
  const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
  const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
  for (const seeded of orders) {
    const { shopDomain, id, customerId, createdAt } = seeded;
    if (seeded.earlierOrderId) {
      const earlier = new Date(createdAt.getTime() - 120 * 24 * HOUR);
      await handleOrderWebhook(database, {
        shopDomain,
        topic: "orders/create",
        webhookId: `${shopDomain}-create-${seeded.earlierOrderId}`,
        payload: orderPayload({ ...seeded.order, id: seeded.earlierOrderId, customerId, createdAt: earlier }),
        now: earlier,
      });
    }
    const payload = { ...seeded.order, id, customerId, createdAt };
    await handleOrderWebhook(database, {
      shopDomain,
      topic: "orders/create",
      webhookId: `${shopDomain}-create-${id}`,
      payload: orderPayload(payload),
      now: createdAt,
    });
    const answeredAt = new Date(createdAt.getTime() + HOUR);
    const answer = await submitAnswer(database, {
      shopDomain,
      orderId: String(id),
      channel: "thank_you",
      answer: { orderId: String(id), score: seeded.score },
      locale: "en",
      now: answeredAt,
    });
    expect(answer.status).toBe("confirmed");
    if (seeded.fulfilledAfterHours !== null) {
      const fulfilledAt = new Date(createdAt.getTime() + seeded.fulfilledAfterHours * HOUR);
      await handleOrderWebhook(
        database,
        {
          shopDomain,
          topic: "orders/fulfilled",
          webhookId: `${shopDomain}-fulfilled-${id}`,
          payload: fulfilledOrderPayload({ ...payload, fulfilledAt }),
          now: fulfilledAt,
        },
        { fulfilled: true },
      );
    }
  }
}

function shopOrders(shopDomain: string): SeededOrder[] {
  const orders: SeededOrder[] = [];
  for (const block of BLOCKS) {
    for (const score of block.scores) {
      const index = orders.length;
      const id = 6000 + index;
      orders.push({
        shopDomain,
        id,
        customerId: block.customer === "guest" ? null : 900 + index,
        createdAt: new Date(Date.parse("2026-10-02T00:00:00Z") + index * 3 * HOUR),
        order: block.order,
        score,
        fulfilledAfterHours: block.fulfilledAfterHours,
        ...(block.customer === "returning" ? { earlierOrderId: 5000 + index } : {}),
      });
    }
  }
  return orders;
}

export function describeSegments(kind: DatabaseKind) {
  describeOnDatabase(kind, "the segments and drivers report", () => {
    let app: AppHarness;
    let report: SegmentReport;

    const dimension = (key: string) => {
      const found = report.dimensions.find((candidate) => candidate.key === key);
      if (!found) throw new Error(`no dimension ${key}`);
      return found;
    };
    const rowsOf = (key: string) => dimension(key).rows.map((row) => ({ key: row.key, counts: row.counts }));
    const npsOf = (key: string) =>
      Object.fromEntries(dimension(key).rows.map((row) => [row.key, row.summary.nps]));

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      const { installShop } = await import("../../app/services/shops.server");
      await installShop(app.database, { shopDomain: OTHER_SHOP, name: "Other shop" });

      await seed(app.database, shopOrders(app.shop.shopDomain));
      // Another shop, with the same order ids as block C: five detractors that must never be counted here.
      await seed(
        app.database,
        Array.from({ length: 5 }, (_, index) => ({
          shopDomain: OTHER_SHOP,
          id: 6050 + index,
          customerId: 9900 + index,
          createdAt: new Date(Date.parse("2026-10-20T00:00:00Z") + index * HOUR),
          order: { ...BLOCKS[2]!.order, discountCodes: ["OTHER"] },
          score: 1,
          fulfilledAfterHours: 10 * 24,
        })),
      );
      // Neither an answer before the range nor an answer still waiting for its order is counted.
      await seed(app.database, [
        {
          shopDomain: app.shop.shopDomain,
          id: 6900,
          customerId: 9901,
          createdAt: new Date("2026-09-20T00:00:00Z"),
          order: BLOCKS[0]!.order,
          score: 0,
          fulfilledAfterHours: 24,
        },
      ]);
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const pending = await submitAnswer(app.database, {
        shopDomain: app.shop.shopDomain,
        orderId: "6950",
        channel: "thank_you",
        answer: { orderId: "6950", score: 0 },
        locale: "en",
        now: new Date("2026-10-15T00:00:00Z"),
      });
      expect(pending.status).toBe("pending");

      const { segmentReport } = await import("../../app/services/segments.server");
      report = await segmentReport(app.database, app.shop.shopDomain, RANGE);
    });
    afterAll(async () => {
      await app?.close();
    });

    it("counts the range's 60 confirmed answers: 30 promoters, 15 passives, 15 detractors → NPS 25", () => {
      expect(report.total.counts).toEqual(counts(30, 15, 15));
      expect(report.total.summary.nps).toBe(25);
      expect(report.currencyCode).toBe("USD");
    });

    it("splits new, returning and guest customers", () => {
      expect(rowsOf("customer")).toEqual([
        { key: "new", counts: counts(12, 12, 12) },
        { key: "returning", counts: counts(16, 2, 2) },
        { key: "unknown", counts: counts(2, 1, 1) },
      ]);
      expect(npsOf("customer")).toEqual({ new: 0, returning: 70, unknown: 25 });
    });

    it("bands order values at 50, 100 and 200 in the shop's currency", () => {
      expect(dimension("orderValue").title).toBe("Order value (USD)");
      expect(rowsOf("orderValue")).toEqual([
        { key: "under_50", counts: counts(10, 10, 10) },
        { key: "50_100", counts: counts(2, 1, 1) },
        { key: "100_200", counts: counts(16, 2, 2) },
        { key: "200_plus", counts: counts(2, 2, 2) },
      ]);
      expect(npsOf("orderValue")).toEqual({ under_50: 0, "50_100": 25, "100_200": 70, "200_plus": 0 });
    });

    it("lists countries by answers, named in English", () => {
      expect(rowsOf("country")).toEqual([
        { key: "US", counts: counts(26, 12, 12) },
        { key: "DE", counts: counts(2, 2, 2) },
        { key: "FR", counts: counts(2, 1, 1) },
      ]);
      expect(dimension("country").rows.map((row) => row.label)).toEqual([
        "United States",
        "Germany",
        "France",
      ]);
      expect(npsOf("country").US).toBeCloseTo(28, 10);
    });

    it("splits sales channels and discount use", () => {
      expect(rowsOf("salesChannel")).toEqual([
        { key: "web", counts: counts(28, 13, 13) },
        { key: "pos", counts: counts(2, 2, 2) },
      ]);
      expect(npsOf("salesChannel").web).toBeCloseTo((100 * 15) / 54, 10);
      expect(rowsOf("discount")).toEqual([
        { key: "with", counts: counts(10, 10, 10) },
        { key: "without", counts: counts(20, 5, 5) },
      ]);
      expect(npsOf("discount")).toEqual({ with: 0, without: 50 });
    });

    it("bands the time from order to fulfillment from the invitation, with unfulfilled orders apart", () => {
      expect(rowsOf("fulfillmentDelay")).toEqual([
        { key: "same_or_next_day", counts: counts(10, 10, 10) },
        { key: "2_3_days", counts: counts(2, 2, 2) },
        { key: "4_5_days", counts: counts(0, 0, 0) },
        { key: "over_5_days", counts: counts(16, 2, 2) },
        { key: "unknown", counts: counts(2, 1, 1) },
      ]);
      expect(dimension("fulfillmentDelay").rows.at(-1)?.label).toBe("Not fulfilled yet");
      expect(npsOf("fulfillmentDelay")).toMatchObject({ "4_5_days": null, over_5_days: 70 });
    });

    it("splits single-item and multi-item orders by the number of items", () => {
      expect(rowsOf("itemCount")).toEqual([
        { key: "single", counts: counts(12, 11, 11) },
        { key: "multi", counts: counts(18, 4, 4) },
      ]);
    });

    it("counts an answer once for each product of its order, most answered first", () => {
      expect(rowsOf("product")).toEqual([
        { key: "7001", counts: counts(26, 12, 12) },
        { key: "7002", counts: counts(18, 3, 3) },
        { key: "7003", counts: counts(2, 2, 2) },
      ]);
      expect(npsOf("product")["7002"]).toBe(62.5);
    });

    it("ranks the discount first: 0 with a code against 50 without, −50 with its 95 % interval", () => {
      const [first] = report.drivers;
      // with 10/10/10: var 2/3 → se² = 10⁴·(2/3)/30 = 222.2; without 20/5/5: var 5/6 − 1/4 → se² = 194.4
      const standardError = Math.sqrt((10_000 * (2 / 3)) / 30 + (10_000 * (5 / 6 - 1 / 4)) / 30);
      expect(first).toMatchObject({
        key: "discount_used",
        enoughAnswers: true,
        significant: true,
        text: "Orders with a discount code: −50 NPS",
      });
      expect(first?.difference).toBe(-50);
      expect(first?.standardError).toBeCloseTo(standardError, 10); // 20.41
      expect(first?.confidenceInterval95?.low).toBeCloseTo(-90.008, 2);
      expect(first?.confidenceInterval95?.high).toBeCloseTo(-9.992, 2);
    });

    it("lists the slow-shipping driver as not enough answers with 20 against 36 answers", () => {
      const slow = report.drivers.find((driver) => driver.key === "shipped_after_5_days");
      expect(slow?.with.counts).toEqual(counts(16, 2, 2));
      expect(slow?.without.counts).toEqual(counts(12, 12, 12));
      expect(slow?.difference).toBe(70);
      expect(slow?.enoughAnswers).toBe(false);
      expect(slow?.text).toBe("Orders shipped in > 5 days: not enough answers");
      expect(report.drivers.slice(1).every((driver) => !driver.enoughAnswers)).toBe(true);
    });

    it("never counts another shop's answers, even for the same order ids", async () => {
      expect(rowsOf("country").find((row) => row.key === "DE")?.counts).toEqual(counts(2, 2, 2));
      expect(rowsOf("product").find((row) => row.key === "7003")?.counts).toEqual(counts(2, 2, 2));
      const { segmentReport } = await import("../../app/services/segments.server");
      const other = await segmentReport(app.database, OTHER_SHOP, RANGE);
      expect(other.total.counts).toEqual(counts(0, 0, 5));
      expect(other.dimensions.find((candidate) => candidate.key === "fulfillmentDelay")?.rows).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: "over_5_days", counts: counts(0, 0, 5) })]),
      );
      expect(other.dimensions.find((candidate) => candidate.key === "product")?.rows).toEqual([
        expect.objectContaining({ key: "7003", counts: counts(0, 0, 5) }),
      ]);
    });

    it("serves the signed-in shop's report from the route, with ?days= read like the dashboard's", async () => {
      const route = await import("../../app/routes/app.segments");
      const data = (await callRoute(route, "loader", await app.adminRequest("/app/segments?days=30"))) as {
        days: number;
        report: SegmentReport;
      };
      expect(data.days).toBe(30);
      const length = Date.parse(data.report.range.to) - Date.parse(data.report.range.from);
      expect(length).toBe(30 * 24 * HOUR);
      expect(data.report.dimensions.map((candidate) => candidate.key)).toEqual([
        "customer",
        "orderValue",
        "country",
        "salesChannel",
        "discount",
        "fulfillmentDelay",
        "itemCount",
        "product",
      ]);
      const fallback = (await callRoute(
        route,
        "loader",
        await app.adminRequest("/app/segments?days=oops"),
      )) as {
        days: number;
      };
      expect(fallback.days).toBe(90);
    });
  });
}
