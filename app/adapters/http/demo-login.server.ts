import { type Env, env } from "~/env.server";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The demo login exists only when NPS_DEMO=1, the server is bound to loopback, the app URL is loopback and the
 * request itself reached a loopback host without a proxy in between — never on a deployed app.
 */
export function demoLoginAllowed(request: Request, config: Env = env()): boolean {
  if (!config.NPS_DEMO || !LOOPBACK_HOSTS.has(config.HOST)) return false;
  if (!LOOPBACK_HOSTS.has(new URL(config.SHOPIFY_APP_URL).hostname)) return false;
  if (request.headers.has("x-forwarded-for") || request.headers.has("x-forwarded-host")) return false;
  const host = (request.headers.get("host") ?? new URL(request.url).host).replace(/:\d+$/, "");
  return LOOPBACK_HOSTS.has(host);
}
