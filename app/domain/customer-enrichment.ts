import { z } from "zod";

// Enrichment: a customer profile's order facts completed from Shopify's own view of the customer. Order webhooks
// only show the app the orders placed since it was installed, so a profile built from them alone calls a
// long-standing customer "new".

/** A profile read from Shopify longer ago than this is read again when the customer next answers. */
export const ENRICHMENT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function needsEnrichment(enrichedAt: Date | null, now: Date): boolean {
  return enrichedAt === null || now.getTime() - enrichedAt.getTime() > ENRICHMENT_MAX_AGE_MS;
}

export interface ShopifyCustomerFacts {
  numberOfOrders: number;
  amountSpent: number;
  currencyCode: string;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

const dateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 date and time")
  .transform((value) => new Date(value));
const orderDates = z.object({ nodes: z.array(z.object({ createdAt: dateTime })).max(1) });

/** Shopify's answer to READ_CUSTOMER_ORDER_FACTS (UnsignedInt64 and Decimal arrive as strings). */
export const shopifyCustomerSchema = z
  .object({
    numberOfOrders: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number),
    amountSpent: z.object({
      amount: z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]).transform(Number),
      currencyCode: z.string().min(1),
    }),
    firstOrder: orderDates,
    lastOrder: orderDates,
  })
  .transform(
    (customer): ShopifyCustomerFacts => ({
      numberOfOrders: customer.numberOfOrders,
      amountSpent: customer.amountSpent.amount,
      currencyCode: customer.amountSpent.currencyCode,
      firstOrderAt: customer.firstOrder.nodes[0]?.createdAt ?? null,
      lastOrderAt: customer.lastOrder.nodes[0]?.createdAt ?? null,
    }),
  );

export interface ProfileOrderFacts {
  ordersCount: number;
  totalSpent: number;
  currencyCode: string | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

/**
 * The profile's order facts after a read from Shopify. Counts and amounts never go below what the order webhooks
 * already recorded: Shopify updates a customer's numberOfOrders and amountSpent a moment after the order itself,
 * so an enrichment that runs right after an order (which is when customers answer) can read figures that do not
 * include it yet, while its webhook already counted it. A lower figure from Shopify is far more often such a lag
 * than a correction (a deleted order); the next enrichment cannot lower it either, which is the price of that
 * choice. An amount in another currency than the one recorded is not comparable: Shopify's (the shop's
 * currency) replaces it.
 */
export function mergeProfileFacts(
  profile: ProfileOrderFacts,
  shopify: ShopifyCustomerFacts,
): ProfileOrderFacts {
  const sameCurrency = profile.currencyCode === null || profile.currencyCode === shopify.currencyCode;
  return {
    ordersCount: Math.max(profile.ordersCount, shopify.numberOfOrders),
    totalSpent: sameCurrency ? Math.max(profile.totalSpent, shopify.amountSpent) : shopify.amountSpent,
    currencyCode: shopify.currencyCode,
    firstOrderAt: earliest(profile.firstOrderAt, shopify.firstOrderAt),
    lastOrderAt: latest(profile.lastOrderAt, shopify.lastOrderAt),
  };
}

export interface AnswerTimeFacts {
  customerOrdersCount: number | null;
  returningCustomer: boolean | null;
}

/**
 * The customer's order count and new-vs-returning status when they answered, from Shopify's figures read after
 * the answer. The count is only Shopify's count if no order was placed since the answer; "returning" is decided
 * by whether the customer's first order came before the surveyed one (or, without the surveyed order's date, by
 * the count). What the order webhooks recorded is kept unless Shopify knows more: the webhooks never see orders
 * from before the install, so they can only undercount.
 */
export function answerTimeFacts(input: {
  answeredAt: Date;
  surveyedOrderAt: Date | null;
  recorded: AnswerTimeFacts;
  shopify: ShopifyCustomerFacts;
}): AnswerTimeFacts {
  const { shopify, recorded } = input;
  const orderedSince = shopify.lastOrderAt !== null && shopify.lastOrderAt > input.answeredAt;
  const shopifyCount = orderedSince ? null : shopify.numberOfOrders;
  const counts = [recorded.customerOrdersCount, shopifyCount].filter(
    (count): count is number => count !== null && count > 0,
  );
  const customerOrdersCount = counts.length > 0 ? Math.max(...counts) : null;

  let shopifyReturning: boolean | null = null;
  if (shopify.firstOrderAt && input.surveyedOrderAt) {
    if (shopify.firstOrderAt < input.surveyedOrderAt) shopifyReturning = true;
    else if (shopify.firstOrderAt.getTime() === input.surveyedOrderAt.getTime()) shopifyReturning = false;
  }
  if (shopifyReturning === null && shopifyCount !== null && shopifyCount > 0)
    shopifyReturning = shopifyCount > 1;

  const verdicts = [
    recorded.returningCustomer,
    shopifyReturning,
    customerOrdersCount ? customerOrdersCount > 1 : null,
  ];
  const returningCustomer = verdicts.includes(true) ? true : verdicts.includes(false) ? false : null;
  return { customerOrdersCount, returningCustomer };
}
