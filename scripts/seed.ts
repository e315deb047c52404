import type { Database } from "../app/adapters/db/client.server";
import { handleOrderWebhook } from "../app/services/order-webhooks.server";
import { submitAnswer } from "../app/services/responses/survey-responses.server";
import { enqueueJob } from "../app/services/sync/job-queue.server";
import { orderPayload } from "../tests/factories/order-payload";
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

// The demo shop asks at most once per 30 days, so repeat buyers get asked again within the 120-day history.
const DEMO_SURVEY_OVERRIDES = { frequencyCapDays: 30 };

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
      where: { shopDomain_orderId: { shopDomain: shop.shopDomain, orderId: String(order.id) } },
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
  }
  return { customers: data.customers.length, orders: data.orders.length, responses };
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
