import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../factories/order-payload";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { type DatabaseKind, postgresUnavailableReason } from "../support/test-databases";

const ANSWERS: [string, number, { csat?: number }?][] = [
  ["2026-08-15T12:00:00Z", 0],
  ["2026-10-05T00:30:00Z", 10, { csat: 5 }], // a Monday
  ["2026-10-07T23:59:00Z", 3, { csat: 2 }],
  ["2026-10-12T08:00:00Z", 8],
  ["2026-10-18T23:30:00Z", 9], // Sunday: still the week of Monday 12 October
];

export function describeReports(kind: DatabaseKind) {
  const unavailable = kind === "postgresql" ? postgresUnavailableReason() : null;
  describe.skipIf(unavailable !== null)(
    `the dashboard report on ${kind}${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`,
    () => {
      let app: AppHarness;
      let report: Awaited<ReturnType<typeof import("../../app/services/reports.server").dashboardReport>>;

      beforeAll(async () => {
        const harness = await startAppHarness(kind);
        if (!harness) throw new Error(`${kind} is not available`);
        app = harness;
        const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
        const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
        for (const [index, [at, score, extra]] of ANSWERS.entries()) {
          const orderId = 4000 + index;
          const now = new Date(at);
          await handleOrderWebhook(app.database, {
            shopDomain: app.shop.shopDomain,
            topic: "orders/create",
            webhookId: `report-${orderId}`,
            payload: orderPayload({ id: orderId, customerId: 700 + index, createdAt: now }),
            now,
          });
          await submitAnswer(app.database, {
            shopDomain: app.shop.shopDomain,
            orderId: String(orderId),
            channel: "thank_you",
            answer: { orderId: String(orderId), score, ...extra },
            locale: "en",
            now,
          });
        }
        const { dashboardReport } = await import("../../app/services/reports.server");
        report = await dashboardReport(app.database, app.shop.shopDomain, {
          from: new Date("2026-09-01T00:00:00Z"),
          to: new Date("2026-11-01T00:00:00Z"),
        });
      });
      afterAll(async () => {
        await app?.close();
      });

      it("counts the range's four answers: 2 promoters, 1 passive, 1 detractor → NPS 25", () => {
        expect(report.counts).toEqual({ promoters: 2, passives: 1, detractors: 1 });
        expect(report.summary.nps).toBe(25);
      });

      it("buckets a 61-day range by Monday-based weeks, in UTC", () => {
        expect(report.trend.bucket).toBe("week");
        expect(report.trend.points).toEqual([
          { period: "2026-10-05", responses: 2, nps: 0, marginOfError95: expect.any(Number) },
          { period: "2026-10-12", responses: 2, nps: 50, marginOfError95: expect.any(Number) },
        ]);
      });

      it("compares with the previous period of the same length", () => {
        expect(report.previous.summary).toMatchObject({ responses: 1, nps: -100 });
        expect(report.previous.comparison.difference).toBe(125);
      });

      it("gives the score distribution and the CSAT average of those who answered it", () => {
        expect(report.distribution).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1]);
        expect(report.csatAverage).toBe(3.5);
        expect(report.cesAverage).toBeNull();
      });
    },
  );
}
