import type { Invitation, Prisma, Response } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { beginRecount } from "~/adapters/db/report-rollups.server";
import { decideEligibility, invitationExpiresAt } from "~/domain/eligibility";
import { fulfilledAtFromOrder, fulfillmentEventFromWebhook } from "~/domain/fulfillment-event";
import { type OrderFacts, orderFactsFromWebhook } from "~/domain/order-facts";
import { stagesFor, unopenedExpiry } from "~/domain/survey-timing";
import { recordCustomerOrder } from "./customer-facts.server";
import { confirmResponse } from "./responses/confirm-response.server";
import { ServiceError } from "./service-error";
import { currentSurvey } from "./shops.server";
import { openDeliveryStage, scheduleDeliveryStage } from "./survey-timing.server";
import { enqueueJob } from "./sync/job-queue.server";
import { oncePerDelivery } from "./webhook-deliveries.server";

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

/** An invitation the extension created before the webhook: it gets the facts, and a waiting answer is confirmed. */
async function completeEarlyInvitation(
  tx: Tx,
  invitation: Invitation & { response: Response | null },
  facts: OrderFacts,
  suppression: string | null,
) {
  const customerId = invitation.customerId ?? facts.customerId;
  const suppress = suppression !== null && !invitation.response && invitation.status === "pending";
  await tx.invitation.update({
    where: { id: invitation.id },
    data: {
      orderFacts: JSON.stringify(facts),
      orderName: facts.orderName,
      customerId,
      ...(suppress ? { status: "suppressed", suppressionReason: suppression } : {}),
    },
  });
  if (invitation.response?.status === "pending") {
    await confirmResponse(
      tx,
      { ...invitation.response, customerId: invitation.response.customerId ?? customerId },
      facts,
    );
  }
}

/**
 * Stores the order's facts on its invitations the first time they arrive (creating one per stage of the survey's
 * timing), counts the order into the customer's profile once, and confirms an answer that waited for them.
 */
async function applyOrderFacts(tx: Tx, shopDomain: string, facts: OrderFacts, now: Date) {
  const existing = await tx.invitation.findMany({
    where: { shopDomain, orderId: facts.orderId },
    include: { response: true },
  });
  if (existing.some((invitation) => invitation.orderFacts)) return; // a re-delivery, or the order's other topic

  await recordCustomerOrder(tx, shopDomain, facts);
  const survey = await currentSurvey(tx, shopDomain);
  const decision = decideEligibility({
    settings: survey.settings,
    order: facts,
    customerTags: [], // order webhooks carry no customer tags since API 2025-01
    lastInvitedAt: await lastInvitedAt(tx, shopDomain, facts.customerId, facts.orderId),
    now,
  });
  const suppression = decision.eligible ? null : decision.reason;
  // New invitations can make the customer's earlier answers repeat purchases, and the facts give an early answer its
  // products: the reports' rollups recount those answers around the change.
  const recount = await beginRecount(tx, shopDomain, {
    customerIds: facts.customerId ? [facts.customerId] : [],
    orderIds: [facts.orderId],
  });
  for (const invitation of existing) await completeEarlyInvitation(tx, invitation, facts, suppression);

  for (const stage of stagesFor(survey.settings.timing.mode)) {
    if (existing.some((invitation) => invitation.stage === stage)) continue;
    const scheduled = stage === "delivery";
    const invitation = await tx.invitation.create({
      data: {
        shopDomain,
        orderId: facts.orderId,
        orderName: facts.orderName,
        customerId: facts.customerId,
        stage,
        source: "webhook",
        orderFacts: JSON.stringify(facts),
        surveyVersion: survey.version,
        status: suppression ? "suppressed" : scheduled ? "scheduled" : "pending",
        suppressionReason: suppression,
        createdAt: now,
        expiresAt: scheduled ? unopenedExpiry(now) : invitationExpiresAt(now, survey.settings),
      },
    });
    if (!scheduled && !suppression && survey.settings.channels.surveyLink) {
      await enqueueJob(tx, {
        shopDomain,
        kind: "order_survey_link",
        payload: { invitationId: invitation.id },
      });
    }
  }
  await recount.end();
}

/**
 * orders/create and orders/fulfilled: keeps the customer's facts, decides eligibility and upserts the order's
 * invitations; orders/fulfilled also starts the "days after fulfillment" clock of the delivery stage.
 */
export async function handleOrderWebhook(
  database: Database,
  webhook: OrderWebhook,
  options: { fulfilled?: boolean } = {},
): Promise<OrderWebhookOutcome> {
  const parsed = orderFactsFromWebhook(webhook.payload);
  if (!parsed.ok) throw new ServiceError("invalid", parsed.errors);
  const fulfilledAt = options.fulfilled ? fulfilledAtFromOrder(webhook.payload) : null;
  return oncePerDelivery(database, webhook, async (tx, now) => {
    await applyOrderFacts(tx, webhook.shopDomain, parsed.facts, now);
    if (options.fulfilled) {
      await scheduleDeliveryStage(tx, webhook.shopDomain, parsed.facts.orderId, fulfilledAt ?? now);
    }
  });
}

/** fulfillment_events/create: a DELIVERED event opens the order's delivery-stage survey; other events are ignored. */
export async function handleFulfillmentEventWebhook(
  database: Database,
  webhook: OrderWebhook,
): Promise<OrderWebhookOutcome> {
  const parsed = fulfillmentEventFromWebhook(webhook.payload);
  if (!parsed.ok) throw new ServiceError("invalid", parsed.errors);
  const { event } = parsed;
  return oncePerDelivery(database, webhook, async (tx, now) => {
    if (event.delivered) await openDeliveryStage(tx, webhook.shopDomain, event.orderId, now);
  });
}
