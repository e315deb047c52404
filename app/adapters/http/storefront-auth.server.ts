import { db } from "~/adapters/db/client.server";
import { parseCustomerId } from "~/domain/order-gid";
import type { StorefrontCaller } from "~/services/responses/storefront-survey.server";
import { ServiceError } from "~/services/service-error";
import { findInstalledShop } from "~/services/shops.server";
import { authenticate } from "~/shopify.server";
import { shopFromDest } from "./extension-auth.server";

const notInstalled = () =>
  new ServiceError("unauthorized", { field: "shop", message: "the shop has not installed NPS Sync" });

/** Verifies the app-proxy signature (Shopify signs every proxied request) and that the shop has the app. */
export async function authenticateStorefront(request: Request): Promise<StorefrontCaller> {
  const url = new URL(request.url);
  const shopDomain = url.searchParams.get("shop") ?? "";
  // Shopify's appProxy check throws (a 500) instead of refusing a `shop` that is no shop domain.
  if (shopFromDest(shopDomain) !== shopDomain) {
    throw new ServiceError("unauthorized", {
      field: "shop",
      message: "shop must be a *.myshopify.com domain",
    });
  }
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    throw new ServiceError("unauthorized", {
      field: "signature",
      message: "the request must come through the shop's app proxy with a valid signature",
    });
  }
  const shop = await findInstalledShop(db(), shopDomain);
  if (!shop) throw notInstalled();
  const loggedIn = url.searchParams.get("logged_in_customer_id");
  return {
    shopDomain,
    shopName: shop.name ?? shopDomain.replace(".myshopify.com", ""),
    loggedInCustomerId: loggedIn ? parseCustomerId(loggedIn) : null,
  };
}
