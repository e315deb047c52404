import type { SyncJob } from "@prisma/client";
import { z } from "zod";
import { recountAnswers } from "~/adapters/db/report-rollups.server";
import {
  READ_CUSTOMER_ORDER_FACTS,
  READ_CUSTOMER_ORDER_FACTS_COST,
  type ReadCustomerOrderFactsResult,
} from "~/adapters/shopify-admin/operations-enrich";
import {
  answerTimeFacts,
  mergeProfileFacts,
  type ShopifyCustomerFacts,
  shopifyCustomerSchema,
} from "~/domain/customer-enrichment";
import { orderFactsFromJson } from "~/domain/order-facts";
import { customerGid } from "~/domain/order-gid";
import { sharedBuckets } from "~/adapters/shopify-admin/admin-client.server";
import { spareShare } from "~/domain/leaky-bucket";
import { enqueueJob } from "../job-queue.server";
import {
  describeUserErrors,
  PermanentSyncError,
  type SyncDependencies,
  readJobPayload,
} from "../job-runner.server";

const MIN_SPARE_SHARE = 0.5;
const WAIT_FOR_SPARE_MS = 30_000;

const jobPayloadSchema = z.object({ responseId: z.string().min(1).optional() });
// A webhook that counts an order between our read of the profile and our write makes the write miss; each miss
// re-reads the profile (not Shopify).
const MAX_WRITE_ATTEMPTS = 5;

function responseIdOf(job: SyncJob): string | undefined {
  return readJobPayload(job, jobPayloadSchema, "with an unreadable payload").responseId;
}

async function readShopifyFacts(
  deps: SyncDependencies,
  job: SyncJob & { customerId: string },
): Promise<ShopifyCustomerFacts> {
  const admin = await deps.adminFor(job.shopDomain);
  const { data } = await admin.request<ReadCustomerOrderFactsResult>(
    READ_CUSTOMER_ORDER_FACTS,
    { id: customerGid(job.customerId) },
    READ_CUSTOMER_ORDER_FACTS_COST,
  );
  if (!data.customer) {
    throw new PermanentSyncError(describeUserErrors([{ field: ["id"], message: "Customer does not exist" }]));
  }
  const parsed = shopifyCustomerSchema.safeParse(data.customer);
  if (!parsed.success) {
    throw new PermanentSyncError(
      `Shopify's customer did not parse: ${parsed.error.issues[0]?.message ?? ""}`,
    );
  }
  return parsed.data;
}

/**
 * Completes the customer's profile (orders count, total spent, first/last order) from Shopify, and the answer
 * that queued the job with the customer's orders count and new-vs-returning status at the time of the answer.
 * See app/domain/customer-enrichment.ts for how Shopify's figures and the webhooks' are merged.
 */
export async function enrichCustomer(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const { customerId } = job;
  if (!customerId) throw new PermanentSyncError("enrich_customer job without a customer");
  const responseId = responseIdOf(job);
  const key = { shopDomain: job.shopDomain, customerId };
  if (!(await deps.database.customerProfile.findUnique({ where: { shopDomain_customerId: key } }))) return;
  // Enrichment can wait, tags cannot: it only spends points the shop's bucket has to spare, so a burst of answers
  // is tagged at the full rate and enriched after (the job comes back later, without spending anything now).
  const spare = spareShare(sharedBuckets.get(job.shopDomain), Date.now());
  if (spare !== null && spare < MIN_SPARE_SHARE) {
    await enqueueJob(deps.database, {
      shopDomain: job.shopDomain,
      kind: "enrich_customer",
      customerId,
      payload: responseId ? { responseId } : {},
      runAt: new Date(Date.now() + WAIT_FOR_SPARE_MS),
    });
    return;
  }
  const shopify = await readShopifyFacts(deps, { ...job, customerId });

  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const written = await deps.database.$transaction(async (tx) => {
      const profile = await tx.customerProfile.findUnique({ where: { shopDomain_customerId: key } });
      if (!profile) return true; // redacted meanwhile: nothing to keep
      const { count } = await tx.customerProfile.updateMany({
        where: { ...key, ordersCount: profile.ordersCount },
        data: { ...mergeProfileFacts(profile, shopify), enrichedAt: new Date() },
      });
      if (count === 0) return false;
      const response = responseId
        ? await tx.response.findFirst({
            where: { id: responseId, ...key, status: "confirmed" },
            include: { invitation: { select: { orderFacts: true } } },
          })
        : null;
      if (response) {
        const facts = answerTimeFacts({
          answeredAt: response.createdAt,
          surveyedOrderAt: response.invitation.orderFacts
            ? orderFactsFromJson(response.invitation.orderFacts).createdAt
            : null,
          recorded: {
            customerOrdersCount: response.customerOrdersCount,
            returningCustomer: response.returningCustomer,
          },
          shopify,
        });
        // New vs returning is a dimension of the reports' rollups: the answer is recounted around the change.
        await recountAnswers(tx, job.shopDomain, { responseIds: [response.id] }, () =>
          tx.response.update({ where: { id: response.id }, data: facts }),
        );
      }
      return true;
    });
    if (written) return;
  }
  throw new Error("the customer's profile kept changing while it was enriched");
}
