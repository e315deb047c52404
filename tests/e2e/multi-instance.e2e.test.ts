import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../app/adapters/db/client.server";
import { type RunningEmulator, startEmulator } from "../emulator";
import { makeCheckoutSessionToken } from "../emulator/session-tokens";
import { sendWebhook, type WebhookDelivery } from "../emulator/webhooks";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../factories/shop";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "../support/app-harness";

// Three production servers (server.ts over the built app, each with its sync worker) on one PostgreSQL database,
// fed round-robin: every order gets one invitation, every answer is stored once, every sync job runs once and
// every answering customer ends with exactly the right tag. The Admin API is the emulator behind a counting
// proxy that records each successful customer and order write.

const INSTANCES = 3;
const ORDERS = 300;
const DUPLICATES = 30;
const ANSWERS = 100;
const BASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: BASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return `PostgreSQL at ${BASE_URL} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unavailable = await postgresUnavailable();
if (unavailable) {
  console.warn(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!\n!! ${unavailable}: the multi-instance suite is SKIPPED.\n!!!!!!!!!!!!!!!!!!!!!!!!\n`,
  );
}

interface Instance {
  child: ChildProcess;
  url: string;
  lines: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function startInstance(env: Record<string, string | undefined>): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: process.cwd(),
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${stderr.join("")}`)), 60_000);
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split("\n");
      buffered = complete.pop() ?? "";
      for (const line of complete) {
        lines.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === "NPS Sync listening" && entry.url) {
            clearTimeout(timer);
            resolve({ child, url: entry.url, lines, stderr, exited });
          }
        } catch {
          // not JSON: kept in `lines`, asserted on below
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code} before listening:\n${stderr.join("")}`));
    });
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Forwards to the emulator and counts successful writes: customerUpdate per customer, metafieldsSet per owner. */
async function startCountingProxy(emulatorUrl: string) {
  const customerWrites = new Map<string, number>();
  const orderWrites = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = request.method === "GET" ? undefined : await readBody(request);
      const headers: Record<string, string> = {};
      for (const name of ["content-type", "x-shopify-access-token", "accept"]) {
        const value = request.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const upstream = await fetch(`${emulatorUrl}${request.url}`, { method: request.method, headers, body });
      const text = await upstream.text();
      try {
        const sent = JSON.parse(body ?? "{}") as { query?: string; variables?: Record<string, unknown> };
        const answer = JSON.parse(text) as { data?: Record<string, { userErrors?: unknown[] } | null> };
        const query = sent.query ?? "";
        const update = answer.data?.customerUpdate;
        if (/customerUpdate\s*\(/.test(query) && update && update.userErrors?.length === 0) {
          count(customerWrites, String((sent.variables?.input as { id?: string } | undefined)?.id));
        }
        const set = answer.data?.metafieldsSet;
        if (/metafieldsSet\s*\(/.test(query) && set && set.userErrors?.length === 0) {
          const metafields = (sent.variables?.metafields ?? []) as { ownerId: string }[];
          for (const metafield of metafields) count(orderWrites, metafield.ownerId);
        }
      } catch {
        // not a GraphQL exchange
      }
      response.writeHead(upstream.status, {
        "Content-Type": upstream.headers.get("content-type") ?? "application/json",
      });
      response.end(text);
    })().catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    customerWrites,
    orderWrites,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function inPool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

const CATEGORY_OF = (score: number) => (score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor");

describe.skipIf(unavailable !== null)("several app instances on one PostgreSQL database", () => {
  const shop = testShop({ shopDomain: "nps-multi.myshopify.com", name: "Multi Instance Co", plan: "plus" });
  const databaseName = `nps_multi_${process.pid}_${randomUUID().slice(0, 8)}`;
  const databaseUrl = withDatabase(BASE_URL, databaseName);
  const customerIds = Array.from({ length: ORDERS }, (_, index) => 710_001 + index);
  const orderIds = Array.from({ length: ORDERS }, (_, index) => 810_001 + index);
  const scoreOf = (index: number) => index % 11;
  let emulator: RunningEmulator;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let database: Database;
  let instances: Instance[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await admin.end();
    const { migrateDatabase } = await import("../../app/adapters/db/migrations.server");
    await migrateDatabase(databaseUrl);
    emulator = await startEmulator();
    proxy = await startCountingProxy(emulator.url);
    const { createDatabase } = await import("../../app/adapters/db/client.server");
    database = createDatabase(databaseUrl);
    await installTestShop(database, emulator.url, shop);
    await addEmulatorCustomers(
      emulator.url,
      shop.shopDomain,
      customerIds.map((id, index) => ({ id, tags: index % 4 === 0 ? ["vip"] : [] })),
    );
    await addEmulatorOrders(
      emulator.url,
      shop.shopDomain,
      orderIds.map((id, index) => ({ id, customerId: customerIds[index] })),
    );

    const childEnv: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(process.env))
      if (!key.startsWith("VITEST")) childEnv[key] = value;
    Object.assign(childEnv, {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_ADMIN_API_ORIGIN: proxy.url,
      SYNC_WORKER: "on",
      SYNC_WORKER_INTERVAL_MS: "200",
      NPS_DEMO: "0",
    });
    delete childEnv.LOG_LEVEL; // the production default: the app's JSON lines at info, Shopify's libraries at warn
    instances = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance(childEnv)));
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill("SIGKILL");
    await database?.$disconnect();
    await proxy?.close();
    await emulator?.close();
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }, 60_000);

  it("answers /healthz on every instance and echoes request ids", async () => {
    for (const instance of instances) {
      const response = await fetch(`${instance.url}/healthz`, {
        headers: { "X-Request-Id": "probe-0001-abc" },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(response.headers.get("x-request-id")).toBe("probe-0001-abc");
    }
    const generated = await fetch(`${instances[0]!.url}/healthz`, { headers: { "X-Request-Id": "bad id!" } });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("takes orders, replays and answers round-robin, then syncs every job exactly once", async () => {
    // 300 deliveries and 30 replays (same webhook id), each replay right behind its original, so the two land
    // on different instances at about the same time.
    const deliveries: WebhookDelivery[] = orderIds.map((id, index) => ({
      topic: "orders/create",
      shop: shop.shopDomain,
      apiSecret: TEST_API_SECRET,
      webhookId: `multi-${id}`,
      payload: orderPayload({ id, customerId: customerIds[index] }),
    }));
    const sequence = deliveries.flatMap((delivery, index) =>
      index % (ORDERS / DUPLICATES) === 0 ? [delivery, delivery] : [delivery],
    );
    expect(sequence).toHaveLength(ORDERS + DUPLICATES);
    const outcomes = await inPool(sequence, 24, async (delivery, index) => {
      const instance = instances[index % INSTANCES]!;
      const response = await sendWebhook(`${instance.url}/webhooks/orders/create`, delivery);
      expect(response.status).toBe(200);
      return ((await response.json()) as { outcome: string }).outcome;
    });
    expect(outcomes.filter((outcome) => outcome === "recorded")).toHaveLength(ORDERS);
    expect(outcomes.filter((outcome) => outcome === "duplicate")).toHaveLength(DUPLICATES);

    // 100 shoppers fetch their survey and answer it, each on another instance than the one before; ten of
    // them answer a second time on yet another instance and are refused.
    const answered = await inPool(customerIds.slice(0, ANSWERS), 20, async (customerId, index) => {
      const orderGid = `gid://shopify/Order/${orderIds[index]}`;
      const token = await makeCheckoutSessionToken({
        shop: shop.shopDomain,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        sub: `gid://shopify/Customer/${customerId}`,
      });
      const headers = {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "X-Forwarded-For": `10.1.${Math.floor(index / 250)}.${index % 250}`,
        // Shopify's authenticate.public.* answers requests from bots (node's own User-Agent is one) with 410.
        "User-Agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      };
      const survey = await fetch(
        `${instances[index % INSTANCES]!.url}/api/checkout/survey?orderId=${encodeURIComponent(orderGid)}`,
        { headers },
      );
      expect({ index, status: survey.status, body: await survey.json() }).toMatchObject({
        index,
        status: 200,
        body: { show: true },
      });
      const body = JSON.stringify({ orderId: orderGid, score: scoreOf(index), comment: `answer ${index}` });
      const answer = await fetch(`${instances[(index + 1) % INSTANCES]!.url}/api/checkout/responses`, {
        method: "POST",
        headers,
        body,
      });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toMatchObject({
        category: CATEGORY_OF(scoreOf(index)),
        status: "confirmed",
      });
      if (index % 10 === 0) {
        const again = await fetch(`${instances[(index + 2) % INSTANCES]!.url}/api/checkout/responses`, {
          method: "POST",
          headers,
          body,
        });
        expect(again.status).toBe(409);
      }
      return customerId;
    });
    expect(answered).toHaveLength(ANSWERS);

    // The three workers drain the queue.
    await expect
      .poll(() => database.syncJob.count({ where: { status: { in: ["pending", "running"] } } }), {
        timeout: 120_000,
        interval: 250,
      })
      .toBe(0);

    const invitations = await database.invitation.groupBy({
      by: ["orderId"],
      where: { shopDomain: shop.shopDomain },
      _count: { _all: true },
    });
    expect(invitations).toHaveLength(ORDERS);
    expect(invitations.every((group) => group._count._all === 1)).toBe(true);
    expect(await database.webhookDelivery.count({ where: { shopDomain: shop.shopDomain } })).toBe(ORDERS);

    const responses = await database.response.findMany({ where: { shopDomain: shop.shopDomain } });
    expect(responses).toHaveLength(ANSWERS);
    expect(new Set(responses.map((response) => response.invitationId)).size).toBe(ANSWERS);
    expect(new Set(responses.map((response) => response.orderId)).size).toBe(ANSWERS);

    const jobs = await database.syncJob.findMany({ where: { shopDomain: shop.shopDomain } });
    expect(jobs.filter((job) => job.status !== "done")).toEqual([]);
    expect(jobs.filter((job) => job.attempts !== 1)).toEqual([]);
    const kinds = jobs.reduce<Record<string, number>>((counts, job) => {
      counts[job.kind] = (counts[job.kind] ?? 0) + 1;
      return counts;
    }, {});
    expect(kinds).toEqual({
      ensure_setup: 1,
      order_survey_link: ORDERS,
      customer_category: ANSWERS,
      // No flow_trigger: no Flow workflow of the shop uses the trigger (no lifecycle callback said so).
      enrich_customer: ANSWERS,
    });

    // Shopify saw one customer write per answering customer and at most one survey-link write per order (none
    // for an order answered before its link job ran).
    for (const [index, customerId] of customerIds.entries()) {
      const writes = proxy.customerWrites.get(`gid://shopify/Customer/${customerId}`) ?? 0;
      expect({ customerId, writes }).toEqual({ customerId, writes: index < ANSWERS ? 1 : 0 });
    }
    for (const [index, orderId] of orderIds.entries()) {
      const writes = proxy.orderWrites.get(`gid://shopify/Order/${orderId}`) ?? 0;
      if (index < ANSWERS) expect(writes).toBeLessThanOrEqual(1);
      else expect({ orderId, writes }).toEqual({ orderId, writes: 1 });
    }

    const customers = emulator.store.shops.get(shop.shopDomain)!.customers;
    for (const [index, customerId] of customerIds.entries()) {
      const tags = customers.get(`gid://shopify/Customer/${customerId}`)?.tags ?? [];
      const kept = index % 4 === 0 ? ["vip"] : [];
      const expected = index < ANSWERS ? [...kept, `nps:${CATEGORY_OF(scoreOf(index))}`] : kept;
      expect({ customerId, tags: [...tags].sort() }).toEqual({ customerId, tags: expected.sort() });
    }
  }, 240_000);

  it("logs JSON lines only, with no errors, and stops cleanly on SIGTERM", async () => {
    for (const instance of instances) instance.child.kill("SIGTERM");
    const codes = await Promise.all(instances.map((instance) => instance.exited));
    expect(
      codes.map((code, index) => (code === 0 ? 0 : { code, log: instances[index]!.lines.slice(-8) })),
    ).toEqual(instances.map(() => 0));
    for (const instance of instances) {
      const entries = instance.lines.filter((line) => line.trim()).map((line) => JSON.parse(line));
      expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
      expect(
        entries.some((entry) => entry.msg === "request" && entry.req?.path === "/api/checkout/responses"),
      ).toBe(true);
      expect(entries.at(-1)).toMatchObject({ msg: "stopped" });
      expect(instance.stderr.join("")).toBe("");
    }
  }, 30_000);
});
