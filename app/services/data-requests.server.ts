import type { Prisma } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { DATA_REQUEST_DEADLINE_DAYS } from "~/domain/data-request";
import { ServiceError } from "./service-error";

// customers/data_request: Shopify asks the merchant to hand a customer everything the app holds about them
// within 30 days. Each request is kept (once per webhook delivery) with a JSON export the merchant downloads.
const DAY_MS = 86_400_000;

/** Keeps one customers/data_request delivery (the caller records the delivery once, see oncePerDelivery). */
export async function recordDataRequest(
  tx: Prisma.TransactionClient,
  input: { shopDomain: string; webhookId: string; customerId: string; ordersRequested: string[]; now?: Date },
): Promise<void> {
  // Kept before deliveries were recorded for this topic: such a replay finds its row by the webhook id.
  if (await tx.dataRequest.findUnique({ where: { webhookId: input.webhookId } })) return;
  await tx.dataRequest.create({
    data: {
      shopDomain: input.shopDomain,
      webhookId: input.webhookId,
      customerId: input.customerId,
      ordersRequested: JSON.stringify(input.ordersRequested),
      receivedAt: input.now ?? new Date(),
    },
  });
}

export interface DataRequestRow {
  id: string;
  customerId: string;
  receivedAt: Date;
  dueBy: Date;
  deliveredAt: Date | null;
}

/** The shop's requests, open ones first, each with the date the data is due. */
export async function listDataRequests(database: Database, shopDomain: string): Promise<DataRequestRow[]> {
  const rows = await database.dataRequest.findMany({
    where: { shopDomain },
    orderBy: [{ deliveredAt: { sort: "asc", nulls: "first" } }, { receivedAt: "desc" }],
    take: 200,
  });
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId,
    receivedAt: row.receivedAt,
    dueBy: new Date(row.receivedAt.getTime() + DATA_REQUEST_DEADLINE_DAYS * DAY_MS),
    deliveredAt: row.deliveredAt,
  }));
}

async function requestOf(database: Database, shopDomain: string, id: string) {
  const request = await database.dataRequest.findFirst({ where: { id, shopDomain } });
  if (!request)
    throw new ServiceError("not_found", { field: "id", message: "no such data request in this shop" });
  return request;
}

/** Everything NPS Sync holds about the request's customer (and the orders Shopify named), scoped to the shop. */
export async function customerDataExport(database: Database, shopDomain: string, id: string) {
  const request = await requestOf(database, shopDomain, id);
  const { customerId } = request;
  const orderIds = JSON.parse(request.ordersRequested) as string[];
  const about = { shopDomain, OR: [{ customerId }, { orderId: { in: orderIds } }] };
  const [profile, invitations, responses] = await Promise.all([
    database.customerProfile.findUnique({ where: { shopDomain_customerId: { shopDomain, customerId } } }),
    database.invitation.findMany({ where: about, orderBy: { createdAt: "asc" } }),
    database.response.findMany({ where: about, orderBy: { createdAt: "asc" } }),
  ]);
  const followUps = await database.followUp.findMany({
    where: { shopDomain, responseId: { in: responses.map((response) => response.id) } },
  });
  return {
    request: { id: request.id, customerId, ordersRequested: orderIds, receivedAt: request.receivedAt },
    generatedAt: new Date(),
    profile,
    invitations: invitations.map(({ orderFacts, ...invitation }) => ({
      ...invitation,
      orderFacts: orderFacts ? (JSON.parse(orderFacts) as unknown) : null,
    })),
    responses,
    followUps,
  };
}

export async function markDataRequestDelivered(
  database: Database,
  shopDomain: string,
  id: string,
  now = new Date(),
) {
  const request = await requestOf(database, shopDomain, id);
  if (request.deliveredAt) return request;
  return database.dataRequest.update({ where: { id: request.id }, data: { deliveredAt: now } });
}
