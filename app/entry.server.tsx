import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startBackgroundWork, stopBackgroundWork } from "~/adapters/background.server";
import { logger } from "~/adapters/log.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

export const streamTimeout = 5000;

// Unknown URLs are the client's problem (a 404 page), not a server error worth logging.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status === 404)) return;
  logger.error({ err: error, method: request.method, path: new URL(request.url).pathname }, "request error");
};

// The server process also runs the sync worker (SYNC_WORKER=on); server.ts stops it on shutdown.
startBackgroundWork();
export { stopBackgroundWork };

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger.error({ err: error, path: new URL(request.url).pathname }, "render error");
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
