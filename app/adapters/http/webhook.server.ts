import { authenticate } from "~/shopify.server";
import { jsonResponse, toErrorResponse } from "./json.server";

export interface VerifiedWebhook {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  payload: unknown;
}

/** Verifies Shopify's HMAC (401 when wrong), then runs the topic's use case; errors become JSON. */
export async function handleWebhook(
  request: Request,
  handle: (webhook: VerifiedWebhook) => Promise<unknown>,
): Promise<Response> {
  try {
    const context = await authenticate.webhook(request);
    const outcome = await handle({
      shopDomain: context.shop,
      topic: String(context.topic),
      webhookId: context.webhookId,
      eventId: context.eventId ?? null,
      payload: context.payload,
    });
    return jsonResponse({ ok: true, outcome: outcome ?? null });
  } catch (error) {
    return toErrorResponse(error);
  }
}
