import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../emulator";
import { installTestShop, testShop } from "../factories/shop";
import { freePort } from "../support/free-port";

// Framing rules of the production build over HTTP. The embedded admin's documents may be framed only by the shop
// they belong to and Shopify's admin (Shopify's addDocumentResponseHeaders, wired in app/entry.server.tsx); the
// public JSON endpoints (extensions, app proxy, webhooks) may be framed by nobody.

const API_KEY = "csp-key";
const API_SECRET = "csp-secret";
// Shopify's auth answers 410 to bots, and node's fetch identifies as one.
const BROWSER = {
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
};

describe("security headers of the production build", () => {
  let emulator: RunningEmulator;
  let server: { url: string; close(): Promise<void> };
  let databaseDirectory = "";
  const shopA = testShop({ shopDomain: "frame-a.myshopify.com", name: "Frame A" });
  const shopB = testShop({ shopDomain: "frame-b.myshopify.com", name: "Frame B" });

  beforeAll(async () => {
    emulator = await startEmulator();
    const port = await freePort();
    databaseDirectory = mkdtempSync(path.join(tmpdir(), "nps-csp-"));
    const databaseUrl = `file:${path.join(databaseDirectory, "csp.db")}`;
    Object.assign(process.env, {
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      NPS_DEMO: "0",
      SYNC_WORKER: "off",
    });
    const { migrateDatabase } = await import("../../app/adapters/db/migrations.server");
    await migrateDatabase(databaseUrl);
    const { db } = await import("../../app/adapters/db/client.server");
    for (const shop of [shopA, shopB]) await installTestShop(db(), emulator.url, shop);
    const { startServer } = await import("../../server");
    server = await startServer();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    if (databaseDirectory) rmSync(databaseDirectory, { recursive: true, force: true });
  });

  /** The URL Shopify's admin loads in its iframe: /app?embedded=1&shop=…&host=…&id_token=<the shop's token>. */
  async function embeddedUrl(shopDomain: string, pathname = "/app"): Promise<URL> {
    const request = await setUpValidRequest(
      {
        type: RequestType.Admin,
        store: shopDomain.replace(".myshopify.com", ""),
        apiKey: API_KEY,
        apiSecretKey: API_SECRET,
      },
      new Request(`${server.url}${pathname}`),
    );
    return new URL(request.url);
  }

  const frameAncestors = (response: Response) =>
    /frame-ancestors ([^;]*)/.exec(response.headers.get("content-security-policy") ?? "")?.[1]?.split(" ") ??
    [];

  it("serves shop A's embedded admin frameable by shop A and Shopify's admin only, never by shop B", async () => {
    for (const pathname of ["/app", "/app/settings", "/app/follow-ups"]) {
      const response = await fetch(await embeddedUrl(shopA.shopDomain, pathname), { headers: BROWSER });
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/html");
      const ancestors = frameAncestors(response);
      expect(ancestors, pathname).toContain(`https://${shopA.shopDomain}`);
      expect(ancestors, pathname).toContain("https://admin.shopify.com");
      expect(
        ancestors.some((source) => source.includes(shopB.shopDomain)),
        pathname,
      ).toBe(false);
      expect(
        ancestors.some((source) => source === "*" || source === "https:"),
        pathname,
      ).toBe(false);
      await response.body?.cancel();
    }
    const other = await fetch(await embeddedUrl(shopB.shopDomain), { headers: BROWSER });
    expect(frameAncestors(other)).toContain(`https://${shopB.shopDomain}`);
    expect(frameAncestors(other)).not.toContain(`https://${shopA.shopDomain}`);
    await other.body?.cancel();
  });

  it("refuses to serve shop A's admin document under shop B's domain when ?shop= is rewritten", async () => {
    const url = await embeddedUrl(shopA.shopDomain);
    url.searchParams.set("shop", shopB.shopDomain);

    const response = await fetch(url, { headers: BROWSER });

    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).not.toContain(shopA.name);
    expect(body).not.toContain("NPS Sync</");
  });

  it("lets no page frame the public JSON endpoints of the extensions, the app proxy and the webhooks", async () => {
    const requests: [string, RequestInit][] = [
      ["/api/checkout/survey?orderId=gid://shopify/Order/1", {}],
      ["/api/checkout/responses", { method: "POST", body: "{}" }],
      ["/api/customer-account/survey?orderId=gid://shopify/Order/1", {}],
      ["/api/customer-account/responses", { method: "OPTIONS" }],
      [`/proxy/survey?shop=${shopA.shopDomain}`, {}],
      [`/proxy/responses?shop=${shopA.shopDomain}`, { method: "POST", body: "{}" }],
      ["/webhooks/orders/create", { method: "POST", body: "{}" }],
      ["/webhooks/customers/redact", {}],
    ];
    for (const [pathname, init] of requests) {
      const response = await fetch(`${server.url}${pathname}`, { ...init, headers: BROWSER });
      const where = `${init.method ?? "GET"} ${pathname} → ${response.status}`;
      expect(response.status, where).toBeLessThan(500);
      expect(frameAncestors(response), where).toEqual(["'none'"]);
      expect(response.headers.get("x-frame-options"), where).toBe("DENY");
      await response.body?.cancel();
    }
  });
});
