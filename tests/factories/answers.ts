import type { Database } from "../../app/adapters/db/client.server";
import { orderPayload } from "./order-payload";

/** An order of the customer arrives (orders/create) and its buyer answers on the thank-you page, both at `at`. */
export async function answerOrder(
  database: Database,
  shopDomain: string,
  input: { orderId: number; customerId: number; score: number; at: Date; comment?: string },
): Promise<void> {
  const { handleOrderWebhook } = await import("../../app/services/order-webhooks.server");
  const { submitAnswer } = await import("../../app/services/responses/survey-responses.server");
  await handleOrderWebhook(database, {
    shopDomain,
    topic: "orders/create",
    webhookId: `answer-${input.orderId}`,
    payload: orderPayload({ id: input.orderId, customerId: input.customerId }),
    now: input.at,
  });
  await submitAnswer(database, {
    shopDomain,
    orderId: String(input.orderId),
    channel: "thank_you",
    answer: { orderId: String(input.orderId), score: input.score, comment: input.comment },
    locale: "en",
    now: input.at,
  });
}

export interface EmulatedCustomerState {
  id: string;
  tags: string[];
  metafields: { key: string; value: string }[];
}

/** The ids of customers whose Shopify state differs from their latest answer (tag, score) or lost a merchant tag. */
export async function customersOutOfStep(
  database: Database,
  emulatorUrl: string,
  shopDomain: string,
  merchantTag: string,
): Promise<string[]> {
  const profiles = await database.customerProfile.findMany({ where: { shopDomain } });
  const response = await fetch(`${emulatorUrl}/__emulator/state?shop=${shopDomain}`);
  const state = (await response.json()) as { shops: { customers: EmulatedCustomerState[] }[] };
  const byId = new Map(state.shops[0]?.customers.map((customer) => [customer.id, customer]));
  return profiles
    .filter((profile) => {
      const customer = byId.get(`gid://shopify/Customer/${profile.customerId}`);
      const npsTags = customer?.tags.filter((tag) => tag.startsWith("nps:")) ?? [];
      const score = customer?.metafields.find((metafield) => metafield.key === "score")?.value;
      return (
        npsTags.length !== 1 ||
        npsTags[0] !== `nps:${profile.latestCategory}` ||
        score !== String(profile.latestScore) ||
        !customer?.tags.includes(merchantTag)
      );
    })
    .map((profile) => profile.customerId);
}
