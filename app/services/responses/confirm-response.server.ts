import type { Prisma, Response } from "@prisma/client";
import { countConfirmedAnswer } from "~/adapters/db/report-rollups.server";
import { needsEnrichment } from "~/domain/customer-enrichment";
import type { OrderFacts } from "~/domain/order-facts";
import { currentSurvey } from "../shops.server";
import { enqueueJob } from "../sync/job-queue.server";

type Tx = Prisma.TransactionClient;

/** A detractor's case, once per answer; with the shop's alert address set, its alert mail is queued with it. */
async function openFollowUp(tx: Tx, response: Response): Promise<void> {
  const { shopDomain } = response;
  if (await tx.followUp.findUnique({ where: { responseId: response.id }, select: { id: true } })) return;
  const followUp = await tx.followUp.create({ data: { shopDomain, responseId: response.id } });
  const { settings } = await currentSurvey(tx, shopDomain);
  if (!settings.alerts.detractorEmail) return;
  await enqueueJob(tx, { shopDomain, kind: "detractor_alert", payload: { followUpId: followUp.id } });
}

/**
 * Makes an answer count: snapshots the order and customer facts on it, moves the customer's latest category
 * (only forward in response time, so late confirmations never overwrite a newer answer), opens a follow-up for
 * detractors and writes the sync job — all inside the caller's transaction.
 */
export async function confirmResponse(tx: Tx, response: Response, facts: OrderFacts): Promise<void> {
  const customerId = response.customerId ?? facts.customerId;
  const profile = customerId
    ? await tx.customerProfile.upsert({
        where: { shopDomain_customerId: { shopDomain: response.shopDomain, customerId } },
        create: { shopDomain: response.shopDomain, customerId },
        update: {},
      })
    : null;
  await tx.response.update({
    where: { id: response.id },
    data: {
      status: "confirmed",
      customerId,
      orderValue: facts.totalPrice,
      currencyCode: facts.currency,
      salesChannel: facts.salesChannel,
      countryCode: facts.countryCode,
      discountUsed: facts.discountCodes.length > 0,
      itemCount: facts.itemCount,
      customerOrdersCount: profile?.ordersCount || null,
      returningCustomer: profile?.ordersCount ? profile.ordersCount > 1 : null,
    },
  });
  await countConfirmedAnswer(tx, response.shopDomain, response.id); // the reports' daily rollups
  if (response.category === "detractor") await openFollowUp(tx, response);
  // One Flow trigger per answer (not coalesced), only while a workflow of the shop uses the trigger (Flow's
  // lifecycle callback); its runner reads the answer when it runs.
  const shop = await tx.shop.findUnique({
    where: { shopDomain: response.shopDomain },
    select: { flowTriggerEnabled: true },
  });
  if (shop?.flowTriggerEnabled) {
    await enqueueJob(tx, {
      shopDomain: response.shopDomain,
      kind: "flow_trigger",
      payload: { responseId: response.id },
    });
  }
  if (!customerId || !profile) return;
  const isNewest = !profile.latestRespondedAt || profile.latestRespondedAt <= response.createdAt;
  await tx.customerProfile.update({
    where: { shopDomain_customerId: { shopDomain: response.shopDomain, customerId } },
    data: {
      responsesCount: { increment: 1 },
      ...(isNewest
        ? {
            latestScore: response.score,
            latestCategory: response.category,
            latestRespondedAt: response.createdAt,
          }
        : {}),
    },
  });
  if (isNewest) {
    await enqueueJob(tx, { shopDomain: response.shopDomain, kind: "customer_category", customerId });
  }
  if (needsEnrichment(profile.enrichedAt, new Date())) {
    const job = { shopDomain: response.shopDomain, customerId, payload: { responseId: response.id } };
    await enqueueJob(tx, { ...job, kind: "enrich_customer" });
  }
}
