import type { Prisma } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { isUniqueViolation, retryOnUniqueViolation } from "~/adapters/db/unique-violation.server";
import { decideEligibility, invitationExpiresAt } from "~/domain/eligibility";
import { type OrderFacts, orderFactsFromWebhook } from "~/domain/order-facts";
import { recordCustomerOrder } from "./customer-facts.server";
import { enqueueJob } from "./sync/job-queue.server";
import { confirmResponse } from "./responses/confirm-response.server";
import { ServiceError } from "./service-error";
import { currentSurvey } from "./shops.server";

export interface OrderWebhook {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  payload: unknown;
  now?: Date;
}

export type OrderWebhookOutcome = "recorded" | "duplicate";

type Tx = Prisma.TransactionClient;

async function lastInvitedAt(tx: Tx, shopDomain: string, customerId: string | null, orderId: string) {
  if (!customerId) return null;
  const latest = await tx.invitation.findFirst({
    where: { shopDomain, customerId, orderId: { not: orderId }, status: { in: ["pending", "answered"] } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return latest?.createdAt ?? null;
}

/** Stores the order's facts on its invitation (creating it if needed) and confirms an answer that waited for them. */
async function applyOrderFacts(tx: Tx, shopDomain: string, facts: OrderFacts, now: Date) {
  const existing = await tx.invitation.findUnique({
    where: { shopDomain_orderId: { shopDomain, orderId: facts.orderId } },
    include: { response: true },
  });
  if (existing?.orderFacts) return; // facts already known: orders/fulfilled after orders/create, or a re-delivery

  await recordCustomerOrder(tx, shopDomain, facts);
  const survey = await currentSurvey(tx, shopDomain);
  const decision = decideEligibility({
    settings: survey.settings,
    order: facts,
    customerTags: [], // order webhooks carry no customer tags since API 2025-01
    lastInvitedAt: await lastInvitedAt(tx, shopDomain, facts.customerId, facts.orderId),
    now,
  });
  const factsJson = JSON.stringify(facts);

  if (!existing) {
    const invitation = await tx.invitation.create({
      data: {
        shopDomain,
        orderId: facts.orderId,
        orderName: facts.orderName,
        customerId: facts.customerId,
        source: "webhook",
        orderFacts: factsJson,
        surveyVersion: survey.version,
        status: decision.eligible ? "pending" : "suppressed",
        suppressionReason: decision.eligible ? null : decision.reason,
        createdAt: now,
        expiresAt: invitationExpiresAt(now, survey.settings),
      },
    });
    if (decision.eligible && survey.settings.channels.surveyLink) {
      await enqueueJob(tx, {
        shopDomain,
        kind: "order_survey_link",
        payload: { invitationId: invitation.id },
      });
    }
    return;
  }

  // The extension created this invitation before the webhook arrived.
  const customerId = existing.customerId ?? facts.customerId;
  const suppress = !existing.response && !decision.eligible && existing.status === "pending";
  await tx.invitation.update({
    where: { id: existing.id },
    data: {
      orderFacts: factsJson,
      orderName: facts.orderName,
      customerId,
      ...(suppress && !decision.eligible ? { status: "suppressed", suppressionReason: decision.reason } : {}),
    },
  });
  if (existing.response && existing.response.status === "pending") {
    await confirmResponse(
      tx,
      { ...existing.response, customerId: existing.response.customerId ?? customerId },
      facts,
    );
  }
}

/**
 * orders/create and orders/fulfilled: one transaction that records the delivery id once (a replay is
 * acknowledged and ignored), keeps the customer's facts, decides eligibility and upserts the invitation.
 */
export async function handleOrderWebhook(
  database: Database,
  webhook: OrderWebhook,
): Promise<OrderWebhookOutcome> {
  const parsed = orderFactsFromWebhook(webhook.payload);
  if (!parsed.ok) throw new ServiceError("invalid", parsed.errors);
  const now = webhook.now ?? new Date();
  try {
    await retryOnUniqueViolation(() =>
      database.$transaction(async (tx) => {
        await tx.webhookDelivery.create({
          data: {
            webhookId: webhook.webhookId,
            shopDomain: webhook.shopDomain,
            topic: webhook.topic,
            eventId: webhook.eventId ?? null,
            receivedAt: now,
          },
        });
        await applyOrderFacts(tx, webhook.shopDomain, parsed.facts, now);
      }),
    );
    return "recorded";
  } catch (error) {
    if (isUniqueViolation(error)) {
      const seen = await database.webhookDelivery.findUnique({ where: { webhookId: webhook.webhookId } });
      if (seen) return "duplicate";
    }
    throw error;
  }
}
