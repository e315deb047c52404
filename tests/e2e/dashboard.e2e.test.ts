import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../emulator";
import { testShop } from "../factories/shop";
import { chromiumPath, launchChromium } from "../support/chromium";
import { freePort } from "../support/free-port";

const executable = chromiumPath();
if (!executable)
  console.warn(
    "\n!! Debian chromium is not installed: the e2e suite is SKIPPED (apt-get install chromium)\n",
  );

describe.skipIf(!executable)("the admin dashboard in Chromium (demo mode)", () => {
  let emulator: RunningEmulator;
  let browser: BrowserContext;
  let server: { url: string; close(): Promise<void> };
  let expectedNps: number;
  let databaseDirectory = "";
  let expectedResponses: number;
  const shop = testShop({ shopDomain: "nps-e2e.myshopify.com", name: "NPS E2E Store", plan: "plus" });

  beforeAll(async () => {
    emulator = await startEmulator();
    const port = await freePort();
    databaseDirectory = mkdtempSync(path.join(tmpdir(), "nps-e2e-"));
    const databaseFile = path.join(databaseDirectory, "e2e.db");
    Object.assign(process.env, {
      DATABASE_URL: `file:${databaseFile}`,
      SHOPIFY_API_KEY: "e2e-key",
      SHOPIFY_API_SECRET: "e2e-secret",
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
      HOST: "127.0.0.1",
      PORT: String(port),
      NPS_DEMO: "1",
      DEMO_SHOP: shop.shopDomain,
      SYNC_WORKER: "off",
    });
    const { migrateDatabase } = await import("../../app/adapters/db/migrations.server");
    await migrateDatabase(`file:${databaseFile}`);
    const { db } = await import("../../app/adapters/db/client.server");
    const { seedDemoShop } = await import("../../scripts/seed");
    await seedDemoShop(db(), emulator.url, shop, { customers: 60, orders: 120 });
    const { summarizeNps } = await import("../../app/domain/nps");
    const count = (category: string) =>
      db().response.count({ where: { shopDomain: shop.shopDomain, status: "confirmed", category } });
    const summary = summarizeNps({
      promoters: await count("promoter"),
      passives: await count("passive"),
      detractors: await count("detractor"),
    });
    expectedNps = Math.round(summary.nps ?? Number.NaN);
    expectedResponses = summary.responses;
    const { startServer } = await import("../../server");
    server = await startServer();
    browser = await launchChromium(executable!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await emulator?.close();
    if (databaseDirectory) rmSync(databaseDirectory, { recursive: true, force: true });
  });

  it("shows the shop's NPS, its margin and the number of responses computed from the database", async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${server.url}/app?days=365`);
    const headline = page.locator("#nps-headline");
    await headline.waitFor();
    const text = (await headline.textContent())?.trim();
    expect(text).toMatch(new RegExp(`^NPS ${expectedNps} ± \\d+, ${expectedResponses} responses$`));
    const { db } = await import("../../app/adapters/db/client.server");
    const open = await db().followUp.count({ where: { shopDomain: shop.shopDomain, status: "open" } });
    expect(open).toBeGreaterThan(0);
    await page.getByText(`${open} open follow-ups`, { exact: true }).waitFor();
    await page.screenshot({
      path: path.join("tests", "e2e", "screenshots", "dashboard.png"),
      fullPage: true,
    });
    expect(consoleErrors).toEqual([]);
  });

  it("narrows every figure to the channel chosen in the URL, as the database counts it", async () => {
    const { db } = await import("../../app/adapters/db/client.server");
    const { summarizeNps } = await import("../../app/domain/nps");
    const since = new Date(Date.now() - 365 * 86_400_000);
    const count = (category: string) =>
      db().response.count({
        where: {
          shopDomain: shop.shopDomain,
          status: "confirmed",
          channel: "thank_you",
          category,
          createdAt: { gte: since },
        },
      });
    const summary = summarizeNps({
      promoters: await count("promoter"),
      passives: await count("passive"),
      detractors: await count("detractor"),
    });
    expect(summary.responses).toBeGreaterThan(0);
    expect(summary.responses).toBeLessThan(expectedResponses);
    const page = await browser.newPage();
    await page.goto(`${server.url}/app?days=365&channel=thank_you`);
    const headline = (await page.locator("#nps-headline").textContent())?.trim();
    expect(headline).toMatch(
      new RegExp(`^NPS ${Math.round(summary.nps ?? Number.NaN)} ± \\d+, ${summary.responses} responses$`),
    );
  });

  it("shows on the segments page the new and returning customers' answers the database holds", async () => {
    const { db } = await import("../../app/adapters/db/client.server");
    const since = new Date(Date.now() - 365 * 86_400_000);
    const answers = (returningCustomer: boolean) =>
      db().response.count({
        where: {
          shopDomain: shop.shopDomain,
          status: "confirmed",
          returningCustomer,
          createdAt: { gte: since },
        },
      });
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(`${server.url}/app/segments?days=365`);
    await page.getByRole("heading", { name: "Segments and drivers", level: 1 }).waitFor();
    for (const [label, returning] of [
      ["New customers", false],
      ["Returning customers", true],
    ] as const) {
      // The segment table's row (segment, responses, NPS); the key drivers table names the same fact too.
      const rows = page.getByRole("row").filter({ has: page.getByText(label, { exact: true }) });
      const tables = await Promise.all(
        (await rows.all()).map(async (row) =>
          (await row.locator("th, td").allTextContents()).map((cell) => cell.trim()),
        ),
      );
      const segmentRow = tables.find((cells) => cells.length === 3);
      expect(segmentRow?.[1]).toBe(String(await answers(returning)));
    }
    await page.screenshot({ path: "tests/e2e/screenshots/segments.png", fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it("opens the comments, follow-ups, settings, sync and data request pages without errors and shows shoppers' text as text", async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    for (const [path, heading] of [
      ["/app/comments", "Comments"],
      ["/app/follow-ups", "Detractor follow-ups"],
      ["/app/settings", "Survey settings"],
      ["/app/sync", "Sync health"],
      ["/app/data-requests", "Customer data requests"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      const name = path.split("/").pop() ?? "page";
      await page.screenshot({ path: `tests/e2e/screenshots/${name}.png`, fullPage: true });
    }
    expect(consoleErrors).toEqual([]);
  });
});
