import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

const MINUTE = 60_000;
const SHOP = "claims-shop.myshopify.com"; // never installed: no worker of the harness runs its jobs

// Several workers claim from one queue at the same moment: each job goes to one of them, and on PostgreSQL
// (FOR UPDATE SKIP LOCKED) none of them comes back short while due jobs remain.
export function describeJobClaims(kind: DatabaseKind) {
  describeOnDatabase(kind, "claiming sync jobs", () => {
    let app: AppHarness;

    beforeAll(async () => {
      const started = await startAppHarness(kind);
      if (!started) throw new Error(`${kind} is not available`);
      app = started;
    }, 60_000);

    afterAll(async () => {
      await app?.close();
    });

    async function dueJobIds(now: Date): Promise<string[]> {
      const rows = await app.database.syncJob.findMany({
        where: {
          OR: [
            { status: "pending", runAt: { lte: now } },
            { status: "running", lockedUntil: { lt: now } },
          ],
        },
        select: { id: true },
      });
      return rows.map((row) => row.id);
    }

    it("gives eight workers claiming at once disjoint batches, each job to one worker", async () => {
      const { claimDueJobs } = await import("../../app/services/sync/job-queue.server");
      const now = new Date();
      await app.database.syncJob.createMany({
        data: Array.from({ length: 200 }, (_, index) => ({
          shopDomain: SHOP,
          kind: "customer_category",
          customerId: String(80_000 + index),
          runAt: new Date(now.getTime() - MINUTE - index),
          updatedAt: now,
        })),
      });
      const due = await dueJobIds(now);
      expect(due.length).toBeGreaterThanOrEqual(200);

      const batches = await Promise.all(
        Array.from({ length: 8 }, (_, worker) =>
          claimDueJobs(app.database, { workerId: `worker-${worker}`, limit: 20, now }),
        ),
      );
      const claimed = batches.flat();
      expect(new Set(claimed.map((job) => job.id)).size).toBe(claimed.length);
      expect(claimed.every((job) => due.includes(job.id))).toBe(true);
      const stored = await app.database.syncJob.findMany({
        where: { id: { in: claimed.map((job) => job.id) } },
      });
      for (const job of claimed) {
        const row = stored.find((candidate) => candidate.id === job.id);
        expect(row).toMatchObject({ status: "running", lockedBy: job.lockedBy, attempts: job.attempts });
      }
      if (kind === "postgresql") {
        // no worker lost a race to another: 8 × 20 of the ≥ 200 due jobs, the oldest first in each batch
        expect(batches.map((batch) => batch.length)).toEqual(Array(8).fill(20));
        for (const batch of batches) {
          const times = batch.map((job) => job.runAt.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
        }
      } else {
        expect(claimed.length).toBeGreaterThan(0);
      }
    });

    it("takes a running job back only once its lease has run out, and counts the attempt", async () => {
      const { claimDueJobs } = await import("../../app/services/sync/job-queue.server");
      await app.database.syncJob.deleteMany({ where: { shopDomain: SHOP } });
      const now = new Date();
      const [live, lapsed, later] = await Promise.all(
        [
          { lockedUntil: new Date(now.getTime() + MINUTE), runAt: new Date(now.getTime() - MINUTE) },
          { lockedUntil: new Date(now.getTime() - 1000), runAt: new Date(now.getTime() - MINUTE) },
          { lockedUntil: null, runAt: new Date(now.getTime() + MINUTE) },
        ].map((lease, index) =>
          app.database.syncJob.create({
            data: {
              shopDomain: SHOP,
              kind: "customer_category",
              customerId: String(90_000 + index),
              status: lease.lockedUntil ? "running" : "pending",
              lockedBy: lease.lockedUntil ? "crashed-worker" : null,
              attempts: lease.lockedUntil ? 1 : 0,
              ...lease,
            },
          }),
        ),
      );
      // drain what else is due (the harness's own setup job) so that only this test's rows are in play
      await claimDueJobs(app.database, {
        workerId: "sweeper",
        limit: 500,
        now: new Date(now.getTime() - 2000),
      });

      const claimed = await claimDueJobs(app.database, { workerId: "next-worker", limit: 10, now });
      const ours = claimed.filter((job) => job.shopDomain === SHOP);
      expect(ours.map((job) => job.id)).toEqual([lapsed?.id]);
      expect(ours[0]).toMatchObject({ status: "running", lockedBy: "next-worker", attempts: 2 });
      const untouched = await app.database.syncJob.findMany({
        where: { id: { in: [live?.id ?? "", later?.id ?? ""] } },
        orderBy: { runAt: "asc" },
      });
      expect(untouched.map((job) => [job.status, job.lockedBy, job.attempts])).toEqual([
        ["running", "crashed-worker", 1],
        ["pending", null, 0],
      ]);
    });
  });
}
