import { db } from "~/adapters/db/client.server";
import type { FieldError } from "~/domain/survey-answer";
import { everInstalled } from "~/services/shops.server";
import { storableJson } from "~/domain/text";
import { authenticate } from "~/shopify.server";
import { errorResponse, jsonResponse, toErrorResponse } from "./json.server";

export interface VerifiedWebhook {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  payload: unknown;
}

const HMAC_HEADER = "x-shopify-hmac-sha256";
const REQUIRED_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-api-version",
  "x-shopify-webhook-id",
];

/**
 * Shopify's authenticate.webhook answers a refused delivery with a bodiless 401 (HMAC), 400 (headers or body
 * missing) or 405 (method), and throws a SyntaxError for a signed body that is not JSON: each named here.
 */
function refusal(request: Request, thrown: unknown): Response | null {
  if (thrown instanceof SyntaxError) {
    return errorResponse(400, [{ field: "body", message: "the webhook body must be JSON" }]);
  }
  if (!(thrown instanceof Response)) return null;
  const has = (name: string) => Boolean(request.headers.get(name));
  let error: FieldError | null = null;
  if (thrown.status === 405) error = { field: "method", message: "webhooks are delivered with POST" };
  else if (thrown.status === 401)
    error = { field: HMAC_HEADER, message: "the HMAC signature does not match the body" };
  else if (thrown.status === 400 && !has(HMAC_HEADER))
    error = { field: HMAC_HEADER, message: "the webhook carries no HMAC signature" };
  else if (thrown.status === 400) {
    const missing = REQUIRED_HEADERS.filter((name) => !has(name));
    error =
      missing.length > 0
        ? { field: missing.join(", "), message: "Shopify's webhook headers are missing" }
        : { field: "body", message: "the webhook has no body" };
  }
  return error ? errorResponse(thrown.status, [error]) : null;
}

/** Verifies Shopify's HMAC (401 when wrong), then runs the topic's use case; errors become JSON. */
export async function handleWebhook(
  request: Request,
  handle: (webhook: VerifiedWebhook) => Promise<unknown>,
): Promise<Response> {
  try {
    let context: Awaited<ReturnType<typeof authenticate.webhook>>;
    try {
      context = await authenticate.webhook(request);
    } catch (thrown) {
      const refused = refusal(request, thrown);
      if (refused) return refused;
      throw thrown;
    }
    // A shop that never installed the app (no Shop row, no session) has nothing here to update: acknowledged so
    // Shopify stops retrying, and nothing is stored. The offline session authenticate.webhook loaded already
    // answers that for every installed shop, without two more reads.
    if (!context.session && !(await everInstalled(db(), context.shop)))
      return jsonResponse({ ok: true, outcome: "not_installed" });
    const outcome = await handle({
      shopDomain: context.shop,
      topic: String(context.topic),
      webhookId: context.webhookId,
      eventId: context.eventId ?? null,
      // Signed by Shopify, but text that neither database can hold (lone surrogates, NUL) is made storable.
      payload: storableJson(context.payload),
    });
    return jsonResponse({ ok: true, outcome: outcome ?? null });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** GET/HEAD on a webhook route: 405 in the JSON error contract (without a loader Remix would answer itself). */
export function webhookGetRefused(): Response {
  return errorResponse(405, [{ field: "method", message: "webhooks are delivered with POST" }]);
}
