import type { Database } from "../../app/adapters/db/client.server";
import { installShop } from "../../app/services/shops.server";

export interface TestShop {
  shopDomain: string;
  accessToken: string;
  name: string;
  plan: "standard" | "advanced" | "plus" | "enterprise";
}

export function testShop(overrides: Partial<TestShop> = {}): TestShop {
  const shopDomain = overrides.shopDomain ?? "nps-test.myshopify.com";
  return {
    shopDomain,
    accessToken: overrides.accessToken ?? `shpat_${shopDomain.split(".")[0]}_token`,
    name: overrides.name ?? "NPS Test Shop",
    plan: overrides.plan ?? "standard",
  };
}

/**
 * What a finished OAuth leaves behind — the shop registered with the (emulated) Admin API, its offline session
 * stored, and the app's install flow run — without a browser or a partner account.
 */
export async function installTestShop(
  database: Database,
  emulatorUrl: string,
  shop: TestShop,
): Promise<void> {
  const registered = await fetch(`${emulatorUrl}/__emulator/shops`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      domain: shop.shopDomain,
      accessToken: shop.accessToken,
      plan: shop.plan,
      name: shop.name,
    }),
  });
  if (!registered.ok) throw new Error(`emulator refused the shop: ${registered.status}`);
  await database.session.upsert({
    where: { id: `offline_${shop.shopDomain}` },
    create: {
      id: `offline_${shop.shopDomain}`,
      shop: shop.shopDomain,
      state: "installed",
      isOnline: false,
      scope: "read_orders,read_customers,write_customers",
      accessToken: shop.accessToken,
    },
    update: { accessToken: shop.accessToken },
  });
  await installShop(database, { shopDomain: shop.shopDomain, name: shop.name });
}

export async function addEmulatorCustomers(
  emulatorUrl: string,
  shopDomain: string,
  customers: { id: number; email?: string; tags?: string[] }[],
): Promise<void> {
  const response = await fetch(`${emulatorUrl}/__emulator/shops/${shopDomain}/customers`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customers }),
  });
  if (!response.ok) throw new Error(`emulator refused the customers: ${response.status}`);
}

/** Shopify has the order before it sends orders/create: register it so metafields can be written on it. */
export async function addEmulatorOrders(
  emulatorUrl: string,
  shopDomain: string,
  orders: { id: number; customerId?: number | null; name?: string }[],
): Promise<void> {
  const response = await fetch(`${emulatorUrl}/__emulator/shops/${shopDomain}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ orders }),
  });
  if (!response.ok) throw new Error(`emulator refused the orders: ${response.status}`);
}
