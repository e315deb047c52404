import { describe, expect, it } from "vitest";
import {
  answerTimeFacts,
  ENRICHMENT_MAX_AGE_MS,
  mergeProfileFacts,
  needsEnrichment,
  type ShopifyCustomerFacts,
  shopifyCustomerSchema,
} from "~/domain/customer-enrichment";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

const shopify: ShopifyCustomerFacts = {
  numberOfOrders: 6,
  amountSpent: 410.5,
  currencyCode: "EUR",
  firstOrderAt: day("2024-03-01"),
  lastOrderAt: day("2026-11-20"),
};

const webhookProfile = {
  ordersCount: 1,
  totalSpent: 80,
  currencyCode: "EUR",
  firstOrderAt: day("2026-11-20"),
  lastOrderAt: day("2026-11-20"),
};

describe("when a customer profile is read from Shopify", () => {
  it("reads a profile never read before, or read more than a day ago", () => {
    const now = day("2026-11-20");
    expect(needsEnrichment(null, now)).toBe(true);
    expect(needsEnrichment(new Date(now.getTime() - ENRICHMENT_MAX_AGE_MS), now)).toBe(false);
    expect(needsEnrichment(new Date(now.getTime() - ENRICHMENT_MAX_AGE_MS - 1), now)).toBe(true);
  });
});

describe("Shopify's customer as the enrichment reads it", () => {
  it("turns UnsignedInt64 and Decimal strings into numbers and takes the first and last order dates", () => {
    const parsed = shopifyCustomerSchema.parse({
      numberOfOrders: "6",
      amountSpent: { amount: "410.50", currencyCode: "EUR" },
      firstOrder: { nodes: [{ createdAt: "2024-03-01T12:00:00Z" }] },
      lastOrder: { nodes: [{ createdAt: "2026-11-20T12:00:00Z" }] },
    });
    expect(parsed).toEqual(shopify);
  });

  it("has no order dates for a customer without orders, and refuses a count that is not a number", () => {
    const empty = { nodes: [] };
    expect(
      shopifyCustomerSchema.parse({
        numberOfOrders: "0",
        amountSpent: { amount: "0.0", currencyCode: "USD" },
        firstOrder: empty,
        lastOrder: empty,
      }),
    ).toMatchObject({ numberOfOrders: 0, firstOrderAt: null, lastOrderAt: null });
    expect(
      shopifyCustomerSchema.safeParse({
        numberOfOrders: "many",
        amountSpent: { amount: "1", currencyCode: "USD" },
        firstOrder: empty,
        lastOrder: empty,
      }).success,
    ).toBe(false);
  });
});

describe("merging Shopify's figures into the profile", () => {
  it("takes Shopify's history from before the install: more orders, more spent, an earlier first order", () => {
    expect(mergeProfileFacts(webhookProfile, shopify)).toEqual({
      ordersCount: 6,
      totalSpent: 410.5,
      currencyCode: "EUR",
      firstOrderAt: day("2024-03-01"),
      lastOrderAt: day("2026-11-20"),
    });
  });

  it("never lowers what the webhooks recorded when Shopify's figures lag behind a new order", () => {
    const lagging = { ...shopify, numberOfOrders: 5, amountSpent: 330.5, lastOrderAt: day("2026-10-01") };
    const profile = { ...webhookProfile, ordersCount: 6, totalSpent: 410.5, firstOrderAt: day("2024-03-01") };
    expect(mergeProfileFacts(profile, lagging)).toEqual({ ...profile, lastOrderAt: day("2026-11-20") });
  });

  it("replaces an amount recorded in another currency with Shopify's, which is in the shop's currency", () => {
    const merged = mergeProfileFacts({ ...webhookProfile, totalSpent: 9000, currencyCode: "JPY" }, shopify);
    expect(merged).toMatchObject({ totalSpent: 410.5, currencyCode: "EUR" });
  });

  it("fills a profile that has no order facts at all", () => {
    const empty = {
      ordersCount: 0,
      totalSpent: 0,
      currencyCode: null,
      firstOrderAt: null,
      lastOrderAt: null,
    };
    expect(mergeProfileFacts(empty, shopify)).toEqual({
      ordersCount: 6,
      totalSpent: 410.5,
      currencyCode: "EUR",
      firstOrderAt: shopify.firstOrderAt,
      lastOrderAt: shopify.lastOrderAt,
    });
  });
});

describe("the customer's facts at the time of the answer", () => {
  const answeredAt = day("2026-11-21");
  const surveyedOrderAt = day("2026-11-20");
  const none = { customerOrdersCount: null, returningCustomer: null };

  it("fills what the webhook did not supply: Shopify's count, returning because an order came before", () => {
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt, recorded: none, shopify })).toEqual({
      customerOrdersCount: 6,
      returningCustomer: true,
    });
  });

  it("corrects a customer the webhooks took for new, since they never saw the orders before the install", () => {
    const recorded = { customerOrdersCount: 1, returningCustomer: false };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt, recorded, shopify })).toEqual({
      customerOrdersCount: 6,
      returningCustomer: true,
    });
  });

  it("calls a customer new whose first order is the surveyed one", () => {
    const first = {
      ...shopify,
      numberOfOrders: 1,
      firstOrderAt: surveyedOrderAt,
      lastOrderAt: surveyedOrderAt,
    };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt, recorded: none, shopify: first })).toEqual({
      customerOrdersCount: 1,
      returningCustomer: false,
    });
  });

  it("does not take Shopify's count when the customer ordered again after answering", () => {
    const later = { ...shopify, numberOfOrders: 7, lastOrderAt: day("2026-11-22") };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt, recorded: none, shopify: later })).toEqual({
      customerOrdersCount: null,
      returningCustomer: true,
    });
    const recorded = { customerOrdersCount: 2, returningCustomer: true };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt, recorded, shopify: later })).toEqual(recorded);
  });

  it("decides by the count when the surveyed order's date is unknown", () => {
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt: null, recorded: none, shopify })).toEqual({
      customerOrdersCount: 6,
      returningCustomer: true,
    });
    const one = { ...shopify, numberOfOrders: 1, firstOrderAt: day("2026-11-20") };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt: null, recorded: none, shopify: one })).toEqual({
      customerOrdersCount: 1,
      returningCustomer: false,
    });
  });

  it("leaves both unknown when neither the webhook nor Shopify knows any order", () => {
    const nothing = { ...shopify, numberOfOrders: 0, firstOrderAt: null, lastOrderAt: null };
    expect(answerTimeFacts({ answeredAt, surveyedOrderAt: null, recorded: none, shopify: nothing })).toEqual(
      none,
    );
  });
});
