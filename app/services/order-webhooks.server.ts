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
import { enqueueJob, type SyncJobKind } from "./sync/job-queue.server";
import { oncePerDelivery } from "./webhook-deliveries.server";

export interface OrderWebhook {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  payload: unknown;
  now?: Date;
}

export type OrderWebhookOutcome = "recorded" | "queued" | "duplicate";

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

/** What an orders/create or orders/fulfilled delivery asks for, read from its payload. */
export interface OrderWork {
  facts: OrderFacts;
  fulfilled: boolean;
  /** orders/fulfilled: when the order was fulfilled (null: not named; the delivery's time is used). */
  fulfilledAt: Date | null;
}

function orderWorkOf(webhook: OrderWebhook, options: { fulfilled?: boolean }): OrderWork {
  const parsed = orderFactsFromWebhook(webhook.payload);
  if (!parsed.ok) throw new ServiceError("invalid", parsed.errors);
  const fulfilled = Boolean(options.fulfilled);
  return {
    facts: parsed.facts,
    fulfilled,
    fulfilledAt: fulfilled ? fulfilledAtFromOrder(webhook.payload) : null,
  };
}

/** The order use case, in the caller's transaction, as of `now` (the delivery's arrival). */
export async function applyOrderWork(tx: Tx, shopDomain: string, work: OrderWork, now: Date): Promise<void> {
  await applyOrderFacts(tx, shopDomain, work.facts, now);
  if (work.fulfilled) {
    await scheduleDeliveryStage(tx, shopDomain, work.facts.orderId, work.fulfilledAt ?? now);
  }
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
  const work = orderWorkOf(webhook, options);
  return oncePerDelivery(database, webhook, (tx, now) => applyOrderWork(tx, webhook.shopDomain, work, now));
}

/**
 * The same deliveries for WEBHOOK_PROCESSING=queued: the delivery is recorded and its work stored as a job in one
 * short transaction, and the sync worker applies it (applyOrderWork, as of the delivery's arrival). Shopify is
 * answered after one insert of each, whatever the order use case costs. The job keeps the order's facts, not the
 * payload (no addresses or e-mails), under the customer's id so that customers/redact deletes it with the rest.
 */
export async function queueOrderWebhook(
  database: Database,
  webhook: OrderWebhook,
  options: { fulfilled?: boolean } = {},
): Promise<OrderWebhookOutcome> {
  const work = orderWorkOf(webhook, options);
  const outcome = await oncePerDelivery(database, webhook, (tx, now) =>
    tx.syncJob.create({
      data: {
        shopDomain: webhook.shopDomain,
        kind: "order_webhook" satisfies SyncJobKind,
        customerId: work.facts.customerId,
        payload: JSON.stringify({ topic: webhook.topic, receivedAt: now, ...work }),
        runAt: now,
      },
    }),
  );
  return outcome === "recorded" ? "queued" : outcome;
}

/** How the order webhooks are processed: in the request (inline), or by the sync worker (queued). */
export type OrderWebhookProcessing = "inline" | "queued";

export function receiveOrderWebhook(
  database: Database,
  webhook: OrderWebhook,
  options: { fulfilled?: boolean; processing: OrderWebhookProcessing },
): Promise<OrderWebhookOutcome> {
  return options.processing === "queued"
    ? queueOrderWebhook(database, webhook, options)
    : handleOrderWebhook(database, webhook, options);
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
