import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../emulator";
import { startStorefront } from "../emulator/storefront";
import { orderPayload } from "../factories/order-payload";
import { addEmulatorCustomers, addEmulatorOrders, installTestShop, testShop } from "../factories/shop";
import { chromiumPath, launchChromium } from "../support/chromium";
import { freePort } from "../support/free-port";

const executable = chromiumPath();
const API_SECRET = "storefront-e2e-secret";

describe.skipIf(!executable)("the storefront widget in Chromium, answered with the keyboard only", () => {
  let emulator: RunningEmulator;
  let browser: BrowserContext;
  let server: { url: string; close(): Promise<void> };
  let storefront: { url: string; close(): Promise<void> };
  let token = "";
  let directory = "";
  const shop = testShop({ shopDomain: "nps-storefront.myshopify.com", name: "Linen & Co", plan: "plus" });

  beforeAll(async () => {
    emulator = await startEmulator();
    const port = await freePort();
    directory = mkdtempSync(path.join(tmpdir(), "nps-e2e-"));
    Object.assign(process.env, {
      DATABASE_URL: `file:${path.join(directory, "storefront.db")}`,
      SHOPIFY_API_KEY: "storefront-key",
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      NPS_DEMO: "0",
      SYNC_WORKER: "on",
      SYNC_WORKER_INTERVAL_MS: "100",
    });
    const { migrateDatabase } = await import("../../app/adapters/db/migrations.server");
    await migrateDatabase(process.env.DATABASE_URL ?? "");
    const { db } = await import("../../app/adapters/db/client.server");
    await installTestShop(db(), emulator.url, shop);
    await addEmulatorCustomers(emulator.url, shop.shopDomain, [{ id: 9001, tags: ["vip"] }]);
    await addEmulatorOrders(emulator.url, shop.shopDomain, [{ id: 88001, customerId: 9001 }]);
    const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
    await handleOrderWebhook(db(), {
      shopDomain: shop.shopDomain,
      topic: "orders/create",
      webhookId: "storefront-e2e",
      payload: orderPayload({ id: 88001, customerId: 9001 }),
    });
    const invitation = await db().invitation.findFirstOrThrow({ where: { orderId: "88001" } });
    const { signInvitationToken } = await import("../../app/domain/invitation-token");
    token = signInvitationToken(
      { shop: shop.shopDomain, invitationId: invitation.id, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
      API_SECRET,
    );
    const { startServer } = await import("../../server");
    server = await startServer();
    storefront = await startStorefront({
      appUrl: server.url,
      shop: shop.shopDomain,
      apiSecret: API_SECRET,
      widgetScript: readFileSync("extensions/nps-storefront/assets/nps-widget.js", "utf8"),
    });
    browser = await launchChromium(executable!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await storefront?.close();
    await server?.close();
    await emulator?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("opens from a survey link, takes a 9 and a comment by keyboard, stores it and tags the customer", async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${storefront.url}/?nps_token=${encodeURIComponent(token)}`);
    const dialog = page.locator('[role="dialog"]');
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(page.url()).not.toContain("nps_token");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("DIV"); // focus is inside the shadow host
    for (let step = 0; step < 9; step += 1) await page.keyboard.press("ArrowRight");
    await page.locator("textarea").waitFor();
    await page.screenshot({ path: path.join("tests", "e2e", "screenshots", "storefront-survey.png") });
    expect(await page.locator('input[type="radio"]:checked').getAttribute("value")).toBe("9");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Lovely linen, quick delivery");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Thank you! We're so glad you love us." }).waitFor();
    await page.screenshot({ path: path.join("tests", "e2e", "screenshots", "storefront-widget.png") });

    const { db } = await import("../../app/adapters/db/client.server");
    const response = await db().response.findFirstOrThrow({ where: { orderId: "88001" } });
    expect(response).toMatchObject({
      score: 9,
      category: "promoter",
      channel: "survey_link",
      comment: "Lovely linen, quick delivery",
    });
    await expect
      .poll(
        async () =>
          emulator.store.shops.get(shop.shopDomain)?.customers.get("gid://shopify/Customer/9001")?.tags,
        {
          timeout: 15_000,
        },
      )
      .toEqual(["vip", "nps:promoter"]);

    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
