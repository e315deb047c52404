import type { SyncJob } from "@prisma/client";
import { z } from "zod";
import {
  FLOW_TRIGGER_RECEIVE,
  type FlowTriggerReceiveResult,
} from "~/adapters/shopify-admin/operations-flow";
import type { Category } from "~/domain/category";
import { NPS_FLOW_TRIGGER_HANDLE, npsFlowPayload } from "~/domain/flow-trigger";
import {
  failOnUserErrors,
  PermanentSyncError,
  type SyncDependencies,
  readJobPayload,
} from "../job-runner.server";

// flowTriggerReceive is one mutation: 10 points.
const TRIGGER_COST = 10;
const jobPayloadSchema = z.object({ responseId: z.string().min(1) });

function responseIdOf(job: SyncJob): string {
  return readJobPayload(job, jobPayloadSchema, "without a responseId").responseId;
}

/**
 * Announces one confirmed answer to the shop's Shopify Flow workflows ("NPS response submitted"). The answer is
 * read when the job runs, not when it was queued, so a customer redacted in between sends neither their comment
 * nor their id. A 5xx is retried by the queue (Flow may then see the answer twice); user errors are permanent.
 */
export async function sendFlowTrigger(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const response = await deps.database.response.findFirst({
    where: { id: responseIdOf(job), shopDomain: job.shopDomain, status: "confirmed" },
    select: { customerId: true, orderId: true, score: true, category: true, comment: true },
  });
  if (!response) return; // gone with the shop's data (shop/redact): nothing left to announce
  const built = npsFlowPayload({ ...response, category: response.category as Category });
  if (!built.ok) throw new PermanentSyncError(built.error);

  const admin = await deps.adminFor(job.shopDomain);
  const { data } = await admin.request<FlowTriggerReceiveResult>(
    FLOW_TRIGGER_RECEIVE,
    { handle: NPS_FLOW_TRIGGER_HANDLE, payload: built.payload },
    TRIGGER_COST,
  );
  if (!data.flowTriggerReceive) throw new Error("flowTriggerReceive answered without a payload");
  failOnUserErrors(data.flowTriggerReceive.userErrors);
}
