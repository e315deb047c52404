import { isDatabaseUnavailable } from "~/adapters/db/unavailable.server";
import type { FieldError } from "~/domain/survey-answer";
import { ServiceError } from "~/services/service-error";

// Public endpoints answer every problem as HTTP status + JSON `{ errors: [{ field, message }] }`.
export const PUBLIC_CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Max-Age": "7200",
};

// JSON is read by fetch, never shown in a frame: no page may frame these answers (the embedded admin's documents
// get the shop's frame-ancestors from Shopify's addDocumentResponseHeaders in entry.server.tsx instead).
export const NOT_FRAMEABLE_HEADERS = {
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
};

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      ...PUBLIC_CORS_HEADERS,
      ...NOT_FRAMEABLE_HEADERS,
      ...headers,
    },
  });
}

export function errorResponse(status: number, errors: FieldError[], reason?: string): Response {
  return jsonResponse(reason ? { errors, reason } : { errors }, status);
}

export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Reads a JSON body of at most `maxBytes`, without trusting Content-Length. */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    throw new ServiceError("invalid", { field: "body", message: "Content-Type must be application/json" });
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = new ServiceError("too_large", {
    field: "body",
    message: `body must be at most ${maxBytes} bytes`,
  });
  if (declared > maxBytes) throw tooLarge;
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge;
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new ServiceError("invalid", { field: "body", message: "body must be valid JSON" });
  }
}

// The bodiless refusals Shopify's authenticate.* throw, named: 405 for a method it does not take, 410 for a bot's
// User-Agent, 400 for a request it cannot read.
const SHOPIFY_REFUSALS: Record<number, FieldError> = {
  400: { field: "request", message: "the request is malformed" },
  405: { field: "method", message: "this method is not allowed here" },
  410: { field: "user-agent", message: "requests from bots are not answered" },
};

/** 503 + Retry-After: the database is briefly away (a restart, a cut connection); the caller should retry. */
export function databaseUnavailableResponse(): Response {
  const response = errorResponse(503, [
    { field: "database", message: "the service is briefly unavailable, retry in a few seconds" },
  ]);
  response.headers.set("Retry-After", "2");
  return response;
}

/** Turns a thrown ServiceError (or a Response thrown by Shopify's auth) into the JSON error contract. */
export function toErrorResponse(error: unknown): Response {
  if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
  if (error instanceof ServiceError) {
    const response = errorResponse(error.status, error.errors, error.reason);
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter) response.headers.set("Retry-After", String(retryAfter));
    return response;
  }
  if (error instanceof Response) {
    if (error.status === 401 || error.status === 403) {
      return errorResponse(401, [{ field: "authorization", message: "a valid session token is required" }]);
    }
    if (error.status >= 400 && !error.headers.get("content-type")?.startsWith("application/json")) {
      const refusal = SHOPIFY_REFUSALS[error.status] ?? {
        field: "request",
        message: error.statusText || "refused",
      };
      return errorResponse(error.status, [refusal]);
    }
    return error;
  }
  throw error;
}

/** For routes that only read: answers a CORS preflight, refuses other methods with 405. */
export function preflightOrMethodNotAllowed(request: Request): Response {
  if (request.method === "OPTIONS") {
    return new Response(null, { status: 204, headers: { ...PUBLIC_CORS_HEADERS, ...NOT_FRAMEABLE_HEADERS } });
  }
  return errorResponse(405, [{ field: "method", message: `${request.method} is not allowed here` }]);
}
