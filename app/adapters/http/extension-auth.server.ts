import { parseCustomerId } from "~/domain/order-gid";
import { authenticate } from "~/shopify.server";
import { db } from "~/adapters/db/client.server";
import { findInstalledShop } from "~/services/shops.server";
import { ServiceError } from "~/services/service-error";

export interface ExtensionCaller {
  shopDomain: string;
  shopName: string;
  customerId: string | null;
}

/** `dest` arrives as a bare shop domain or as a URL; both name the same shop. */
export function shopFromDest(dest: string): string | null {
  try {
    const hostname = new URL(dest.includes("://") ? dest : `https://${dest}`).hostname.toLowerCase();
    return /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(hostname) ? hostname : null;
  } catch {
    return null;
  }
}

/**
 * Verifies the extension's session token and that its shop has the app installed (Shopify's
 * authenticate.public.* do not check the audience or the installation).
 */
export async function authenticateExtension(
  request: Request,
  surface: "checkout" | "customerAccount",
): Promise<ExtensionCaller> {
  const { sessionToken } =
    surface === "checkout"
      ? await authenticate.public.checkout(request)
      : await authenticate.public.customerAccount(request);
  const shopDomain = typeof sessionToken.dest === "string" ? shopFromDest(sessionToken.dest) : null;
  if (!shopDomain) {
    throw new ServiceError("unauthorized", {
      field: "authorization",
      message: "the session token names no shop",
    });
  }
  const shop = await findInstalledShop(db(), shopDomain);
  if (!shop) {
    throw new ServiceError("unauthorized", {
      field: "authorization",
      message: "the shop has not installed NPS Sync",
    });
  }
  const sub = typeof sessionToken.sub === "string" ? parseCustomerId(sessionToken.sub) : null;
  return { shopDomain, shopName: shop.name ?? shopDomain.replace(".myshopify.com", ""), customerId: sub };
}
