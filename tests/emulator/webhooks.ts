import { createHmac, randomUUID } from "node:crypto";
import { seededRandom } from "../../scripts/demo-data";

// Webhook deliveries signed exactly as Shopify signs them: base64 HMAC-SHA256 of the raw body with the app's
// API secret, with Shopify's headers.
export interface WebhookDelivery {
  topic: string;
  shop: string;
  payload: unknown;
  apiSecret: string;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
}

export function signWebhookBody(rawBody: string, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(rawBody, "utf8").digest("base64");
}

export function webhookHeaders(delivery: WebhookDelivery, rawBody: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Hmac-Sha256": signWebhookBody(rawBody, delivery.apiSecret),
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": delivery.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": (delivery.triggeredAt ?? new Date()).toISOString(),
    "X-Shopify-API-Version": delivery.apiVersion ?? "2026-10",
  };
}

export function buildWebhookRequest(url: string, delivery: WebhookDelivery): Request {
  const rawBody = JSON.stringify(delivery.payload);
  return new Request(url, { method: "POST", headers: webhookHeaders(delivery, rawBody), body: rawBody });
}

export function sendWebhook(url: string, delivery: WebhookDelivery): Promise<Response> {
  const rawBody = JSON.stringify(delivery.payload);
  return fetch(url, { method: "POST", headers: webhookHeaders(delivery, rawBody), body: rawBody });
}

/**
 * Delivers as Shopify may: in order, reversed or shuffled, and each one twice (the same webhook id) when asked.
 * Ids are fixed up front so a duplicate is a true replay.
 */
export async function deliverAll(
  url: string,
  deliveries: WebhookDelivery[],
  options: { order?: "as-given" | "reversed" | "shuffled"; duplicateEach?: boolean; seed?: number } = {},
): Promise<Response[]> {
  const withIds = deliveries.map((delivery) => ({
    ...delivery,
    webhookId: delivery.webhookId ?? randomUUID(),
  }));
  let sequence = options.duplicateEach ? withIds.flatMap((delivery) => [delivery, delivery]) : withIds;
  if (options.order === "reversed") sequence = [...sequence].reverse();
  if (options.order === "shuffled") {
    const random = seededRandom(options.seed ?? 1);
    sequence = [...sequence];
    for (let index = sequence.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [sequence[index], sequence[other]] = [sequence[other]!, sequence[index]!];
    }
  }
  const responses: Response[] = [];
  for (const delivery of sequence) responses.push(await sendWebhook(url, delivery));
  return responses;
}
