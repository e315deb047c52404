import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../app/adapters/db/client.server";
import { type RunningEmulator, startEmulator } from "../emulator";
import { makeCheckoutSessionToken } from "../emulator/session-tokens";
import { buildWebhookRequest } from "../emulator/webhooks";
import { customersOutOfStep } from "../factories/answers";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../factories/shop";
import { callRoute, TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/app-harness";
import { describeOnDatabase } from "../support/describe-on-database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { freshDatabaseUrl } from "../support/test-databases";

// PostgreSQL restarts while shoppers answer and the sync worker runs. The machine's server cannot be restarted
// here, so the app and a worker process reach it through a TCP proxy that drops every connection and refuses new
// ones for 2 s. Requests in that window must get a clear 503 (clients retry, as Shopify and the extension do),
// nothing accepted may be lost, nothing stored twice, and the worker must carry on by itself.

const ORDERS = 150;
const CONCURRENCY = 6;
const CUT_AFTER_ORDERS = 40;
const CUT_MS = 2_000;
const FIRST_CUSTOMER = 70_000;
const FIRST_ORDER = 80_000;

type RouteModule = Parameters<typeof callRoute>[0];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

interface Attempt {
  status: number;
  body: string;
  retryAfter: string | null;
}

describeOnDatabase("postgresql", "PostgreSQL restarting under a stream of answers and sync jobs", () => {
  let proxy: TcpProxy;
  let emulator: RunningEmulator;
  let database: Database;
  let worker: ChildProcess | null = null;
  let workerStderr = "";
  let proxiedUrl = "";
  let routes: { ordersCreate: RouteModule; checkoutResponses: RouteModule };
  const shop = testShop({
    shopDomain: "restart-shop.myshopify.com",
    name: "Restart Shop",
    plan: "enterprise",
  });

  beforeAll(async () => {
    const direct = await freshDatabaseUrl("postgresql");
    if (!direct) throw new Error("PostgreSQL is not available");
    const target = new URL(direct);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.port = String(proxy.port);
    proxiedUrl = target.toString();
    emulator = await startEmulator();
    Object.assign(process.env, {
      DATABASE_URL: proxiedUrl,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      SYNC_WORKER: "off",
      NPS_DEMO: "0",
    });
    const { db } = await import("../../app/adapters/db/client.server");
    database = db();
    await installTestShop(database, emulator.url, shop);
    const { saveSurveySettings } = await import("../../app/services/survey-settings.server");
    const { currentSurvey } = await import("../../app/services/shops.server");
    const { settings } = await currentSurvey(database, shop.shopDomain);
    await saveSurveySettings(database, shop.shopDomain, {
      ...settings,
      frequencyCapDays: 0,
      channels: { ...settings.channels, surveyLink: false },
    });
    const customers = Array.from({ length: ORDERS }, (_, index) => FIRST_CUSTOMER + index);
    await addEmulatorCustomers(
      emulator.url,
      shop.shopDomain,
      customers.map((id) => ({ id, tags: ["merchant-tag"] })),
    );
    await addEmulatorOrders(
      emulator.url,
      shop.shopDomain,
      customers.map((id, index) => ({ id: FIRST_ORDER + index, customerId: id })),
    );
    routes = {
      ordersCreate: (await import("../../app/routes/webhooks.orders.create")) as RouteModule,
      checkoutResponses: (await import("../../app/routes/api.checkout.responses")) as RouteModule,
    };
  }, 60_000);

  afterAll(async () => {
    worker?.kill("SIGKILL");
    await Promise.race([database?.$disconnect(), sleep(5_000)]);
    await proxy?.close();
    await emulator?.close();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/sync-worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: proxiedUrl,
        SYNC_LEASE_MS: "3000",
        SYNC_WORKER_INTERVAL_MS: "100",
        SYNC_BATCH_SIZE: "10",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      workerStderr += chunk.toString("utf8");
    });
    return child;
  }

  async function attempt(route: RouteModule, request: () => Promise<Request>): Promise<Attempt> {
    const answer = (await callRoute(route, "action", await request())) as Response;
    return {
      status: answer.status,
      body: await answer.text(),
      retryAfter: answer.headers.get("Retry-After"),
    };
  }

  /** Sends until the answer is not a 503, as Shopify's retries and the extension's do; returns every attempt. */
  async function untilAnswered(route: RouteModule, request: () => Promise<Request>): Promise<Attempt[]> {
    const attempts: Attempt[] = [];
    for (;;) {
      const result = await attempt(route, request);
      attempts.push(result);
      if (result.status !== 503) return attempts;
      await sleep(150);
    }
  }

  it("answers 503 while PostgreSQL is away, loses and doubles nothing, and the worker recovers on its own", async () => {
    worker = startWorker();
    const perOrder: { webhook: Attempt[]; answer: Attempt[]; score: number }[] = [];
    let next = 0;
    let finished = 0;
    let cutStarted: Promise<void> | null = null;

    async function lane() {
      while (next < ORDERS) {
        const index = next++;
        const orderId = FIRST_ORDER + index;
        const score = index % 11;
        const webhookId = `restart-${orderId}`;
        const body = orderPayload({ id: orderId, customerId: FIRST_CUSTOMER + index });
        // Shopify re-sends a failed delivery with the same webhook id.
        const webhook = await untilAnswered(routes.ordersCreate, async () =>
          buildWebhookRequest(`${TEST_APP_URL}/webhooks/orders/create`, {
            topic: "orders/create",
            shop: shop.shopDomain,
            payload: body,
            apiSecret: TEST_API_SECRET,
            webhookId,
            eventId: `event-${orderId}`,
          }),
        );
        const answer = await untilAnswered(
          routes.checkoutResponses,
          async () =>
            new Request(`${TEST_APP_URL}/api/checkout/responses`, {
              method: "POST",
              headers: {
                Authorization: `Bearer ${await makeCheckoutSessionToken({
                  shop: shop.shopDomain,
                  apiKey: TEST_API_KEY,
                  apiSecret: TEST_API_SECRET,
                })}`,
                "Content-Type": "application/json",
              },
              body: JSON.stringify({ orderId: `gid://shopify/Order/${orderId}`, score }),
            }),
        );
        perOrder[index] = { webhook, answer, score };
        finished += 1;
        if (finished === CUT_AFTER_ORDERS && !cutStarted) {
          cutStarted = (async () => {
            await proxy.cut();
            await sleep(CUT_MS);
            await proxy.restore();
          })();
        }
      }
    }

    await Promise.all(Array.from({ length: CONCURRENCY }, () => lane()));
    await cutStarted;
    // A worker that lost every connection used to exit silently (its poll timer did not keep it alive).
    expect(worker.exitCode, `the worker survived the cut (stderr: ${workerStderr})`).toBeNull();

    const attempts = perOrder.flatMap((order) => [...order.webhook, ...order.answer]);
    const unavailable = attempts.filter((result) => result.status === 503);
    // the cut really hit requests, and each was told clearly to come back
    expect(unavailable.length).toBeGreaterThan(0);
    for (const result of unavailable) {
      expect(JSON.parse(result.body)).toMatchObject({ errors: [{ field: "database" }] });
      expect(Number(result.retryAfter)).toBeGreaterThan(0);
    }
    // nothing else went wrong: no 500, no crash (callRoute would have thrown)
    const statuses = new Set(attempts.map((result) => result.status));
    expect([...statuses].filter((status) => ![200, 201, 409, 503].includes(status))).toEqual([]);
    for (const order of perOrder) {
      const final = order.answer.at(-1)!;
      if (final.status === 409) {
        // only when an attempt that got 503 had in fact been committed: the answer is then stored once
        expect(order.answer.some((result) => result.status === 503)).toBe(true);
      } else {
        expect(final.status).toBe(201);
      }
      expect(order.webhook.at(-1)!.status).toBe(200);
    }

    const responses = await database.response.findMany({ where: { shopDomain: shop.shopDomain } });
    expect(responses).toHaveLength(ORDERS);
    expect(new Set(responses.map((response) => response.orderId)).size).toBe(ORDERS);
    for (const [index, order] of perOrder.entries()) {
      const stored = responses.find((response) => response.orderId === String(FIRST_ORDER + index));
      expect(stored?.score).toBe(order.score);
      expect(stored?.status).toBe("confirmed");
      const accepted = order.answer.find((result) => result.status === 201);
      if (accepted) expect((JSON.parse(accepted.body) as { id: string }).id).toBe(stored?.id);
    }
    expect(await database.webhookDelivery.count({ where: { shopDomain: shop.shopDomain } })).toBe(ORDERS);
    expect(await database.invitation.count({ where: { shopDomain: shop.shopDomain } })).toBe(ORDERS);

    // The worker went through the same cut; it finishes the queue on its own, and Shopify ends up exact.
    const open = () =>
      database.syncJob.count({
        where: { shopDomain: shop.shopDomain, status: { in: ["pending", "running"] } },
      });
    await waitFor(async () => (await open()) === 0, 90_000, "the worker to drain the queue");
    expect(worker.exitCode, `the worker is still running (stderr: ${workerStderr})`).toBeNull();
    expect(await database.syncJob.count({ where: { shopDomain: shop.shopDomain, status: "dead" } })).toBe(0);
    expect(await customersOutOfStep(database, emulator.url, shop.shopDomain, "merchant-tag")).toEqual([]);
    expect(await database.customerProfile.count({ where: { shopDomain: shop.shopDomain } })).toBe(ORDERS);

    worker.kill("SIGTERM");
    expect(await exited(worker)).toBe(0);
    worker = null;
  }, 180_000);
});
