import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AdminClient } from "../../app/adapters/shopify-admin/admin-client.server";
import type * as RetagService from "../../app/services/sync/retag.server";
import type * as Worker from "../../app/services/sync/worker.server";
import { bulkState } from "../emulator/bulk";
import { answerOrder } from "../factories/answers";
import { addEmulatorCustomers, addEmulatorOrders } from "../factories/shop";
import {
  type AppHarness,
  callRoute,
  startAppHarness,
  TEST_API_KEY,
  TEST_API_SECRET,
  TEST_APP_URL,
} from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import type { DatabaseKind } from "../support/test-databases";

type RouteModule = Parameters<typeof callRoute>[0];

const CUSTOMERS = 300;
const FIRST_ID = 510_000;
const OLD = { promoter: "nps:promoter", passive: "nps:passive", detractor: "nps:detractor" };
const RENAMED = { promoter: "NPS Fan", passive: "NPS Neutral", detractor: "NPS Critic" };
const RENAMED_AGAIN = { promoter: "nps-9-10", passive: "nps-7-8", detractor: "nps-0-6" };
const ALL_NPS_NAMES = [OLD, RENAMED, RENAMED_AGAIN].flatMap((names) => Object.values(names));

interface EmulatedCustomer {
  id: string;
  tags: string[];
  metafields: { key: string; value: string }[];
}

// "Re-tag all customers": after the tag names change (or on a click), every answered customer's NPS tag and nps
// metafields are written again through Shopify's bulk import flow — staged upload, bulkOperationRunMutation,
// polling — by a job that keeps its progress in BulkRun and re-enqueues itself for each poll.
export function describeBulkRetag(kind: DatabaseKind) {
  describeOnDatabase(kind, "re-tagging every customer through bulk operations", () => {
    let app: AppHarness;
    let retag: typeof RetagService;
    let worker: typeof Worker;
    let route: RouteModule;
    const ids = Array.from({ length: CUSTOMERS }, (_, index) => FIRST_ID + index);

    const deps = async (adminFor?: (shop: string) => Promise<AdminClient>) => {
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      return {
        database: app.database,
        adminFor: adminFor ?? adminClientForShop,
        surveyLinkSecret: TEST_API_SECRET,
      };
    };

    /** A worker pass that also claims jobs due in the next minute: the run's polls need not be waited for. */
    async function workOnce(workerId = "test-worker", leaseMs?: number) {
      return worker.runDueJobsOnce(await deps(), {
        workerId,
        batchSize: 100,
        leaseMs,
        now: () => new Date(Date.now() + 60_000),
      });
    }

    async function runUntilFinished(runId: string) {
      for (let round = 0; round < 2000; round += 1) {
        const run = await app.database.bulkRun.findUniqueOrThrow({ where: { id: runId } });
        if (run.status !== "running") return run;
        await workOnce();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("the bulk run did not finish");
    }

    async function drainJobs() {
      for (let round = 0; round < 200; round += 1) {
        const left = await app.database.syncJob.count({
          where: { shopDomain: app.shop.shopDomain, status: { in: ["pending", "running"] } },
        });
        if (left === 0) return;
        await workOnce();
      }
      throw new Error("the sync jobs did not drain");
    }

    async function emulatedCustomers(): Promise<Map<string, EmulatedCustomer>> {
      const response = await fetch(`${app.emulator.url}/__emulator/state?shop=${app.shop.shopDomain}`);
      const state = (await response.json()) as { shops: { customers: EmulatedCustomer[] }[] };
      return new Map(state.shops[0]?.customers.map((customer) => [customer.id, customer]));
    }

    /** Customers whose Shopify state is not exactly: the one tag for their category under `names`, their merchant
     * tags, and the metafields of their latest answer. */
    async function customersOutOfStep(names: Record<string, string>): Promise<string[]> {
      const profiles = await app.database.customerProfile.findMany({
        where: { shopDomain: app.shop.shopDomain },
      });
      const customers = await emulatedCustomers();
      return profiles
        .filter((profile) => {
          const customer = customers.get(`gid://shopify/Customer/${profile.customerId}`);
          if (!customer || !profile.latestCategory) return true;
          const npsTags = customer.tags.filter((tag) => ALL_NPS_NAMES.includes(tag));
          const metafield = (key: string) => customer.metafields.find((field) => field.key === key)?.value;
          const merchant = merchantTagsOf(Number(profile.customerId));
          return (
            npsTags.length !== 1 ||
            npsTags[0] !== names[profile.latestCategory] ||
            !merchant.every((tag) => customer.tags.includes(tag)) ||
            customer.tags.length !== merchant.length + 1 ||
            metafield("score") !== String(profile.latestScore) ||
            metafield("category") !== profile.latestCategory
          );
        })
        .map((profile) => profile.customerId);
    }

    function merchantTagsOf(id: number): string[] {
      return (id - FIRST_ID) % 3 === 0 ? ["vip", "wholesale"] : ["vip"];
    }

    async function saveTagNames(names: Record<string, string>) {
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      const { currentSurvey } = await import("../../app/services/shops.server");
      const { settings } = await currentSurvey(app.database, app.shop.shopDomain);
      await saveSurveySettings(app.database, app.shop.shopDomain, { ...settings, tagNames: names });
    }

    function sendAdminForm(form: Record<string, string>) {
      return setUpValidRequest(
        {
          type: RequestType.Bearer,
          store: app.shop.shopDomain.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(`${TEST_APP_URL}/app/sync`, { method: "POST", body: new URLSearchParams(form) }),
      );
    }

    async function postFault(fault: object) {
      const response = await fetch(`${app.emulator.url}/__emulator/bulk/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(fault),
      });
      expect(response.status).toBe(200);
    }

    const bulkOperations = () => [...bulkState(app.emulator.store).operations.values()];

    beforeAll(async () => {
      const harness = await startAppHarness(kind);
      if (!harness) throw new Error(`${kind} is not available`);
      app = harness;
      retag = await import("../../app/services/sync/retag.server");
      worker = await import("../../app/services/sync/worker.server");
      route = (await import("../../app/routes/app.sync")) as RouteModule;
      app.emulator.store.registerShop({
        domain: app.shop.shopDomain,
        accessToken: app.shop.accessToken,
        plan: "enterprise",
      });
      Object.assign(bulkState(app.emulator.store).options, { linesPerChunk: 60, chunkIntervalMs: 5 });
      const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
      await saveSurveySettings(app.database, app.shop.shopDomain, {
        frequencyCapDays: 0,
        channels: { surveyLink: false },
      });
      // Some customers already carry an NPS tag of another category (a stale one): the run removes it too.
      await addEmulatorCustomers(
        app.emulator.url,
        app.shop.shopDomain,
        ids.map((id) => ({
          id,
          tags: [...merchantTagsOf(id), ...((id - FIRST_ID) % 7 === 0 ? [OLD.passive] : [])],
        })),
      );
      await addEmulatorOrders(
        app.emulator.url,
        app.shop.shopDomain,
        ids.map((id) => ({ id: id + 1_000_000, customerId: id })),
      );
      const start = Date.now() - 3_600_000;
      for (const [index, id] of ids.entries()) {
        await answerOrder(app.database, app.shop.shopDomain, {
          orderId: id + 1_000_000,
          customerId: id,
          score: index % 11,
          at: new Date(start + index),
          comment: index % 5 === 0 ? `Comment ${index}` : undefined,
        });
      }
      await drainJobs();
    }, 180_000);

    afterAll(async () => {
      await app?.close();
    });

    it("after the tag names change, leaves every customer with exactly the new tag, its metafields and their own tags", async () => {
      const runsBefore = await app.database.bulkRun.count();
      app.emulator.store.requests.length = 0;
      await saveTagNames(RENAMED);
      const run = await app.database.bulkRun.findFirstOrThrow({ where: { shopDomain: app.shop.shopDomain } });
      expect(await app.database.bulkRun.count()).toBe(runsBefore + 1);
      expect(run).toMatchObject({ trigger: "settings", status: "running", activeShop: app.shop.shopDomain });

      const finished = await runUntilFinished(run.id);
      expect(finished).toMatchObject({
        status: "completed",
        activeShop: null,
        customers: CUSTOMERS,
        lineErrors: 0,
      });
      expect(finished.finishedAt).not.toBeNull();
      expect(await customersOutOfStep(RENAMED)).toEqual([]);
      const commented = (await emulatedCustomers()).get(`gid://shopify/Customer/${FIRST_ID + 5}`);
      expect(commented?.metafields.find((field) => field.key === "last_comment")?.value).toBe("Comment 5");

      // Through the bulk flow: three imports, no per-customer customerUpdate or tagsAdd calls.
      const operations = bulkOperations();
      expect(operations).toHaveLength(3);
      expect(operations.every((operation) => operation.status === "COMPLETED")).toBe(true);
      expect(operations.map((operation) => operation.lines.length)).toEqual([
        CUSTOMERS,
        CUSTOMERS,
        CUSTOMERS,
      ]);
      const rootFields = app.emulator.store.requests.flatMap((request) => request.rootFields);
      expect(rootFields.filter((field) => field === "bulkOperationRunMutation")).toHaveLength(3);
      expect(rootFields.filter((field) => field === "stagedUploadsCreate")).toHaveLength(3);
      expect(rootFields).not.toContain("customerUpdate");
      expect(rootFields).not.toContain("tagsAdd");

      const view = await retag.latestRetag(app.database, app.shop.shopDomain);
      expect(view).toMatchObject({
        status: "completed",
        stage: "done",
        interrupted: false,
        processedLines: 3 * CUSTOMERS,
        totalLines: 3 * CUSTOMERS,
        lineErrors: 0,
      });
    }, 120_000);

    it("starts from the button with 202, refuses a second run while one goes with 409, and shows the run", async () => {
      bulkState(app.emulator.store).options.chunkIntervalMs = 50;
      const started = (await callRoute(
        route,
        "action",
        await sendAdminForm({ intent: "retag" }),
      )) as Response;
      expect(started.status).toBe(202);
      const again = (await callRoute(route, "action", await sendAdminForm({ intent: "retag" }))) as Response;
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({
        errors: [{ field: "retag", message: retag.RETAG_CONFLICT_MESSAGE }],
      });

      await workOnce();
      const loaded = (await callRoute(route, "loader", await app.adminRequest("/app/sync"))) as {
        retag: RetagService.RetagRunView;
      };
      expect(loaded.retag).toMatchObject({ trigger: "manual", status: "running", stage: "importing" });
      expect(loaded.retag.totalLines).toBe(3 * CUSTOMERS);
      expect(loaded.retag.processedLines).toBeLessThan(3 * CUSTOMERS);

      bulkState(app.emulator.store).options.chunkIntervalMs = 5;
      const run = await app.database.bulkRun.findFirstOrThrow({ where: { id: loaded.retag.id } });
      expect((await runUntilFinished(run.id)).status).toBe("completed");
      expect(await customersOutOfStep(RENAMED)).toEqual([]);
    }, 120_000);

    it("reports a bulk operation Shopify failed, and a retry completes the re-tag", async () => {
      // One failure is tried again by itself; three in a row fail the run.
      await postFault({
        kind: "fail",
        shop: app.shop.shopDomain,
        operation: "tagsAdd",
        afterLines: 40,
        errorCode: "INTERNAL_SERVER_ERROR",
        times: 3,
      });
      const failing = await retag.startRetag(app.database, app.shop.shopDomain, { pollMs: 20 });
      await saveTagNames(RENAMED_AGAIN); // a rename while the run goes: no second run, the names are read as it prepares
      const failed = await runUntilFinished(failing.id);
      expect(failed.status).toBe("failed");
      expect(failed.lastError).toMatch(/1 of 3 bulk operations failed/);
      expect(failed.lastError).toMatch(/INTERNAL_SERVER_ERROR/);
      const view = await retag.latestRetag(app.database, app.shop.shopDomain);
      expect(view).toMatchObject({ id: failing.id, status: "failed", interrupted: false });
      expect(view?.lastError).toMatch(/Shopify stopped the bulk operation/);
      expect(await customersOutOfStep(RENAMED_AGAIN)).not.toEqual([]);

      const retried = await retag.startRetag(app.database, app.shop.shopDomain, { pollMs: 20 });
      const done = await runUntilFinished(retried.id);
      expect(done).toMatchObject({ status: "completed", lineErrors: 0 });
      expect(await customersOutOfStep(RENAMED_AGAIN)).toEqual([]);
    }, 120_000);

    it("reports the lines Shopify refused: a customer deleted in Shopify", async () => {
      const gone = `gid://shopify/Customer/${FIRST_ID + 1}`;
      const removed = app.emulator.store.shops.get(app.shop.shopDomain)?.customers.get(gone);
      app.emulator.store.shops.get(app.shop.shopDomain)?.customers.delete(gone);
      try {
        const run = await retag.startRetag(app.database, app.shop.shopDomain, { pollMs: 20 });
        const finished = await runUntilFinished(run.id);
        expect(finished).toMatchObject({ status: "completed", lineErrors: 3 });
        const view = await retag.latestRetag(app.database, app.shop.shopDomain);
        expect(view?.errorSample).toHaveLength(3);
        expect(view?.errorSample[0]).toMatch(/line 2: .*Customer does not exist/);
      } finally {
        if (removed) app.emulator.store.shops.get(app.shop.shopDomain)?.customers.set(gone, removed);
      }
    }, 120_000);

    it("resumes after the worker died mid-run: the saved operations are polled, none is submitted twice", async () => {
      await saveTagNames(RENAMED);
      const run = await app.database.bulkRun.findFirstOrThrow({
        where: { shopDomain: app.shop.shopDomain, status: "running" },
      });
      const operationsBefore = bulkOperations().length;
      // The first worker submits one operation, then hangs forever on the second submission: a process that died
      // after saving its progress and before queueing the next poll.
      const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
      let submissions = 0;
      const dying = async (shop: string): Promise<AdminClient> => {
        const real = await adminClientForShop(shop);
        return {
          request(query, variables, cost) {
            if (query.includes("bulkOperationRunMutation")) {
              submissions += 1;
              if (submissions === 2) return new Promise(() => {});
            }
            return real.request(query, variables, cost);
          },
        };
      };
      void worker.runDueJobsOnce(await deps(dying), {
        workerId: "dying-worker",
        batchSize: 10,
        leaseMs: 300,
      });
      for (let waited = 0; submissions < 2; waited += 1) {
        if (waited > 500) throw new Error("the first worker never reached its second submission");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const saved = await app.database.bulkRun.findUniqueOrThrow({ where: { id: run.id } });
      expect(saved.step).toBeGreaterThan(0);
      expect(bulkOperations().length).toBe(operationsBefore + 1);
      const stuck = await app.database.syncJob.findFirstOrThrow({
        where: { kind: "bulk_retag", status: "running", lockedBy: "dying-worker" },
      });
      expect(JSON.parse(stuck.payload).step).toBeLessThan(saved.step);

      // The restarted worker re-claims the job once its lease ran out and carries the run on.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const finished = await runUntilFinished(run.id);
      expect(finished.status).toBe("completed");
      expect(bulkOperations().length).toBe(operationsBefore + 3);
      expect(await customersOutOfStep(RENAMED)).toEqual([]);
      await drainJobs();
      expect(
        await app.database.syncJob.count({
          where: { shopDomain: app.shop.shopDomain, kind: "bulk_retag", status: "dead" },
        }),
      ).toBe(0);
    }, 120_000);
  });
}
