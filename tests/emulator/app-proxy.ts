import { createHmac } from "node:crypto";

// Shopify signs app-proxy requests: hex HMAC-SHA256 over the sorted `key=value` pairs (array values joined with
// ","), concatenated without separators, the signature itself left out.
type ProxyParams = Record<string, string | string[] | number | undefined>;

export function signAppProxyQuery(params: ProxyParams, apiSecret: string): string {
  const message = Object.entries(params)
    .filter(([key, value]) => key !== "signature" && value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : String(value)}`)
    .sort()
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

export function appProxyUrl(
  baseUrl: string,
  params: ProxyParams & { shop: string },
  apiSecret: string,
): string {
  const full: ProxyParams = {
    path_prefix: "/apps/nps",
    timestamp: Math.floor(Date.now() / 1000),
    logged_in_customer_id: "",
    ...params,
  };
  const url = new URL(baseUrl);
  for (const [key, value] of Object.entries(full)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  url.searchParams.set("signature", signAppProxyQuery(full, apiSecret));
  return url.toString();
}
