import { env } from "~/env.server";
import { authenticate } from "~/shopify.server";

export interface AdminCaller {
  shopDomain: string;
  demo: boolean;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The demo login exists only when NPS_DEMO=1, the server is bound to loopback, the app URL is loopback and the
 * request itself reached a loopback host without a proxy in between — never on a deployed app.
 */
export function demoLoginAllowed(request: Request): boolean {
  const config = env();
  if (!config.NPS_DEMO || !LOOPBACK_HOSTS.has(config.HOST)) return false;
  if (!LOOPBACK_HOSTS.has(new URL(config.SHOPIFY_APP_URL).hostname)) return false;
  if (request.headers.has("x-forwarded-for") || request.headers.has("x-forwarded-host")) return false;
  const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "");
  return LOOPBACK_HOSTS.has(host);
}

/** The admin's shop: from Shopify's embedded auth, or the demo shop in demo mode. */
export async function requireAdmin(request: Request): Promise<AdminCaller> {
  if (demoLoginAllowed(request)) return { shopDomain: env().DEMO_SHOP, demo: true };
  const { session } = await authenticate.admin(request);
  return { shopDomain: session.shop, demo: false };
}
