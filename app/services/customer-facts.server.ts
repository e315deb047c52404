import type { Prisma } from "@prisma/client";
import type { OrderFacts } from "~/domain/order-facts";

type Tx = Prisma.TransactionClient;

/** Counts an order into the customer's profile. Call once per order: when its facts are first stored. */
export async function recordCustomerOrder(tx: Tx, shopDomain: string, facts: OrderFacts) {
  if (!facts.customerId) return null;
  const key = { shopDomain_customerId: { shopDomain, customerId: facts.customerId } };
  const existing = await tx.customerProfile.findUnique({ where: key });
  if (!existing) {
    return tx.customerProfile.create({
      data: {
        shopDomain,
        customerId: facts.customerId,
        ordersCount: 1,
        totalSpent: facts.totalPrice,
        currencyCode: facts.currency,
        firstOrderAt: facts.createdAt,
        lastOrderAt: facts.createdAt,
      },
    });
  }
  return tx.customerProfile.update({
    where: key,
    data: {
      ordersCount: { increment: 1 },
      totalSpent: { increment: facts.totalPrice },
      currencyCode: existing.currencyCode ?? facts.currency,
      firstOrderAt:
        existing.firstOrderAt && existing.firstOrderAt < facts.createdAt
          ? existing.firstOrderAt
          : facts.createdAt,
      lastOrderAt:
        existing.lastOrderAt && existing.lastOrderAt > facts.createdAt
          ? existing.lastOrderAt
          : facts.createdAt,
    },
  });
}
