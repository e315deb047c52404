import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { pinoHttp } from "pino-http";
import { logger, pathOf, requestIdFrom, runWithLogContext } from "./app/adapters/log.server";
import { parseEnv } from "./app/env.server";

// The production server: the Remix build over express, with the sync worker inside (SYNC_WORKER=on) and a
// graceful shutdown that stops taking requests, then lets the worker finish the batch in hand.
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

type BuildWithBackground = ServerBuild & { entry: { module: { stopBackgroundWork?: () => Promise<void> } } };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const QUIET_PATHS = /^\/(healthz$|assets\/|favicon)/;

function header(request: { headers: Record<string, string | string[] | undefined> }, name: string) {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * One JSON line per request: method, path without its query (tokens travel there), status, time, and the
 * shop/topic/webhook id Shopify names in its headers — never other headers, bodies or the client's address.
 */
function requestLogger() {
  return pinoHttp({
    logger,
    // The id is set by the middleware before; runWithLogContext puts it on every line as reqId.
    genReqId: (request) => request.id,
    serializers: {
      req: (request: { method?: string; url?: string; raw?: express.Request }) => {
        const raw = request.raw;
        const shop = raw ? (header(raw, "x-shopify-shop-domain") ?? raw.query?.shop) : undefined;
        return {
          method: request.method,
          path: pathOf(raw?.originalUrl ?? request.url),
          ...(typeof shop === "string" && SHOP_DOMAIN.test(shop) ? { shop } : {}),
          ...(raw && header(raw, "x-shopify-topic") ? { topic: header(raw, "x-shopify-topic") } : {}),
          ...(raw && header(raw, "x-shopify-webhook-id")
            ? { webhookId: header(raw, "x-shopify-webhook-id") }
            : {}),
        };
      },
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
    customLogLevel: (request, response, error) => {
      if (error || response.statusCode >= 500) return "warn"; // the error itself is logged where it happened
      const url = (request as express.Request).originalUrl ?? request.url;
      return QUIET_PATHS.test(pathOf(url)) ? "debug" : "info";
    },
    customSuccessMessage: () => "request",
    customErrorMessage: () => "request failed",
  });
}

export async function startServer(options: { buildDirectory?: string } = {}): Promise<RunningServer> {
  const config = parseEnv(process.env);
  const buildDirectory = path.resolve(options.buildDirectory ?? "build");
  const build = (await import(
    pathToFileURL(path.join(buildDirectory, "server", "index.js")).href
  )) as BuildWithBackground;

  const app = express();
  app.disable("x-powered-by");
  // Behind one proxy (a load balancer or tunnel) the client is the first X-Forwarded-For hop.
  app.set("trust proxy", 1);
  // A request id per request: the caller's X-Request-Id when it looks like one, else a new one; echoed back.
  app.use((request, response, next) => {
    const id = requestIdFrom(request.headers["x-request-id"]);
    request.id = id;
    response.setHeader("X-Request-Id", id);
    runWithLogContext({ reqId: id }, next);
  });
  app.use(requestLogger());
  app.use(
    "/assets",
    express.static(path.join(buildDirectory, "client", "assets"), { immutable: true, maxAge: "1y" }),
  );
  app.use(express.static(path.join(buildDirectory, "client"), { maxAge: "1h" }));
  app.get("/healthz", (_request, response) => {
    response.json({ ok: true });
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: (request) => ({ clientAddress: request.ip }),
    }),
  );

  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  return {
    url: `http://${config.HOST}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await build.entry.module.stopBackgroundWork?.();
    },
  };
}

// Below the 30 s most orchestrators wait between SIGTERM and SIGKILL.
const SHUTDOWN_GRACE_MS = 25_000;

const isEntryPoint = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  const running = await startServer();
  logger.info({ url: running.url }, "NPS Sync listening");
  const shutdown = async (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutting down");
    // Requests or a Shopify call that hang must not keep the process alive; job leases cover the batch in hand.
    setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, "shutdown took too long");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await running.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
