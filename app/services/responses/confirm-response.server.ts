import type { Prisma, Response } from "@prisma/client";
import type { OrderFacts } from "~/domain/order-facts";
import { enqueueJob } from "../sync/job-queue.server";

type Tx = Prisma.TransactionClient;

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
  if (response.category === "detractor") {
    await tx.followUp.upsert({
      where: { responseId: response.id },
      create: { shopDomain: response.shopDomain, responseId: response.id },
      update: {},
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
}
