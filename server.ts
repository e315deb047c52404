import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { parseEnv } from "./app/env.server";

// The production server: the Remix build over express, with the sync worker inside (SYNC_WORKER=on) and a
// graceful shutdown that stops taking requests, then lets the worker finish the batch in hand.
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

type BuildWithBackground = ServerBuild & { entry: { module: { stopBackgroundWork?: () => Promise<void> } } };

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

const isEntryPoint = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  const running = await startServer();
  console.log(`NPS Sync listening on ${running.url}`);
  const shutdown = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
