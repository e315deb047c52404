import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fulfilledOrderPayload, type OrderPayloadInput, orderPayload } from "../factories/order-payload";
import { installTestShop, testShop } from "../factories/shop";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

// The reports' daily rollups against the answers they count: after a random sequence of orders, answers (before
// and after their order), fulfillments, customer redactions and shop redactions in two shops, every rollup row
// equals the aggregate recomputed from the answers, and the reports read through the rollups (whole days) and the
// answers (partial days) give the figures of the original queries over the answers.

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
const CUSTOMERS = [101, 102, 103, 104];
const PRODUCTS = [7001, 7002, 7003, 7004, 7005];

const orderOp = fc.record({
  kind: fc.constant("order" as const),
  shop: fc.constantFrom("a", "b"),
  customer: fc.option(fc.constantFrom(...CUSTOMERS), { nil: null }),
  price: fc.constantFrom("19.00", "75.00", "150.00", "250.00"),
  country: fc.constantFrom("US", "de", "FR"),
  source: fc.constantFrom("web", "pos"),
  discount: fc.boolean(),
  products: fc.uniqueArray(fc.constantFrom(...PRODUCTS), { minLength: 1, maxLength: 3 }),
  answer: fc.option(
    fc.record({
      score: fc.integer({ min: 0, max: 10 }),
      csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      ces: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
      channel: fc.constantFrom("thank_you" as const, "order_status" as const),
      locale: fc.constantFrom("en", "fr"),
      /** Answered on the thank-you page before orders/create arrived (confirmed by the webhook). */
      early: fc.boolean(),
      /** The buyer was logged in: the early invitation knows the customer. */
      knownBuyer: fc.boolean(),
    }),
    { nil: null },
  ),
  advanceMinutes: fc.integer({ min: 1, max: 5 * 24 * 60 }),
});
const fulfillOp = fc.record({
  kind: fc.constant("fulfill" as const),
  pick: fc.nat(),
  advanceMinutes: fc.integer({ min: 1, max: 3 * 24 * 60 }),
});
const redactCustomerOp = fc.record({
  kind: fc.constant("redactCustomer" as const),
  shop: fc.constantFrom("a", "b"),
  customer: fc.constantFrom(...CUSTOMERS),
  orders: fc.array(fc.nat(), { maxLength: 2 }),
});
const redactShopOp = fc.record({ kind: fc.constant("redactShop" as const) });
/** The maintenance run: invitations and waiting answers past their time expire, due delivery stages open. */
const expireOp = fc.record({
  kind: fc.constant("expire" as const),
  advanceMinutes: fc.integer({ min: 1, max: 40 * 24 * 60 }),
});
const operations = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: orderOp },
    { weight: 3, arbitrary: fulfillOp },
    { weight: 1, arbitrary: redactCustomerOp },
    { weight: 1, arbitrary: redactShopOp },
    { weight: 1, arbitrary: expireOp },
  ),
  { minLength: 8, maxLength: 28 },
);

type Operation = typeof operations extends fc.Arbitrary<(infer T)[]> ? T : never;
type Order = { shopDomain: string; input: OrderPayloadInput };

const answered = (customer: number, score: number): Operation => ({
  kind: "order",
  shop: "a",
  customer,
  price: "75.00",
  country: "US",
  source: "web",
  discount: false,
  products: [7001],
  answer: {
    score,
    csat: 4,
    ces: undefined,
    channel: "thank_you",
    locale: "en",
    early: false,
    knownBuyer: false,
  },
  advanceMinutes: 60,
});
const REDACTED_REPEAT_ORDER: Operation[] = [
  answered(101, 9),
  answered(102, 3),
  { ...answered(101, 10), answer: null, advanceMinutes: 10 * 24 * 60 } as Operation, // 101 orders again 10 days later
  { kind: "redactCustomer", shop: "a", customer: 102, orders: [2] }, // … and that order is named by 102's redaction
];

function normalized(rows: object[], values: readonly string[]): string[] {
  return rows
    .map((row) => row as Record<string, unknown>)
    .filter((row) => values.some((column) => Number(row[column]) !== 0))
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(
          Object.keys(row)
            .sort()
            .map((key) => [key, row[key]]),
        ),
      ),
    )
    .sort();
}

export function describeReportRollups(kind: DatabaseKind) {
  describeOnDatabase(kind, "the reports' daily rollups", () => {
    let app: AppHarness;
    let run = 0;

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
    });
    afterAll(async () => {
      await app?.close();
    });

    async function apply(shops: Record<"a" | "b", string>, ops: Operation[], start: Date) {
      const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
      const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
      const { redactCustomer, redactShop } = await import("../../app/services/compliance.server");
      const { ServiceError } = await import("../../app/services/service-error");
      const { expireStale } = await import("../../app/services/maintenance.server");
      const orders: Order[] = [];
      let clock = start.getTime();
      let nextOrder = 1;
      let webhook = 0;
      const answer = async (order: Order, op: Extract<Operation, { kind: "order" }>, at: Date) => {
        if (!op.answer) return;
        const orderId = String(order.input.id);
        try {
          await submitAnswer(app.database, {
            shopDomain: order.shopDomain,
            orderId,
            channel: op.answer.channel,
            customerId: op.answer.knownBuyer && op.customer ? String(op.customer) : null,
            answer: { orderId, score: op.answer.score, csat: op.answer.csat, ces: op.answer.ces },
            locale: op.answer.locale,
            now: at,
          });
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error; // suppressed by the frequency cap, answered …
        }
      };
      for (const op of ops) {
        webhook += 1;
        if (op.kind === "order") {
          clock += op.advanceMinutes * MINUTE;
          const id = run * 1000 + nextOrder++;
          const input: OrderPayloadInput = {
            id,
            customerId: op.customer,
            createdAt: new Date(clock),
            totalPrice: op.price,
            countryCode: op.country,
            sourceName: op.source,
            discountCodes: op.discount ? ["SAVE10"] : [],
            lineItems: op.products.map((productId) => ({
              productId,
              title: "Item",
              quantity: 1,
              price: "9.00",
            })),
          };
          const order = { shopDomain: shops[op.shop as "a" | "b"], input };
          orders.push(order);
          if (op.answer?.early) await answer(order, op, new Date(clock));
          await handleOrderWebhook(app.database, {
            shopDomain: order.shopDomain,
            topic: "orders/create",
            webhookId: `rollups-${run}-${webhook}`,
            payload: orderPayload(input),
            now: new Date(clock + MINUTE),
          });
          if (op.answer && !op.answer.early) await answer(order, op, new Date(clock + 2 * MINUTE));
        } else if (op.kind === "fulfill" && orders.length > 0) {
          clock += op.advanceMinutes * MINUTE;
          const order = orders[op.pick % orders.length] as Order;
          await handleOrderWebhook(
            app.database,
            {
              shopDomain: order.shopDomain,
              topic: "orders/fulfilled",
              webhookId: `rollups-${run}-${webhook}`,
              payload: fulfilledOrderPayload({ ...order.input, fulfilledAt: new Date(clock) }),
              now: new Date(clock),
            },
            { fulfilled: true },
          );
        } else if (op.kind === "redactCustomer") {
          const shopDomain = shops[op.shop as "a" | "b"];
          const ofShop = orders.filter((order) => order.shopDomain === shopDomain);
          await redactCustomer(app.database, {
            shopDomain,
            topic: "customers/redact",
            webhookId: `rollups-${run}-${webhook}`,
            eventId: null,
            payload: {
              customer: { id: op.customer },
              orders_to_redact: op.orders.flatMap((pick) =>
                ofShop.length > 0 ? [(ofShop[pick % ofShop.length] as Order).input.id] : [],
              ),
            },
          });
        } else if (op.kind === "expire") {
          clock += op.advanceMinutes * MINUTE;
          await expireStale(app.database, new Date(clock));
        } else if (op.kind === "redactShop") {
          await redactShop(app.database, {
            shopDomain: shops.b,
            topic: "shop/redact",
            webhookId: `rollups-${run}-${webhook}`,
            eventId: null,
            payload: { shop_domain: shops.b },
          });
        }
      }
      return { end: new Date(clock + DAY_MS) };
    }

    /** Every rollup row equals the cells recomputed from the shop's answers (and invitations). */
    async function expectRollupsExact(shopDomain: string) {
      const { dashboardCellsOf, segmentCellsOf, repeatCellsOf, SCORE_COLUMNS } = await import(
        "../../app/adapters/db/report-rollups.server"
      );
      const all = { from: new Date("2000-01-01T00:00:00Z"), to: new Date("2100-01-01T00:00:00Z") };
      const database = app.database;

      const dashboardRows = await database.responseDailyRollup.findMany({ where: { shopDomain } });
      const dashboardValues = [...SCORE_COLUMNS, "csatSum", "csatCount", "cesSum", "cesCount"] as const;
      const expectedDashboard = (await dashboardCellsOf(database, shopDomain, all)).map((cell) => ({
        shopDomain,
        day: cell.day,
        stage: cell.stage,
        channel: cell.channel,
        locale: cell.locale,
        customer: cell.customer,
        ...Object.fromEntries(SCORE_COLUMNS.map((column, score) => [column, cell.scores[score] ?? 0])),
        csatSum: cell.csatSum,
        csatCount: cell.csatCount,
        cesSum: cell.cesSum,
        cesCount: cell.cesCount,
      }));
      expect(normalized(dashboardRows, dashboardValues)).toEqual(
        normalized(expectedDashboard, dashboardValues),
      );

      const segmentRows = await database.segmentDailyRollup.findMany({ where: { shopDomain } });
      const segmentValues = ["promoters", "passives", "detractors"];
      expect(
        normalized(
          segmentRows.map((row) => ({
            day: row.day,
            dimension: row.dimension,
            segment: row.known ? row.segment : null,
            promoters: row.promoters,
            passives: row.passives,
            detractors: row.detractors,
            responses: row.responses,
          })),
          segmentValues,
        ),
      ).toEqual(
        normalized(
          (await segmentCellsOf(database, shopDomain, all)).map((cell) => ({
            ...cell,
            responses: cell.promoters + cell.passives + cell.detractors,
          })),
          segmentValues,
        ),
      );

      const invitationRows = await database.invitationDailyRollup.findMany({ where: { shopDomain } });
      const invitations = await database.invitation.findMany({
        where: { shopDomain },
        select: { createdAt: true, stage: true, status: true },
      });
      const invitationCounts = new Map<string, number>();
      for (const invitation of invitations) {
        const key = JSON.stringify([
          invitation.createdAt.toISOString().slice(0, 10),
          invitation.stage,
          invitation.status,
        ]);
        invitationCounts.set(key, (invitationCounts.get(key) ?? 0) + 1);
      }
      expect(
        normalized(
          invitationRows.map(({ shopDomain: _shop, ...row }) => row),
          ["invitations"],
        ),
      ).toEqual(
        normalized(
          [...invitationCounts].map(([key, count]) => {
            const [day, stage, status] = JSON.parse(key) as string[];
            return { day, stage, status, invitations: count };
          }),
          ["invitations"],
        ),
      );

      const repeatRows = await database.repeatDailyRollup.findMany({ where: { shopDomain } });
      const repeatValues = ["answers", "repeat30", "repeat60", "repeat90"];
      expect(
        normalized(
          repeatRows.map(({ shopDomain: _shop, ...row }) => row),
          repeatValues,
        ),
      ).toEqual(
        normalized(
          (await repeatCellsOf(database, shopDomain, all)).map((cell) => ({
            day: cell.day,
            category: cell.category,
            answers: cell.answers,
            repeat30: cell.repeaters[30],
            repeat60: cell.repeaters[60],
            repeat90: cell.repeaters[90],
          })),
          repeatValues,
        ),
      );
    }

    /** The reports over `range` give the figures of the original queries over the answers. */
    async function expectReportsMatchAnswers(shopDomain: string, range: { from: Date; to: Date }) {
      const database = app.database;
      const { dashboardReport, bucketFor } = await import("../../app/services/reports.server");
      const { segmentReport } = await import("../../app/services/segments.server");
      const { repeatPurchaseRates } = await import("../../app/services/campaign-effect.server");
      const { npsTrend } = await import("../../app/adapters/db/report-queries.server");
      const { countsByBand, countsByFulfillmentDelay, countsByProduct } = await import(
        "../../app/adapters/db/segment-queries.server"
      );
      const { repeatPurchases, REPEAT_WINDOWS_DAYS } = await import(
        "../../app/adapters/db/campaign-queries.server"
      );
      const drivers = await import("../../app/domain/drivers");
      const answers = { shopDomain, status: "confirmed", stage: { not: "follow_up" } };
      const inRange = (r: { from: Date; to: Date }) => ({ createdAt: { gte: r.from, lt: r.to } });

      for (const filters of [{}, { channel: "thank_you" as const, customer: "new" as const }]) {
        const report = await dashboardReport(database, shopDomain, range, filters);
        const asked = await database.invitation.count({
          where: {
            shopDomain,
            status: { in: ["pending", "answered", "expired"] },
            stage: { not: "follow_up" },
            ...inRange(range),
          },
        });
        expect(report.invitations).toBe(asked);
        const narrowed = {
          ...answers,
          ...inRange(range),
          ...(filters.channel ? { channel: filters.channel, returningCustomer: false } : {}),
        };
        const scores = await database.response.groupBy({
          by: ["score"],
          where: narrowed,
          _count: { _all: true },
        });
        expect(report.distribution).toEqual(
          Array.from(
            { length: 11 },
            (_, score) => scores.find((row) => row.score === score)?._count._all ?? 0,
          ),
        );
        const averages = await database.response.aggregate({
          where: narrowed,
          _avg: { csat: true, ces: true },
        });
        for (const [figure, average] of [
          [report.csatAverage, averages._avg.csat],
          [report.cesAverage, averages._avg.ces],
        ] as const) {
          if (average === null) expect(figure).toBeNull();
          else expect(figure).toBeCloseTo(average, 9);
        }
        const length = range.to.getTime() - range.from.getTime();
        const previous = await database.response.count({
          where: {
            ...narrowed,
            ...inRange({ from: new Date(range.from.getTime() - length), to: range.from }),
          },
        });
        expect(report.previous.summary.responses).toBe(previous);
        const trend = await npsTrend(database, shopDomain, range, bucketFor(range), filters);
        expect(report.trend.points.map((point) => [point.period, point.responses])).toEqual(
          trend.map((row) => [row.period, row.promoters + row.passives + row.detractors]),
        );
      }

      const segments = await segmentReport(database, shopDomain, range);
      const expected = new Map<string, number[]>();
      const put = (
        dimension: string,
        key: string | null,
        counts: { promoters: number; passives: number; detractors: number },
      ) => {
        const name = `${dimension}:${key ?? "unknown"}`;
        const sum = expected.get(name) ?? [0, 0, 0];
        expected.set(name, [
          (sum[0] ?? 0) + counts.promoters,
          (sum[1] ?? 0) + counts.passives,
          (sum[2] ?? 0) + counts.detractors,
        ]);
      };
      const grouped = async (column: "countryCode" | "salesChannel") => {
        const rows = await database.response.groupBy({
          by: [column, "category"],
          where: { ...answers, ...inRange(range) },
          _count: { _all: true },
        });
        for (const row of rows) {
          const count = row._count._all;
          const key = column === "countryCode" ? (row.countryCode?.toUpperCase() ?? null) : row.salesChannel;
          put(column === "countryCode" ? "country" : "salesChannel", key, {
            promoters: row.category === "promoter" ? count : 0,
            passives: row.category === "passive" ? count : 0,
            detractors: row.category === "detractor" ? count : 0,
          });
        }
      };
      await grouped("countryCode");
      await grouped("salesChannel");
      const bands = [
        [
          "orderValue",
          drivers.ORDER_VALUE_BANDS,
          await countsByBand(
            database,
            shopDomain,
            range,
            "orderValue",
            drivers.bandBoundaries(drivers.ORDER_VALUE_BANDS),
          ),
        ],
        [
          "itemCount",
          drivers.ITEM_COUNT_BANDS,
          await countsByBand(
            database,
            shopDomain,
            range,
            "itemCount",
            drivers.bandBoundaries(drivers.ITEM_COUNT_BANDS),
          ),
        ],
        [
          "fulfillmentDelay",
          drivers.FULFILLMENT_DELAY_BANDS,
          await countsByFulfillmentDelay(
            database,
            shopDomain,
            range,
            drivers.bandBoundaries(drivers.FULFILLMENT_DELAY_BANDS),
          ),
        ],
      ] as const;
      for (const [dimension, list, rows] of bands) {
        for (const { band, ...counts } of rows)
          put(dimension, band === null ? null : (list[band]?.key ?? null), counts);
      }
      for (const product of await countsByProduct(database, shopDomain, range, 10))
        put("product", product.productId, product);
      // fewer places than products: the ranking over whole and partial days decides who is in
      const { topProductsOf } = await import("../../app/adapters/db/report-rollups.server");
      const { splitRange } = await import("../../app/domain/report-days");
      const split = splitRange(range);
      expect(await topProductsOf(database, shopDomain, split.days, split.partial, 2)).toEqual(
        (await countsByProduct(database, shopDomain, range, 2)).map(
          ({ productId, promoters, passives, detractors }) => ({
            segment: productId,
            promoters,
            passives,
            detractors,
          }),
        ),
      );
      for (const dimension of segments.dimensions) {
        if (
          !["country", "salesChannel", "orderValue", "itemCount", "fulfillmentDelay", "product"].includes(
            dimension.key,
          )
        ) {
          continue;
        }
        const shown = dimension.rows
          .filter((row) => row.key !== "other" && row.summary.responses > 0)
          .map((row) => [
            `${dimension.key}:${row.key}`,
            [row.counts.promoters, row.counts.passives, row.counts.detractors],
          ]);
        const wanted = [...expected].filter(([name]) => name.startsWith(`${dimension.key}:`));
        if (dimension.key === "country") {
          // the top countries are shown, the rest summed into "other"
          for (const [name, counts] of shown) expect(expected.get(name as string)).toEqual(counts);
        } else {
          expect(new Map(shown as [string, number[]][])).toEqual(new Map(wanted));
        }
      }
      const total = await database.response.count({ where: { ...answers, ...inRange(range) } });
      expect(segments.total.summary.responses).toBe(total);

      const now = range.to;
      const rates = await repeatPurchaseRates(database, shopDomain, range, now);
      for (const windowDays of REPEAT_WINDOWS_DAYS) {
        const watched = new Date(Math.min(range.to.getTime(), now.getTime() - windowDays * DAY_MS));
        const rows =
          watched > range.from
            ? await repeatPurchases(database, shopDomain, { from: range.from, to: watched }, windowDays)
            : [];
        const rate = rates.find((candidate) => candidate.windowDays === windowDays);
        for (const category of ["promoter", "passive", "detractor"] as const) {
          const row = rows.find((candidate) => candidate.category === category);
          expect(rate?.byCategory[category]).toMatchObject({
            answers: row?.answers ?? 0,
            repeaters: row?.repeaters ?? 0,
          });
        }
      }
    }

    it("keeps every rollup equal to the aggregate over the answers through orders, answers, fulfillments and redactions", async () => {
      await fc.assert(
        fc.asyncProperty(operations, fc.integer({ min: 0, max: 23 * 60 }), async (ops, startMinute) => {
          run += 1;
          const shops = {
            a: `rollups-${run}-a.myshopify.com`,
            b: `rollups-${run}-b.myshopify.com`,
          };
          for (const shopDomain of Object.values(shops)) {
            await installTestShop(app.database, app.emulator.url, testShop({ shopDomain }));
          }
          const start = new Date(Date.UTC(2026, 3, 1) + startMinute * MINUTE);
          const { end } = await apply(shops, ops, start);
          for (const shopDomain of Object.values(shops)) {
            await expectRollupsExact(shopDomain);
            // whole days only, days with partial ends, and a range inside the span
            const span = end.getTime() - start.getTime();
            for (const range of [
              { from: new Date(Date.UTC(2026, 2, 1)), to: new Date(Date.UTC(2026, 11, 1)) },
              {
                from: new Date(start.getTime() - 7 * 3_600_000),
                to: new Date(end.getTime() - 5 * 3_600_000),
              },
              { from: new Date(start.getTime() + span / 3), to: new Date(start.getTime() + (2 * span) / 3) },
            ]) {
              await expectReportsMatchAnswers(shopDomain, range);
            }
          }
        }),
        {
          numRuns: kind === "sqlite" ? 12 : 8,
          // A redaction that names another customer's order takes a repeat purchase from that customer's answer.
          examples: [[REDACTED_REPEAT_ORDER, 600]],
        },
      );
    });

    it("gives a redacted shop no rollup rows while the other shop's stay", async () => {
      const { redactShop } = await import("../../app/services/compliance.server");
      const { answerOrder } = await import("../factories/answers");
      const gone = testShop({ shopDomain: "rollups-gone.myshopify.com" });
      const kept = testShop({ shopDomain: "rollups-kept.myshopify.com" });
      for (const shop of [gone, kept]) {
        await installTestShop(app.database, app.emulator.url, shop);
        await answerOrder(app.database, shop.shopDomain, {
          orderId: shop === gone ? 91 : 92,
          customerId: 501,
          score: 9,
          at: new Date("2026-05-05T10:00:00Z"),
        });
      }
      await redactShop(app.database, {
        shopDomain: gone.shopDomain,
        topic: "shop/redact",
        webhookId: "rollups-gone",
        eventId: null,
        payload: { shop_domain: gone.shopDomain },
      });
      const rows = (shopDomain: string) =>
        Promise.all([
          app.database.responseDailyRollup.count({ where: { shopDomain } }),
          app.database.segmentDailyRollup.count({ where: { shopDomain } }),
          app.database.repeatDailyRollup.count({ where: { shopDomain } }),
          app.database.invitationDailyRollup.count({ where: { shopDomain } }),
        ]);
      expect(await rows(gone.shopDomain)).toEqual([0, 0, 0, 0]);
      expect((await rows(kept.shopDomain)).every((count) => count > 0)).toBe(true);
      await expectRollupsExact(kept.shopDomain);
    });
  });
}
