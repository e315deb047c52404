import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appProxyUrl, type RunningEmulator, startEmulator } from "../emulator";
import { makeCheckoutSessionToken } from "../emulator/session-tokens";
import { signWebhookBody, webhookHeaders } from "../emulator/webhooks";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../factories/shop";
import { freePort } from "../support/free-port";

// The production server (the built app over server.ts, with its sync worker) runs a realistic flow with every
// log line — the app's JSON lines at level debug and whatever Shopify's libraries print on the console — captured,
// then the capture is scanned for secrets and shoppers' personal data.

const API_KEY = "log-scan-key";
const API_SECRET = "log-scan-secret-6c1f0e2b9a";
const EMAIL = "jane.doe.logscan@example.com";
const PHONE = "+1 415 555 0134";
const COMMENT = `The parcel arrived broken. Call me on ${PHONE} or write to ${EMAIL}, I am Jane Doe`;
const SECOND_COMMENT = "Lovely linen, the second order was perfect";
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const SECOND_EMAIL = "john.roe.logscan@example.com";
// Two shoppers (the frequency cap would suppress a second invitation of one shopper), an order each.
const CUSTOMERS = [9301, 9302];
const ORDERS = [93_001, 93_002];

async function waitFor(check: () => Promise<boolean>, explain: () => Promise<string>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the sync worker: ${await explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("logs of a realistic flow at level debug", () => {
  const shop = testShop({ shopDomain: "nps-logscan.myshopify.com", name: "Log Scan Co", plan: "plus" });
  const lines: string[] = [];
  const consoleLines: string[] = [];
  const secrets: Record<string, string> = {};
  let emulator: RunningEmulator;
  let server: { url: string; close(): Promise<void> };
  let directory = "";
  const responses: Record<string, Response> = {};

  beforeAll(async () => {
    emulator = await startEmulator();
    const port = await freePort();
    directory = mkdtempSync(path.join(tmpdir(), "nps-log-scan-"));
    Object.assign(process.env, {
      DATABASE_URL: `file:${path.join(directory, "log-scan.db")}`,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      NPS_DEMO: "0",
      SYNC_WORKER: "on",
      SYNC_WORKER_INTERVAL_MS: "100",
      LOG_LEVEL: "debug",
    });
    // Shopify's libraries log through the console (at debug too, with LOG_LEVEL=debug).
    for (const method of ["log", "info", "debug", "warn"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map(String).join(" "));
      });
    }
    const { setLogDestination } = await import("../../app/adapters/log.server");
    setLogDestination({ write: (line) => lines.push(line) }, { level: "debug" });

    const { migrateDatabase } = await import("../../app/adapters/db/migrations.server");
    await migrateDatabase(process.env.DATABASE_URL ?? "");
    const { db } = await import("../../app/adapters/db/client.server");
    await installTestShop(db(), emulator.url, shop);
    await addEmulatorCustomers(emulator.url, shop.shopDomain, [
      { id: CUSTOMERS[0]!, email: EMAIL, tags: ["vip"] },
      { id: CUSTOMERS[1]!, email: SECOND_EMAIL },
    ]);
    await addEmulatorOrders(
      emulator.url,
      shop.shopDomain,
      ORDERS.map((id, index) => ({ id, customerId: CUSTOMERS[index] })),
    );
    const { startServer } = await import("../../server");
    server = await startServer();

    secrets.apiSecret = API_SECRET;
    secrets.accessToken = shop.accessToken;
    secrets.email = EMAIL;
    secrets.secondEmail = SECOND_EMAIL;
    secrets.phone = PHONE;
    secrets.comment = COMMENT;
    secrets.secondComment = SECOND_COMMENT;

    // orders/create for both orders, the customer's email and name in the payload; the first one replayed.
    for (const [index, id] of ORDERS.entries()) {
      const email = index === 0 ? EMAIL : SECOND_EMAIL;
      const order = orderPayload({ id, customerId: CUSTOMERS[index], email });
      const payload = {
        ...order,
        phone: PHONE,
        customer: { ...order.customer, email, first_name: "Jane", last_name: "Doe", phone: PHONE },
      };
      const body = JSON.stringify(payload);
      const delivery = { topic: "orders/create", shop: shop.shopDomain, payload, apiSecret: API_SECRET };
      const headers: Record<string, string> = {
        ...webhookHeaders(delivery, body),
        "X-Request-Id": `log-scan-webhook-${index}`,
      };
      secrets[`hmac${index}`] = headers["X-Shopify-Hmac-Sha256"] ?? "";
      responses[`webhook${index}`] = await fetch(`${server.url}/webhooks/orders/create`, {
        method: "POST",
        headers,
        body,
      });
      if (index === 0) {
        responses.replay = await fetch(`${server.url}/webhooks/orders/create`, {
          method: "POST",
          headers,
          body,
        });
        // A forged delivery: signed with another secret.
        responses.forged = await fetch(`${server.url}/webhooks/orders/create`, {
          method: "POST",
          headers: { ...headers, "X-Shopify-Hmac-Sha256": signWebhookBody(body, "not-the-secret") },
          body,
        });
      }
    }

    // The thank-you page: survey, then a detractor's answer whose comment holds a phone number and an email.
    const sessionToken = await makeCheckoutSessionToken({
      shop: shop.shopDomain,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      sub: `gid://shopify/Customer/${CUSTOMERS[0]}`,
    });
    secrets.sessionToken = sessionToken;
    const checkoutHeaders = {
      Authorization: `Bearer ${sessionToken}`,
      "Content-Type": "application/json",
      "User-Agent": BROWSER,
      Cookie: "_secure_session_id=cookie-secret-value",
    };
    secrets.cookie = "cookie-secret-value";
    const orderGid = `gid://shopify/Order/${ORDERS[0]}`;
    responses.survey = await fetch(
      `${server.url}/api/checkout/survey?orderId=${encodeURIComponent(orderGid)}`,
      {
        headers: checkoutHeaders,
      },
    );
    responses.answer = await fetch(`${server.url}/api/checkout/responses`, {
      method: "POST",
      headers: checkoutHeaders,
      body: JSON.stringify({ orderId: orderGid, score: 3, comment: COMMENT, locale: "en" }),
    });
    const forgedToken = await makeCheckoutSessionToken({
      shop: shop.shopDomain,
      apiKey: API_KEY,
      apiSecret: "wrong-secret",
    });
    secrets.forgedToken = forgedToken;
    responses.forgedSession = await fetch(
      `${server.url}/api/checkout/survey?orderId=${encodeURIComponent(orderGid)}`,
      { headers: { ...checkoutHeaders, Authorization: `Bearer ${forgedToken}` } },
    );

    // The storefront through the app proxy, with the second order's survey-link token, in the query and the body.
    const { signInvitationToken } = await import("../../app/domain/invitation-token");
    const invitation = await db().invitation.findFirstOrThrow({ where: { orderId: String(ORDERS[1]) } });
    const invitationToken = signInvitationToken(
      { shop: shop.shopDomain, invitationId: invitation.id, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
      API_SECRET,
    );
    secrets.invitationToken = invitationToken;
    const proxyParams = { shop: shop.shopDomain, logged_in_customer_id: String(CUSTOMERS[1]) };
    responses.proxySurvey = await fetch(
      appProxyUrl(`${server.url}/proxy/survey`, { ...proxyParams, token: invitationToken }, API_SECRET),
      { headers: { "User-Agent": BROWSER } },
    );
    responses.proxyAnswer = await fetch(
      appProxyUrl(`${server.url}/proxy/responses`, proxyParams, API_SECRET),
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": BROWSER },
        body: JSON.stringify({
          token: invitationToken,
          orderId: `gid://shopify/Order/${ORDERS[1]}`,
          score: 10,
          comment: SECOND_COMMENT,
        }),
      },
    );

    // The sync worker writes the category to the customer and survey links (signed tokens) to the orders.
    await waitFor(
      async () => {
        const customers = emulator.store.shops.get(shop.shopDomain)?.customers;
        const tags = CUSTOMERS.map((id) => customers?.get(`gid://shopify/Customer/${id}`)?.tags ?? []);
        const open = await db().syncJob.count({ where: { status: { not: "done" } } });
        return open === 0 && tags[0]!.includes("nps:detractor") && tags[1]!.includes("nps:promoter");
      },
      async () =>
        JSON.stringify({
          statuses: Object.fromEntries(Object.entries(responses).map(([key, value]) => [key, value.status])),
          jobs: await db().syncJob.findMany({ select: { kind: true, status: true, lastError: true } }),
          lines: lines.slice(-5),
        }),
    );
    for (const order of emulator.store.shops.get(shop.shopDomain)?.orders.values() ?? []) {
      for (const metafield of order.metafields) {
        const token = new URL(metafield.value).searchParams.get("nps_token");
        if (token) secrets[`surveyLink${order.id}`] = token;
      }
    }
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
    const { setLogDestination } = await import("../../app/adapters/log.server");
    setLogDestination(null);
    await emulator?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("ran the flow the scan is about", async () => {
    expect(responses.webhook0?.status).toBe(200);
    expect(responses.webhook1?.status).toBe(200);
    expect(await responses.replay?.json()).toMatchObject({ outcome: "duplicate" });
    expect(responses.forged?.status).toBe(401);
    expect(responses.survey?.status).toBe(200);
    expect(responses.answer?.status).toBe(201);
    expect(responses.forgedSession?.status).toBe(401);
    expect(responses.proxySurvey?.status).toBe(200);
    expect(responses.proxyAnswer?.status).toBe(201);
    expect(Object.keys(secrets).filter((key) => key.startsWith("surveyLink"))).not.toHaveLength(0);
    expect(responses.webhook0?.headers.get("x-request-id")).toBe("log-scan-webhook-0");
    expect(responses.survey?.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("wrote JSON lines with request ids, paths without queries, statuses and sync jobs", () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.msg === "request") as {
      reqId?: string;
      req: { method: string; path: string; shop?: string; topic?: string };
      res: { statusCode: number };
      responseTime: number;
    }[];
    expect(requests.find((entry) => entry.reqId === "log-scan-webhook-0")).toMatchObject({
      req: { method: "POST", path: "/webhooks/orders/create", shop: shop.shopDomain, topic: "orders/create" },
      res: { statusCode: 200 },
    });
    expect(
      requests.some((entry) => entry.res.statusCode === 401 && entry.req.path === "/webhooks/orders/create"),
    ).toBe(true);
    expect(requests.find((entry) => entry.req.path === "/proxy/survey")).toMatchObject({
      req: { shop: shop.shopDomain },
      res: { statusCode: 200 },
    });
    expect(requests.every((entry) => !entry.req.path.includes("?") && typeof entry.reqId === "string")).toBe(
      true,
    );
    expect(entries.filter((entry) => entry.msg === "sync job done").length).toBeGreaterThanOrEqual(3);
    expect(entries.filter((entry) => (entry.level as number) >= 50)).toEqual([]);
  });

  it("holds none of the secrets, tokens, emails or comments", () => {
    expect(lines.length).toBeGreaterThan(10);
    const needles = {
      ...secrets,
      commentStart: COMMENT.slice(0, 24),
      secondCommentStart: SECOND_COMMENT.slice(0, 20),
      emailLocalPart: "jane.doe.logscan",
      name: "Jane Doe",
    };
    const leaksIn = (output: string[]) => {
      const text = output.join("\n");
      return Object.entries(needles)
        .filter(([, needle]) => text.includes(needle))
        .map(([name]) => name);
    };
    expect(leaksIn(lines)).toEqual([]);
    // Shopify's libraries log through shopifyLogFunction (app/shopify.server.ts), so their lines are scrubbed
    // too: at debug they would otherwise print a rejected session token in full.
    expect(leaksIn(consoleLines)).toEqual([]);
  });
});
