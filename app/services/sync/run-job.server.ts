import type { SyncJob } from "@prisma/client";
import type { SyncJobKind } from "./job-queue.server";
import { type JobRunner, PermanentSyncError, type SyncDependencies } from "./job-runner.server";
import { runBulkRetag } from "./jobs/bulk-retag.server";
import { syncCustomerCategory } from "./jobs/customer-category.server";
import { sendDetractorAlert } from "./jobs/detractor-alert.server";
import { enrichCustomer } from "./jobs/enrich-customer.server";
import { ensureSetup } from "./jobs/ensure-setup.server";
import { sendFlowTrigger } from "./jobs/flow-trigger.server";
import { applyQueuedOrderWebhook } from "./jobs/order-webhook.server";
import { reconcileTags } from "./jobs/reconcile-tags.server";
import { writeSurveyLink } from "./jobs/survey-link.server";
import { updateSegments } from "./jobs/update-segments.server";

export { PermanentSyncError, type SyncDependencies } from "./job-runner.server";

// One runner per job kind; adding a kind means a file in ./jobs and a line here.
const RUNNERS: Record<SyncJobKind, JobRunner> = {
  customer_category: syncCustomerCategory,
  ensure_setup: ensureSetup,
  order_survey_link: writeSurveyLink,
  flow_trigger: sendFlowTrigger,
  enrich_customer: enrichCustomer,
  reconcile_tags: reconcileTags,
  update_segments: updateSegments,
  bulk_retag: runBulkRetag,
  detractor_alert: sendDetractorAlert,
  order_webhook: applyQueuedOrderWebhook,
};

export async function runJob(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const runner = RUNNERS[job.kind as SyncJobKind];
  if (!runner) throw new PermanentSyncError(`unknown job kind ${job.kind}`);
  return runner(deps, job);
}
