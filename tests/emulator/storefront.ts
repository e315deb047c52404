import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { signAppProxyQuery } from "./app-proxy";

// A stand-in for the shop's online store: serves a page with the theme app embed's config and script, and
// forwards /apps/nps/* to the app's /proxy/* with the signature Shopify's app proxy adds.
export interface StorefrontOptions {
  appUrl: string;
  shop: string;
  apiSecret: string;
  widgetScript: string;
  locale?: string;
  loggedInCustomerId?: string;
  port?: number;
}

export async function startStorefront(
  options: StorefrontOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const config = {
    proxy: "/apps/nps",
    locale: options.locale ?? "en",
    loggedIn: Boolean(options.loggedInCustomerId),
    askLoggedIn: true,
    position: "bottom-right",
    accent: "#008060",
    text: "#202223",
  };
  const page = `<!doctype html><html lang="${config.locale}"><head><meta charset="utf-8"><title>Demo store</title><link rel="icon" href="data:,"></head>
<body><main><h1>Thanks for shopping with us</h1><p>Our new collection is here.</p></main>
<script type="application/json" id="nps-sync-config">${JSON.stringify(config)}</script>
<script src="/assets/nps-widget.js" defer></script></body></html>`;

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://storefront.local");
    if (url.pathname === "/assets/nps-widget.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" });
      return response.end(options.widgetScript);
    }
    if (url.pathname.startsWith("/apps/nps/")) {
      const params: Record<string, string> = Object.fromEntries(url.searchParams.entries());
      Object.assign(params, {
        shop: options.shop,
        path_prefix: "/apps/nps",
        timestamp: String(Math.floor(Date.now() / 1000)),
        logged_in_customer_id: options.loggedInCustomerId ?? "",
      });
      const target = new URL(`${options.appUrl}/proxy/${url.pathname.slice("/apps/nps/".length)}`);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      target.searchParams.set("signature", signAppProxyQuery(params, options.apiSecret));
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const forwarded = await fetch(target, {
        method: request.method,
        headers: { "Content-Type": request.headers["content-type"] ?? "application/json" },
        ...(request.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(forwarded.status, {
        "Content-Type": forwarded.headers.get("content-type") ?? "application/json",
      });
      return response.end(Buffer.from(await forwarded.arrayBuffer()));
    }
    if (url.pathname === "/" || url.pathname === "/pages/thanks") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return response.end(page);
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
