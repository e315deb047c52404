import type { SyncJob } from "@prisma/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Mailer } from "../../app/adapters/email.server";
import type { SyncDependencies } from "../../app/services/sync/job-runner.server";
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
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";
import type { DatabaseKind } from "../support/test-databases";

const OWNER = "owner@maison-verte.example";
const SENDER = "NPS Sync <alerts@nps-sync.example>";
const MINUTE = 60_000;

// A detractor's answer opens a follow-up and, in the same transaction, a detractor_alert job; the worker mails the
// shop's alert address through a real SMTP server (smtp-server on a local port), once, retrying while it is down.
export function describeDetractorAlert(kind: DatabaseKind) {
  describeOnDatabase(kind, "detractor alert email", () => {
    let app: AppHarness;
    let smtp: SmtpSink;
    let mailer: Mailer;
    let deps: SyncDependencies;
    let shopDomain: string;
    const logLines: string[] = [];

    async function answer(orderId: number, score: number, comment?: string) {
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${await app.checkoutToken()}`, "Content-Type": "application/json" },
        body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score, comment }),
      });
      return (await callRoute(app.routes.checkoutResponses, "action", request)) as Response;
    }

    async function order(orderId: number, customerId: number) {
      await addEmulatorCustomers(app.emulator.url, shopDomain, [{ id: customerId }]);
      const webhook = await app.webhook("orders/create", orderPayload({ id: orderId, customerId }), {
        webhookId: `detractor-alert-${orderId}`,
      });
      expect(webhook.status).toBe(200);
    }

    /** Runs every job due at `at` until none is left (the worker with the SMTP mailer unless told otherwise). */
    async function drain(at = new Date(), dependencies: SyncDependencies = deps) {
      const { runDueJobsOnce } = await import("../../app/services/sync/worker.server");
      for (let rounds = 0; ; rounds += 1) {
        const due = await app.database.syncJob.count({
          where: { status: { in: ["pending", "running"] }, runAt: { lte: at } },
        });
        if (due === 0) return;
        if (rounds > 10) throw new Error("sync jobs did not drain");
        await runDueJobsOnce(dependencies, { batchSize: 100, now: () => at });
      }
    }

    async function alertJobs(orderId: number): Promise<SyncJob[]> {
      const response = await app.database.response.findFirst({
        where: { shopDomain, orderId: String(orderId) },
      });
      const followUp = response
        ? await app.database.followUp.findUnique({ where: { responseId: response.id } })
        : null;
      if (!followUp) return [];
      return app.database.syncJob.findMany({
        where: { shopDomain, kind: "detractor_alert", payload: { contains: followUp.id } },
      });
    }

    const mailsFor = (orderId: number) =>
      smtp.messages.filter((mail) => mail.subject.endsWith(`#${orderId}`));

    beforeAll(async () => {
      smtp = await startSmtpSink();
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      shopDomain = app.shop.shopDomain;
      const { setLogDestination } = await import("../../app/adapters/log.server");
      setLogDestination({ write: (line: string) => logLines.push(line) }, { level: "debug" });
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, shopDomain, {
        frequencyCapDays: 0,
        alerts: { detractorEmail: OWNER },
      });
      const { createSmtpMailer } = await import("../../app/adapters/email.server");
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      mailer = createSmtpMailer({ url: smtp.url, from: SENDER });
      deps = {
        database: app.database,
        adminFor: adminClientForShop,
        surveyLinkSecret: TEST_API_SECRET,
        mailer,
      };
    });
    afterAll(async () => {
      const { setLogDestination } = await import("../../app/adapters/log.server");
      setLogDestination(null);
      mailer?.close();
      await smtp?.stop();
      await app?.close();
    });

    it("mails the shop's alert address once for a detractor's answer: score, comment, order and the follow-up's admin link", async () => {
      await order(6001, 601);
      const answered = await answer(6001, 2, "Arrived broken.\nNobody answered my email.");
      expect(answered.status).toBe(201);
      // Written with the answer: the job is there before any worker ran, and the shopper did not wait for SMTP.
      const [queued] = await alertJobs(6001);
      expect(queued).toMatchObject({ status: "pending", attempts: 0 });
      expect(smtp.messages).toHaveLength(0);

      await drain();
      await drain();

      const mails = mailsFor(6001);
      expect(mails).toHaveLength(1);
      const followUp = await app.database.followUp.findFirstOrThrow({
        where: { shopDomain, id: JSON.parse(queued?.payload ?? "{}").followUpId },
      });
      expect(mails[0]).toMatchObject({
        envelopeFrom: "alerts@nps-sync.example",
        envelopeTo: [OWNER],
        to: OWNER,
        from: '"NPS Sync" <alerts@nps-sync.example>',
        subject: "Detractor: score 2 from #6001",
      });
      expect(mails[0]?.text).toContain("Score: 2 out of 10");
      expect(mails[0]?.text).toContain("Order: #6001");
      expect(mails[0]?.text).toContain("  Arrived broken.\n  Nobody answered my email.");
      expect(mails[0]?.text).toContain(
        `https://admin.shopify.com/store/${shopDomain.replace(".myshopify.com", "")}/apps/${TEST_API_KEY}/app/follow-ups?status=all&id=${followUp.id}`,
      );
      const [job] = await alertJobs(6001);
      expect(job).toMatchObject({ status: "done", attempts: 1, lastError: null });
      expect(JSON.parse(job?.payload ?? "{}")).toEqual({ followUpId: followUp.id, outcome: "sent" });

      const alertLines = logLines.filter((line) => line.includes("detractor alert"));
      expect(alertLines.length).toBeGreaterThan(0);
      for (const line of logLines) {
        expect(line).not.toContain(OWNER);
        expect(line).not.toContain("Arrived broken");
      }
    });

    it("sends no mail and queues no alert for a promoter's answer", async () => {
      await order(6002, 602);
      expect((await answer(6002, 10, "Lovely")).status).toBe(201);

      await drain();

      expect(await app.database.syncJob.count({ where: { shopDomain, kind: "detractor_alert" } })).toBe(1);
      expect(mailsFor(6002)).toHaveLength(0);
    });

    it("still sends one mail when the answer is submitted twice, and when a job that already mailed runs again", async () => {
      await order(6003, 603);
      expect((await answer(6003, 4, "Too slow")).status).toBe(201);
      expect((await answer(6003, 4, "Too slow")).status).toBe(409);

      await drain();
      expect(await alertJobs(6003)).toHaveLength(1);
      expect(mailsFor(6003)).toHaveLength(1);

      // A worker that mailed and crashed before completing: the job is claimed again after its lease.
      const [job] = await alertJobs(6003);
      await app.database.syncJob.update({
        where: { id: job?.id },
        data: { status: "pending", doneAt: null },
      });
      await drain();

      expect(mailsFor(6003)).toHaveLength(1);
      expect((await alertJobs(6003))[0]?.status).toBe("done");
    });

    it("retries while the SMTP server is down and delivers once when it is back", async () => {
      await smtp.stop();
      await order(6004, 604);
      expect((await answer(6004, 1, "Never arrived")).status).toBe(201);

      await drain();
      const [failed] = await alertJobs(6004);
      expect(failed).toMatchObject({ status: "pending", attempts: 1 });
      expect(failed?.lastError).toMatch(/^SMTP /);
      expect(failed?.runAt.getTime()).toBeGreaterThan(Date.now());
      expect(mailsFor(6004)).toHaveLength(0);

      // Still down at the next attempt: another retry, not dead.
      await drain(new Date(Date.now() + 15 * MINUTE));
      expect((await alertJobs(6004))[0]).toMatchObject({ status: "pending", attempts: 2 });

      await smtp.start();
      await drain(new Date(Date.now() + 60 * MINUTE));

      expect(mailsFor(6004)).toHaveLength(1);
      expect(mailsFor(6004)[0]?.subject).toBe("Detractor: score 1 from #6004");
      expect((await alertJobs(6004))[0]).toMatchObject({ status: "done", attempts: 3, lastError: null });
    });

    it("completes the alert as skipped, recorded on the job, when SMTP is not configured", async () => {
      await order(6005, 605);
      expect((await answer(6005, 3)).status).toBe(201);

      const { mailer: _none, ...withoutSmtp } = deps;
      await drain(new Date(), withoutSmtp);

      const [job] = await alertJobs(6005);
      expect(job).toMatchObject({ status: "done", attempts: 1, lastError: null });
      expect(JSON.parse(job?.payload ?? "{}")).toMatchObject({ outcome: "skipped_smtp_not_configured" });
      expect(mailsFor(6005)).toHaveLength(0);
    });

    it("queues no alert while the shop has no alert address", async () => {
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, shopDomain, {
        frequencyCapDays: 0,
        alerts: { detractorEmail: null },
      });
      await order(6006, 606);
      expect((await answer(6006, 0)).status).toBe(201);

      expect(await app.database.followUp.count({ where: { shopDomain } })).toBe(5);
      expect(await alertJobs(6006)).toHaveLength(0);
      await drain();
      expect(mailsFor(6006)).toHaveLength(0);
    });
  });
}
