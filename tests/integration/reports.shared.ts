import { afterAll, beforeAll, expect, it } from "vitest";
import { orderPayload } from "../factories/order-payload";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const ANSWERS: [string, number, { csat?: number; comment?: string }?][] = [
  ["2026-08-15T12:00:00Z", 0],
  ["2026-10-05T00:30:00Z", 10, { csat: 5, comment: "Fast shipping, lovely shirt" }], // a Monday
  ["2026-10-07T23:59:00Z", 3, { csat: 2, comment: '=HYPERLINK("x") shipping was slow, "really"' }],
  ["2026-10-12T08:00:00Z", 8],
  ["2026-10-18T23:30:00Z", 9], // Sunday: still the week of Monday 12 October
];

export function describeReports(kind: DatabaseKind) {
  describeOnDatabase(kind, "the dashboard report", () => {
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

    it("lists comments newest first, filtered by category and text", async () => {
      const { listComments, commentFilterSchema } = await import("../../app/services/comments.server");
      const all = await listComments(app.database, app.shop.shopDomain, commentFilterSchema.parse({}));
      expect(all.rows.map((row) => row.score)).toEqual([3, 10]);
      const shipping = await listComments(
        app.database,
        app.shop.shopDomain,
        commentFilterSchema.parse({ search: "SHIPPING", category: "detractor" }),
      );
      expect(shipping.rows.map((row) => row.score)).toEqual([3]);
    });

    it("moves a detractor's follow-up from open to contacted, only within the shop", async () => {
      const { listFollowUps, updateFollowUp } = await import("../../app/services/follow-ups.server");
      const open = await listFollowUps(app.database, app.shop.shopDomain, "open");
      expect(open.counts).toEqual({ open: 2, contacted: 0, resolved: 0 });
      const id = open.items[0]?.id ?? "";
      await updateFollowUp(app.database, app.shop.shopDomain, {
        id,
        status: "contacted",
        note: "called back",
      });
      await expect(
        updateFollowUp(app.database, "other.myshopify.com", { id, status: "resolved" }),
      ).rejects.toMatchObject({
        code: "not_found",
      });
      await expect(
        updateFollowUp(app.database, app.shop.shopDomain, { id, status: "closed" }),
      ).rejects.toMatchObject({
        errors: [{ field: "status" }],
      });
      const after = await listFollowUps(app.database, app.shop.shopDomain, "contacted");
      expect(after.items[0]).toMatchObject({ id, note: "called back", status: "contacted" });
    });

    it("streams every confirmed answer as CSV with comments quoted and formulas defused", async () => {
      const { responsesCsvStream } = await import("../../app/services/export.server");
      const csv = await new Response(responsesCsvStream(app.database, app.shop.shopDomain)).text();
      const lines = csv.trimEnd().split("\r\n");
      expect(lines[0]).toMatch(/^response_id,created_at,order_id,customer_id,score,category,comment,/);
      expect(lines).toHaveLength(1 + ANSWERS.length);
      expect(csv).toContain(`"'=HYPERLINK(""x"") shipping was slow, ""really"""`);
    });

    it("pages the CSV export oldest first without losing or repeating an answer, also where answers share a moment", async () => {
      const { responsesCsvStream } = await import("../../app/services/export.server");
      const exportIds = async (pageSize?: number) => {
        const csv = await new Response(
          responsesCsvStream(app.database, app.shop.shopDomain, pageSize),
        ).text();
        return csv
          .trimEnd()
          .split("\r\n")
          .slice(1)
          .map((line) => line.split(",").slice(0, 2).join(","));
      };
      const whole = await exportIds();
      expect(whole).toHaveLength(ANSWERS.length);
      expect(await exportIds(2)).toEqual(whole);
      const times = whole.map((line) => line.split(",")[1] as string);
      expect([...times].sort()).toEqual(times);

      const answers = await app.database.response.findMany({
        where: { shopDomain: app.shop.shopDomain },
        select: { id: true, createdAt: true },
      });
      const moment = new Date("2026-10-10T10:10:10.000Z");
      try {
        await app.database.response.updateMany({
          where: { id: { in: answers.slice(0, 4).map((answer) => answer.id) } },
          data: { createdAt: moment },
        });
        const tied = await exportIds(3);
        expect(tied).toHaveLength(ANSWERS.length);
        expect(new Set(tied.map((line) => line.split(",")[0])).size).toBe(ANSWERS.length);
      } finally {
        for (const answer of answers) {
          await app.database.response.update({
            where: { id: answer.id },
            data: { createdAt: answer.createdAt },
          });
        }
      }
    });

    it("gives the score distribution and the CSAT average of those who answered it", () => {
      expect(report.distribution).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1]);
      expect(report.csatAverage).toBe(3.5);
      expect(report.cesAverage).toBeNull();
    });

    it("narrows every panel by the URL's filters, and leaves the response rate unknown where invitations cannot be", async () => {
      const { dashboardReport } = await import("../../app/services/reports.server");
      const range = { from: new Date("2026-09-01T00:00:00Z"), to: new Date("2026-11-01T00:00:00Z") };
      const same = await dashboardReport(app.database, app.shop.shopDomain, range, {
        channel: "thank_you",
        locale: "en",
        customer: "new",
        stage: "purchase",
      });
      expect(same.counts).toEqual(report.counts);
      expect(same.trend.points).toEqual(report.trend.points);
      expect(same.distribution).toEqual(report.distribution);
      expect(same.responseRate).toBeNull();
      const french = await dashboardReport(app.database, app.shop.shopDomain, range, { locale: "fr" });
      expect(french.summary.responses).toBe(0);
      expect(french.trend.points).toEqual([]);
      expect(french.distribution.every((count) => count === 0)).toBe(true);
      expect(french.csatAverage).toBeNull();
      const returning = await dashboardReport(app.database, app.shop.shopDomain, range, {
        customer: "returning",
      });
      expect(returning.previous.summary.responses).toBe(0);
      const byStage = await dashboardReport(app.database, app.shop.shopDomain, range, { stage: "purchase" });
      expect(byStage.responseRate).toBe(report.responseRate);
    });

    it("shows no stage comparison for a survey asked at purchase only", () => {
      expect(report.stages).toBeNull();
    });
  });
}
