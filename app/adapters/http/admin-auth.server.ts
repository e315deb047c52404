import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";
import { demoLoginAllowed } from "./demo-login.server";

export interface AdminCaller {
  shopDomain: string;
  demo: boolean;
}

/** The admin's shop: from Shopify's embedded auth, or the demo shop in demo mode. */
export async function requireAdmin(request: Request): Promise<AdminCaller> {
  if (demoLoginAllowed(request)) return { shopDomain: env().DEMO_SHOP, demo: true };
  const { session } = await authenticate.admin(request);
  return { shopDomain: session.shop, demo: false };
}
