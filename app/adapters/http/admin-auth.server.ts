import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";
import { demoLoginAllowed } from "./demo-login.server";
import { errorResponse } from "./json.server";

export interface AdminCaller {
  shopDomain: string;
  demo: boolean;
}

/** The admin's shop: from Shopify's embedded auth, or the demo shop in demo mode. */
export async function requireAdmin(request: Request): Promise<AdminCaller> {
  if (demoLoginAllowed(request)) return { shopDomain: env().DEMO_SHOP, demo: true };
  const { session } = await authenticate.admin(request);
  // Shopify's auth trusts the session token and ignores `?shop=`, but the document's CSP frame-ancestors is
  // built from `?shop=`: a page of one shop must never be served as framable by another shop's domain.
  const named = new URL(request.url).searchParams.get("shop");
  if (named !== null && named.toLowerCase() !== session.shop) {
    throw errorResponse(403, [{ field: "shop", message: "shop does not match the signed-in shop" }]);
  }
  return { shopDomain: session.shop, demo: false };
}
