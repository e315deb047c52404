import { env } from "~/env.server";
import { unauthenticated } from "~/shopify.server";
import { type AdminClient, createAdminClient } from "./admin-client.server";

/**
 * The shop's offline token comes from Shopify's session handling (which refreshes expiring tokens); the calls go
 * through the app's own throttle-aware client.
 */
export async function adminClientForShop(shopDomain: string): Promise<AdminClient> {
  const { session } = await unauthenticated.admin(shopDomain);
  if (!session.accessToken) throw new Error(`no offline access token for ${shopDomain}`);
  return createAdminClient({
    shop: shopDomain,
    accessToken: session.accessToken,
    apiOrigin: env().SHOPIFY_ADMIN_API_ORIGIN,
  });
}
