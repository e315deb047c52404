import { rmSync } from "node:fs";
import path from "node:path";
import { setUpValidRequest, RequestType } from "@shopify/shopify-api/test-helpers";
import type { Database } from "../../app/adapters/db/client.server";
import type { SyncDependencies } from "../../app/services/sync/run-job.server";
import { type RunningEmulator, startEmulator } from "../emulator";
import { makeCheckoutSessionToken } from "../emulator/session-tokens";
import { type WebhookDelivery, buildWebhookRequest } from "../emulator/webhooks";
import { addEmulatorOrders, installTestShop, type TestShop, testShop } from "../factories/shop";
import { type DatabaseKind, freshDatabaseUrl } from "./test-databases";

export const TEST_API_KEY = "nps-test-api-key";
export const TEST_API_SECRET = "nps-test-api-secret";
export const TEST_APP_URL = "http://127.0.0.1:3999";

type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
type RouteModule = {
  loader?: (args: RouteArgs) => unknown;
  action?: (args: RouteArgs) => unknown;
};

async function importRoutes() {
  return {
    ordersCreate: (await import("../../app/routes/webhooks.orders.create")) as RouteModule,
    ordersFulfilled: (await import("../../app/routes/webhooks.orders.fulfilled")) as RouteModule,
    fulfillmentEventsCreate: (await import(
      "../../app/routes/webhooks.fulfillment_events.create"
    )) as RouteModule,
    appUninstalled: (await import("../../app/routes/webhooks.app.uninstalled")) as RouteModule,
    customersRedact: (await import("../../app/routes/webhooks.customers.redact")) as RouteModule,
    customersDataRequest: (await import("../../app/routes/webhooks.customers.data_request")) as RouteModule,
    shopRedact: (await import("../../app/routes/webhooks.shop.redact")) as RouteModule,
    checkoutSurvey: (await import("../../app/routes/api.checkout.survey")) as RouteModule,
    checkoutResponses: (await import("../../app/routes/api.checkout.responses")) as RouteModule,
    dashboard: (await import("../../app/routes/app._index")) as RouteModule,
  };
}

export type Routes = Awaited<ReturnType<typeof importRoutes>>;

/** Runs a route's loader or action the way Remix does and returns what it answered. */
export async function callRoute(
  route: RouteModule,
  kind: "loader" | "action",
  request: Request,
  context: Record<string, unknown> = {},
  params: Record<string, string> = {},
): Promise<Response | unknown> {
  const handler = route[kind];
  if (!handler) throw new Error(`route has no ${kind}`);
  try {
    return await handler({ request, params, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export interface AppHarness {
  kind: DatabaseKind;
  database: Database;
  emulator: RunningEmulator;
  shop: TestShop;
  routes: Routes;
  /** Sends a signed webhook for the harness's shop, or for `overrides.shop`. */
  webhook(topic: string, payload: unknown, overrides?: Partial<WebhookDelivery>): Promise<Response>;
  checkoutToken(options?: { sub?: string; shopDomain?: string }): Promise<string>;
  /** POSTs an answer to /api/checkout/responses as the thank-you page does, with a fresh session token. */
  checkoutAnswer(body: Record<string, unknown>): Promise<Response>;
  adminRequest(path: string): Promise<Request>;
  /** What the sync worker runs with in production, against this harness's database and emulator. */
  syncDependencies: SyncDependencies;
  runSync(): Promise<{ claimed: number; done: number; retried: number; dead: number }>;
  /** Runs the worker until no job is due (jobs waiting for a later time stay); throws if `maxRuns` batches did not do it. */
  drainSync(maxRuns?: number): Promise<void>;
  emulatorCustomer(
    id: number,
  ): Promise<{ id: string; tags: string[]; metafields: { key: string; value: string }[] } | null>;
  close(): Promise<void>;
}

/**
 * The app wired as in production — its routes, services and database — with the local emulator in Shopify's
 * place, reached only through SHOPIFY_ADMIN_API_ORIGIN. Returns null when the database kind is unavailable.
 */
export async function startAppHarness(kind: DatabaseKind): Promise<AppHarness | null> {
  const databaseUrl = await freshDatabaseUrl(kind);
  if (!databaseUrl) return null;
  const emulator = await startEmulator();
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
    SYNC_WORKER: "off",
    NPS_DEMO: "0",
  });
  const { db } = await import("../../app/adapters/db/client.server");
  const { runDueJobsOnce } = await import("../../app/services/sync/worker.server");
  const { adminClientForShop } = await import("../../app/adapters/shopify-admin/admin-for-shop.server");
  const database = db();
  const shop = testShop();
  await installTestShop(database, emulator.url, shop);
  const routes = await importRoutes();
  const syncDependencies = { database, adminFor: adminClientForShop, surveyLinkSecret: TEST_API_SECRET };
  const runSync = () => runDueJobsOnce(syncDependencies, { batchSize: 100 });

  return {
    kind,
    database,
    emulator,
    shop,
    routes,
    async webhook(topic, payload, overrides = {}) {
      const order = payload as { id?: unknown; customer?: { id?: unknown } | null };
      if (topic.startsWith("orders/") && typeof order.id === "number") {
        const customerId = typeof order.customer?.id === "number" ? order.customer.id : null;
        await addEmulatorOrders(emulator.url, overrides.shop ?? shop.shopDomain, [
          { id: order.id, customerId },
        ]);
      }
      const route = {
        "orders/create": routes.ordersCreate,
        "orders/fulfilled": routes.ordersFulfilled,
        "fulfillment_events/create": routes.fulfillmentEventsCreate,
        "app/uninstalled": routes.appUninstalled,
        "customers/redact": routes.customersRedact,
        "customers/data_request": routes.customersDataRequest,
        "shop/redact": routes.shopRedact,
      }[topic];
      if (!route) throw new Error(`no route for ${topic}`);
      const request = buildWebhookRequest(`${TEST_APP_URL}/webhooks/${topic}`, {
        topic,
        shop: shop.shopDomain,
        payload,
        apiSecret: TEST_API_SECRET,
        ...overrides,
      });
      return (await callRoute(route, "action", request)) as Response;
    },
    checkoutToken(options = {}) {
      return makeCheckoutSessionToken({
        shop: options.shopDomain ?? shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        ...(options.sub ? { sub: options.sub } : {}),
      });
    },
    async checkoutAnswer(body) {
      const token = await makeCheckoutSessionToken({
        shop: shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
      });
      const request = new Request(`${TEST_APP_URL}/api/checkout/responses`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          Origin: "https://extensions.shopifycdn.com",
          "Content-Type": "application/json",
        },
        body: JSON.stringify(body),
      });
      return (await callRoute(routes.checkoutResponses, "action", request)) as Response;
    },
    adminRequest(path) {
      return setUpValidRequest(
        {
          type: RequestType.Bearer,
          store: shop.shopDomain.replace(".myshopify.com", ""),
          apiKey: TEST_API_KEY,
          apiSecretKey: TEST_API_SECRET,
        },
        new Request(`${TEST_APP_URL}${path}`),
      );
    },
    syncDependencies,
    runSync,
    async drainSync(maxRuns = 11) {
      for (let runs = 0; ; runs += 1) {
        const due = await database.syncJob.count({
          where: { status: { in: ["pending", "running"] }, runAt: { lte: new Date() } },
        });
        if (due === 0) return;
        if (runs >= maxRuns) throw new Error("sync jobs did not drain");
        await runSync();
      }
    },
    async emulatorCustomer(id) {
      const response = await fetch(`${emulator.url}/__emulator/state?shop=${shop.shopDomain}`);
      const state = (await response.json()) as {
        shops: {
          customers: { id: string; tags: string[]; metafields: { key: string; value: string }[] }[];
        }[];
      };
      return (
        state.shops[0]?.customers.find((customer) => customer.id === `gid://shopify/Customer/${id}`) ?? null
      );
    },
    async close() {
      await database.$disconnect();
      await emulator.close();
      if (databaseUrl.startsWith("file:"))
        rmSync(path.dirname(databaseUrl.slice(5)), { recursive: true, force: true });
    },
  };
}
