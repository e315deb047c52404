import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WriterResult, WriterTask } from "../support/answer-writer";
import { type AppHarness, startAppHarness } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

// Several processes write to one database at the same time — on SQLite, one file with one writer at a time, where
// a writer that finds the file locked must wait (busy timeout) and a transaction that read first must not fail
// when another process wrote meanwhile. Each of 4 processes answers its 200 orders through the app's routes and
// also answers 50 orders of another process (a second, competing answer). Every order must end with exactly one
// stored answer — the one that got 201 — and no request may get a 5xx.

const WRITERS = 4;
const ORDERS_PER_WRITER = 200;
const COMPETING_PER_WRITER = 50;
const FIRST_ORDER = 500_000;
const FIRST_CUSTOMER = 600_000;

function runWriter(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/answer-writer.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

export function describeConcurrentWriters(kind: DatabaseKind) {
  describeOnDatabase(kind, "several processes writing answers to one database at once", () => {
    let app: AppHarness;
    let directory = "";

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      directory = mkdtempSync(path.join(tmpdir(), "nps-writers-"));
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      const { currentSurvey } = await import("../../app/services/shops.server");
      const { settings } = await currentSurvey(app.database, app.shop.shopDomain);
      await saveSurveySettings(app.database, app.shop.shopDomain, { ...settings, frequencyCapDays: 0 });
    });
    afterAll(async () => {
      await app?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    });

    it("stores every answer exactly once, with no 5xx, when 4 processes answer 200 orders each at the same time", async () => {
      const order = (writer: number, index: number) => writer * ORDERS_PER_WRITER + index;
      const plans: WriterTask[][] = Array.from({ length: WRITERS }, (_, writer) => {
        const tasks: WriterTask[] = [];
        const next = (writer + 1) % WRITERS;
        for (let index = 0; index < ORDERS_PER_WRITER; index += 1) {
          const own = order(writer, index);
          tasks.push({
            orderId: FIRST_ORDER + own,
            customerId: FIRST_CUSTOMER + own,
            score: own % 11,
            webhook: true,
          });
          // A competing answer for the next writer's order: another score, from another process.
          if (index < COMPETING_PER_WRITER) {
            const theirs = order(next, index);
            tasks.push({
              orderId: FIRST_ORDER + theirs,
              customerId: FIRST_CUSTOMER + theirs,
              score: 10 - (theirs % 11),
              webhook: false,
            });
          }
        }
        return tasks;
      });
      const startAt = Date.now() + 4_000;
      const outputs = plans.map((_, writer) => path.join(directory, `writer-${writer}.json`));
      const runs = await Promise.all(
        plans.map((tasks, writer) =>
          runWriter({
            DATABASE_URL: process.env.DATABASE_URL ?? "",
            WRITER_SHOP: app.shop.shopDomain,
            WRITER_TASKS: JSON.stringify(tasks),
            WRITER_START_AT: String(startAt),
            WRITER_OUTPUT: outputs[writer]!,
          }),
        ),
      );
      for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0, stderr: "" });
      const results = outputs.flatMap((file) => JSON.parse(readFileSync(file, "utf8")) as WriterResult[]);

      const total = WRITERS * ORDERS_PER_WRITER;
      expect(results).toHaveLength(total * 2 + WRITERS * COMPETING_PER_WRITER);
      expect(results.filter((result) => result.status >= 500)).toEqual([]);
      expect(results.filter((result) => result.kind === "webhook").map((result) => result.status)).toEqual(
        Array(total).fill(200),
      );
      const answers = results.filter((result) => result.kind === "answer");
      expect(new Set(answers.map((result) => result.status))).toEqual(new Set([201, 409]));

      const stored = await app.database.response.findMany({ where: { shopDomain: app.shop.shopDomain } });
      expect(stored).toHaveLength(total);
      const byOrder = new Map(stored.map((response) => [Number(response.orderId), response]));
      expect(byOrder.size).toBe(total);
      for (let index = 0; index < total; index += 1) {
        const orderId = FIRST_ORDER + index;
        const accepted = answers.filter((result) => result.orderId === orderId && result.status === 201);
        expect(accepted, `order ${orderId}`).toHaveLength(1);
        const response = byOrder.get(orderId);
        expect(response?.id).toBe((JSON.parse(accepted[0]!.body) as { id: string }).id);
        expect(response?.score).toBe(accepted[0]!.score);
        expect(response?.status).toBe("confirmed");
      }
      expect(await app.database.invitation.count({ where: { shopDomain: app.shop.shopDomain } })).toBe(total);
      expect(await app.database.webhookDelivery.count({ where: { shopDomain: app.shop.shopDomain } })).toBe(
        total,
      );
      expect(
        await app.database.customerProfile.count({
          where: { shopDomain: app.shop.shopDomain, responsesCount: 1 },
        }),
      ).toBe(total);
    }, 180_000);
  });
}
