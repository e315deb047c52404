import type { Prisma } from "@prisma/client";
import { type Database, ROLLUP_TRANSACTION } from "~/adapters/db/client.server";
import { isUniqueViolation, retryOnUniqueViolation } from "~/adapters/db/unique-violation.server";

export interface WebhookDeliveryKey {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  now?: Date;
}

export type DeliveryOutcome = "recorded" | "duplicate";

/**
 * Records the delivery once and runs the topic's work in the same transaction. A replay (same webhook id) and a
 * re-send of the same event under a new webhook id (same event id, shop and topic) are acknowledged and ignored.
 */
export async function oncePerDelivery(
  database: Database,
  webhook: WebhookDeliveryKey,
  work: (tx: Prisma.TransactionClient, now: Date) => Promise<unknown>,
): Promise<DeliveryOutcome> {
  const now = webhook.now ?? new Date();
  const eventId = webhook.eventId || null;
  try {
    await retryOnUniqueViolation(() =>
      database.$transaction(async (tx) => {
        await tx.webhookDelivery.create({
          data: {
            webhookId: webhook.webhookId,
            shopDomain: webhook.shopDomain,
            topic: webhook.topic,
            eventId,
            receivedAt: now,
          },
        });
        await work(tx, now);
      }, ROLLUP_TRANSACTION),
    );
    return "recorded";
  } catch (error) {
    if (isUniqueViolation(error) && (await seenBefore(database, webhook.webhookId, eventId, webhook))) {
      return "duplicate";
    }
    throw error;
  }
}

async function seenBefore(
  database: Database,
  webhookId: string,
  eventId: string | null,
  webhook: WebhookDeliveryKey,
): Promise<boolean> {
  if (await database.webhookDelivery.findUnique({ where: { webhookId } })) return true;
  if (!eventId) return false;
  const sameEvent = await database.webhookDelivery.findFirst({
    where: { shopDomain: webhook.shopDomain, topic: webhook.topic, eventId },
    select: { webhookId: true },
  });
  return sameEvent !== null;
}
