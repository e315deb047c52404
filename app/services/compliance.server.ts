import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { recountAnswers } from "~/adapters/db/report-rollups.server";
import { parseCustomerId, parseOrderId } from "~/domain/order-gid";
import { recordDataRequest } from "./data-requests.server";
import { ServiceError } from "./service-error";
import { oncePerDelivery } from "./webhook-deliveries.server";
import type { VerifiedWebhook } from "~/adapters/http/webhook.server";

// Shopify's mandatory compliance topics. Each handler is idempotent and touches only the webhook's shop.
const customerPayloadSchema = z.object({
  customer: z.object({ id: z.union([z.number(), z.string()]) }),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).optional(),
  orders_requested: z.array(z.union([z.number(), z.string()])).optional(),
});

function parseCustomerPayload(payload: unknown) {
  const parsed = customerPayloadSchema.safeParse(payload);
  const customerId = parsed.success ? parseCustomerId(parsed.data.customer.id) : null;
  if (!parsed.success || !customerId) {
    throw new ServiceError("invalid", { field: "customer.id", message: "customer.id must be a customer id" });
  }
  return { customerId, data: parsed.data };
}

/** customers/data_request: kept for the merchant, who downloads the customer's data from the Data requests page. */
export async function recordCustomerDataRequest(
  database: Database,
  webhook: VerifiedWebhook,
): Promise<string> {
  const { customerId, data } = parseCustomerPayload(webhook.payload);
  const ordersRequested = (data.orders_requested ?? [])
    .map((id) => parseOrderId(String(id)))
    .filter((id) => id !== null);
  return oncePerDelivery(database, webhook, (tx, now) =>
    recordDataRequest(tx, {
      shopDomain: webhook.shopDomain,
      webhookId: webhook.webhookId,
      customerId,
      ordersRequested,
      now,
    }),
  );
}

/** customers/redact: comments, notes and every link to the person go; anonymous scores stay in aggregates. */
export async function redactCustomer(database: Database, webhook: VerifiedWebhook): Promise<string> {
  const { customerId, data } = parseCustomerPayload(webhook.payload);
  const shopDomain = webhook.shopDomain;
  const orderIds = (data.orders_to_redact ?? [])
    .map((id) => parseOrderId(String(id)))
    .filter((id) => id !== null);
  const responseWhere = { shopDomain, OR: [{ customerId }, { orderId: { in: orderIds } }] };
  const invitationWhere = { shopDomain, OR: [{ customerId }, { orderId: { in: orderIds } }] };
  await database.$transaction(async (tx) => {
    const responses = await tx.response.findMany({ where: responseWhere, select: { id: true } });
    const invited = await tx.invitation.findMany({ where: invitationWhere, select: { customerId: true } });
    // The reports' rollups count answers by product and repeat purchase: the answers that lose their order facts or
    // customer, and those of every customer whose invitations lose theirs, are recounted.
    const recounted = {
      responseIds: responses.map((response) => response.id),
      customerIds: [
        ...new Set([customerId, ...invited.flatMap((invitation) => invitation.customerId ?? [])]),
      ],
    };
    await recountAnswers(tx, shopDomain, recounted, async () => {
      await tx.followUp.updateMany({
        where: { shopDomain, responseId: { in: responses.map((response) => response.id) } },
        data: { note: null, owner: null },
      });
      await tx.response.updateMany({ where: responseWhere, data: { comment: null, customerId: null } });
      await tx.invitation.updateMany({
        where: invitationWhere,
        data: { customerId: null, orderFacts: null, orderName: null },
      });
    });
    await tx.customerProfile.deleteMany({ where: { shopDomain, customerId } });
    await tx.syncJob.deleteMany({ where: { shopDomain, customerId } });
    await tx.dataRequest.deleteMany({ where: { shopDomain, customerId } });
    await tx.reconciliationMark.deleteMany({ where: { shopDomain, customerId } });
  });
  return "redacted";
}

/** shop/redact (48 hours after uninstall): everything of that shop goes. */
export async function redactShop(database: Database, webhook: VerifiedWebhook): Promise<string> {
  const shopDomain = webhook.shopDomain;
  await database.$transaction([
    database.followUp.deleteMany({ where: { shopDomain } }),
    database.response.deleteMany({ where: { shopDomain } }),
    database.invitation.deleteMany({ where: { shopDomain } }),
    database.customerProfile.deleteMany({ where: { shopDomain } }),
    database.syncJob.deleteMany({ where: { shopDomain } }),
    database.webhookDelivery.deleteMany({ where: { shopDomain } }),
    database.dataRequest.deleteMany({ where: { shopDomain } }),
    database.reconciliationMark.deleteMany({ where: { shopDomain } }),
    database.reconciliationRun.deleteMany({ where: { shopDomain } }),
    database.npsSegment.deleteMany({ where: { shopDomain } }),
    database.bulkRun.deleteMany({ where: { shopDomain } }),
    database.responseDailyRollup.deleteMany({ where: { shopDomain } }),
    database.segmentDailyRollup.deleteMany({ where: { shopDomain } }),
    database.repeatDailyRollup.deleteMany({ where: { shopDomain } }),
    database.invitationDailyRollup.deleteMany({ where: { shopDomain } }),
    database.surveyVersion.deleteMany({ where: { shopDomain } }),
    database.survey.deleteMany({ where: { shopDomain } }),
    database.session.deleteMany({ where: { shop: shopDomain } }),
    database.shop.deleteMany({ where: { shopDomain } }),
  ]);
  return "redacted";
}
