import type { SyncJob } from "@prisma/client";
import { z } from "zod";
import { ROLLUP_TRANSACTION } from "~/adapters/db/client.server";
import { retryOnUniqueViolation } from "~/adapters/db/unique-violation.server";
import { storedOrderFactsSchema } from "~/domain/order-facts";
import { applyOrderWork } from "~/services/order-webhooks.server";
import { readJobPayload, type SyncDependencies } from "../job-runner.server";

const queuedOrderSchema = z.object({
  receivedAt: z.coerce.date(),
  fulfilled: z.boolean(),
  fulfilledAt: z.coerce.date().nullable(),
  facts: storedOrderFactsSchema,
});

/**
 * A queued orders/create or orders/fulfilled delivery (WEBHOOK_PROCESSING=queued): the order use case in one
 * transaction, as of the delivery's arrival. Applying it twice changes nothing (the order's facts are kept once).
 */
export async function applyQueuedOrderWebhook(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const { receivedAt, ...work } = readJobPayload(job, queuedOrderSchema, "payload is not a queued order");
  // orders/create and orders/fulfilled of one order can run side by side: the later one to create an invitation
  // meets the unique key, and on its second try finds the order's facts stored.
  await retryOnUniqueViolation(() =>
    deps.database.$transaction(
      (tx) => applyOrderWork(tx, job.shopDomain, work, receivedAt),
      ROLLUP_TRANSACTION,
    ),
  );
}
