import { execFileSync } from "node:child_process";
import path from "node:path";
import { readFileSync } from "node:fs";
import { startEmulator } from "../tests/emulator";
import { startStorefront } from "../tests/emulator/storefront";
import { testShop } from "../tests/factories/shop";
import { startCheckoutPreview } from "../tests/preview/checkout-preview";

// `npm run demo`: the emulator, the app on SQLite on loopback, a seeded demo shop. Everything from the environment
// with printed defaults; Ctrl-C stops it all.
const settings = {
  PORT: process.env.PORT ?? "3000",
  EMULATOR_PORT: process.env.EMULATOR_PORT ?? "3100",
  STOREFRONT_PORT: process.env.STOREFRONT_PORT ?? "3200",
  CHECKOUT_PREVIEW_PORT: process.env.CHECKOUT_PREVIEW_PORT ?? "3300",
  SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY ?? "nps-demo-api-key",
  SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET ?? "nps-demo-api-secret",
  DEMO_SHOP: process.env.DEMO_SHOP ?? "nps-demo.myshopify.com",
  DATABASE_URL: process.env.DATABASE_URL ?? "file:./prisma/demo.db",
};
console.log("NPS Sync demo — configuration (override any of these in the environment):");
for (const [key, value] of Object.entries(settings)) console.log(`  ${key}=${value}`);

const emulator = await startEmulator({ port: Number(settings.EMULATOR_PORT) });
Object.assign(process.env, {
  ...settings,
  HOST: "127.0.0.1",
  SHOPIFY_APP_URL: `http://127.0.0.1:${settings.PORT}`,
  SHOPIFY_ADMIN_API_ORIGIN: emulator.url,
  NPS_DEMO: "1",
  NODE_ENV: "production",
});

const { migrateDatabase } = await import("../app/adapters/db/migrations.server");
const { db } = await import("../app/adapters/db/client.server");
const { restoreEmulatorState, seedDemoShop } = await import("./seed");
const { startServer } = await import("../server");

await migrateDatabase(settings.DATABASE_URL);
if (process.env.DEMO_SKIP_BUILD !== "1") {
  console.log("Building the app (remix vite:build)…");
  execFileSync(path.join("node_modules", ".bin", "remix"), ["vite:build"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const database = db();
const shop = testShop({ shopDomain: settings.DEMO_SHOP, name: "NPS Demo Store", plan: "plus" });
if (await database.shop.findUnique({ where: { shopDomain: shop.shopDomain } })) {
  const queued = await restoreEmulatorState(database, emulator.url, shop);
  console.log(
    `Demo shop found in the database; ${queued} customers queued to re-sync into the fresh emulator.`,
  );
} else {
  console.log("Seeding the demo shop (orders → invitations → answers, through the app's services)…");
  const seeded = await seedDemoShop(database, emulator.url, shop);
  console.log(
    `Seeded ${seeded.customers} customers, ${seeded.orders} orders, ${seeded.responses} responses.`,
  );
}

const server = await startServer();
const storefront = await startStorefront({
  appUrl: server.url,
  shop: shop.shopDomain,
  apiSecret: settings.SHOPIFY_API_SECRET,
  widgetScript: readFileSync("extensions/nps-storefront/assets/nps-widget.js", "utf8"),
  port: Number(settings.STOREFRONT_PORT),
});
const checkoutPreview = await startCheckoutPreview({ port: Number(settings.CHECKOUT_PREVIEW_PORT) });
const { signInvitationToken } = await import("../app/domain/invitation-token");
const open = await database.invitation.findFirst({
  where: { shopDomain: shop.shopDomain, status: "pending", expiresAt: { gt: new Date() } },
  orderBy: { createdAt: "desc" },
});
const surveyLink = open
  ? `${storefront.url}/?nps_token=${encodeURIComponent(
      signInvitationToken(
        {
          shop: shop.shopDomain,
          invitationId: open.id,
          expiresAt: Math.floor(open.expiresAt.getTime() / 1000),
        },
        settings.SHOPIFY_API_SECRET,
      ),
    )}`
  : "(no open invitation left)";
console.log(`
NPS Sync demo is running:
  Dashboard        ${server.url}/app
  Storefront       ${surveyLink}
                   (a survey link of order ${open?.orderId ?? "–"}, answered through the signed app proxy)
  Checkout preview ${checkoutPreview.url}
                   (the checkout extension's states, rendered without Shopify)
  Emulator state   ${emulator.url}/__emulator/state?shop=${shop.shopDomain}
Tags reach the emulator through the sync worker within a few seconds. Press Ctrl-C to stop.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await storefront.close();
  await checkoutPreview.close();
  await server.close();
  await database.$disconnect();
  await emulator.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
