import type { Database } from "../app/adapters/db/client.server";
import { handleFulfillmentEventWebhook, handleOrderWebhook } from "../app/services/order-webhooks.server";
import { submitAnswer } from "../app/services/responses/survey-responses.server";
import { enqueueJob } from "../app/services/sync/job-queue.server";
import {
  fulfilledOrderPayload,
  fulfillmentEventPayload,
  orderPayload,
} from "../tests/factories/order-payload";
import {
  addEmulatorCustomers,
  addEmulatorOrders,
  installTestShop,
  type TestShop,
} from "../tests/factories/shop";
import { generateDemoData } from "./demo-data";

export interface SeedResult {
  customers: number;
  orders: number;
  responses: number;
}

// The demo shop asks at most once per 30 days, so repeat buyers get asked again within the 120-day history, and
// runs a two-stage survey: buying experience at purchase, product experience after delivery.
const DEMO_SURVEY_OVERRIDES = {
  frequencyCapDays: 30,
  timing: { mode: "both", daysAfterFulfillment: 7, expiresAfterDays: 30 },
  benchmark: "apparel",
};
const DAY_MS = 86_400_000;

/** Seeds the demo shop through the app's own services: order webhooks, then answers, then the sync path. */
export async function seedDemoShop(
  database: Database,
  emulatorUrl: string,
  shop: TestShop,
  options: { now?: Date; customers?: number; orders?: number } = {},
): Promise<SeedResult> {
  const data = generateDemoData({
    now: options.now ?? new Date(),
    customers: options.customers,
    orders: options.orders,
  });
  await installTestShop(database, emulatorUrl, shop);
  const survey = await database.survey.findUniqueOrThrow({ where: { shopDomain: shop.shopDomain } });
  const settings = JSON.stringify({ ...JSON.parse(survey.settings), ...DEMO_SURVEY_OVERRIDES });
  await database.survey.update({ where: { shopDomain: shop.shopDomain }, data: { settings } });
  await database.surveyVersion.update({
    where: { shopDomain_version: { shopDomain: shop.shopDomain, version: survey.version } },
    data: { settings },
  });
  await registerDemoCustomers(emulatorUrl, shop.shopDomain, data.customers);

  for (let index = 0; index < data.orders.length; index += 250) {
    const batch = data.orders.slice(index, index + 250);
    await addEmulatorOrders(
      emulatorUrl,
      shop.shopDomain,
      batch.map(({ id, customerId }) => ({ id, customerId })),
    );
  }
  let responses = 0;
  for (const order of data.orders) {
    await handleOrderWebhook(database, {
      shopDomain: shop.shopDomain,
      topic: "orders/create",
      webhookId: `demo-${order.id}`,
      payload: orderPayload(order),
      now: order.createdAt,
    });
    const answer = data.answers.get(order.id);
    const invitation = await database.invitation.findUnique({
      where: {
        shopDomain_orderId_stage: {
          shopDomain: shop.shopDomain,
          orderId: String(order.id),
          stage: "purchase",
        },
      },
    });
    if (!answer || invitation?.status !== "pending") continue;
    await submitAnswer(database, {
      shopDomain: shop.shopDomain,
      orderId: String(order.id),
      channel: answer.orderId % 3 === 0 ? "order_status" : "thank_you",
      answer: {
        orderId: String(order.id),
        score: answer.score,
        comment: answer.comment,
        locale: answer.locale,
      },
      locale: answer.locale,
      now: answer.answeredAt,
    });
    responses += 1;
    responses += await deliverAndAnswer(database, shop.shopDomain, order, answer);
  }
  return { customers: data.customers.length, orders: data.orders.length, responses };
}

/**
 * Most orders older than a week are fulfilled two days after purchase and delivered three days later; two in
 * three of their answering buyers answer the product-experience stage too, a little lower when shipping was slow.
 */
async function deliverAndAnswer(
  database: Database,
  shopDomain: string,
  order: Parameters<typeof orderPayload>[0] & { id: number; createdAt: Date },
  answer: { score: number; locale: string; comment?: string },
): Promise<number> {
  const deliveredAt = new Date(order.createdAt.getTime() + 5 * DAY_MS);
  if (order.id % 4 === 0 || deliveredAt.getTime() + DAY_MS > Date.now()) return 0;
  const fulfilledAt = new Date(order.createdAt.getTime() + 2 * DAY_MS);
  await handleOrderWebhook(
    database,
    {
      shopDomain,
      topic: "orders/fulfilled",
      webhookId: `demo-fulfilled-${order.id}`,
      payload: fulfilledOrderPayload({ ...order, fulfilledAt }),
      now: fulfilledAt,
    },
    { fulfilled: true },
  );
  await handleFulfillmentEventWebhook(database, {
    shopDomain,
    topic: "fulfillment_events/create",
    webhookId: `demo-delivered-${order.id}`,
    payload: fulfillmentEventPayload({
      id: order.id,
      orderId: order.id,
      status: "delivered",
      happenedAt: deliveredAt,
    }),
    now: deliveredAt,
  });
  if (order.id % 3 === 0) return 0;
  const slowShipping = order.id % 5 === 0;
  await submitAnswer(database, {
    shopDomain,
    orderId: String(order.id),
    channel: "order_status",
    answer: { orderId: String(order.id), score: Math.max(0, answer.score - (slowShipping ? 3 : 0)) },
    locale: answer.locale,
    now: new Date(deliveredAt.getTime() + DAY_MS),
  });
  return 1;
}

async function registerDemoCustomers(
  emulatorUrl: string,
  shopDomain: string,
  customers: { id: number; email: string }[],
): Promise<void> {
  for (let index = 0; index < customers.length; index += 250) {
    await addEmulatorCustomers(emulatorUrl, shopDomain, customers.slice(index, index + 250));
  }
}

/**
 * The emulator keeps nothing between runs: put the shop and its customers back and queue a sync for every
 * customer with a category, so Shopify's side is rebuilt through the real sync path.
 */
export async function restoreEmulatorState(
  database: Database,
  emulatorUrl: string,
  shop: TestShop,
): Promise<number> {
  await installTestShop(database, emulatorUrl, shop);
  const profiles = await database.customerProfile.findMany({
    where: { shopDomain: shop.shopDomain },
    select: { customerId: true, latestCategory: true },
  });
  await registerDemoCustomers(
    emulatorUrl,
    shop.shopDomain,
    profiles.map((profile) => ({
      id: Number(profile.customerId),
      email: `customer${profile.customerId}@example.com`,
    })),
  );
  let queued = 0;
  for (const profile of profiles) {
    if (!profile.latestCategory) continue;
    await enqueueJob(database, {
      shopDomain: shop.shopDomain,
      kind: "customer_category",
      customerId: profile.customerId,
    });
    queued += 1;
  }
  return queued;
}
