import type { SyncJob } from "@prisma/client";
import type { SyncJobKind } from "./job-queue.server";
import { type JobRunner, PermanentSyncError, type SyncDependencies } from "./job-runner.server";
import { syncCustomerCategory } from "./jobs/customer-category.server";
import { ensureSetup } from "./jobs/ensure-setup.server";
import { writeSurveyLink } from "./jobs/survey-link.server";

export { PermanentSyncError, type SyncDependencies } from "./job-runner.server";

// One runner per job kind; adding a kind means a file in ./jobs and a line here.
const RUNNERS: Record<SyncJobKind, JobRunner> = {
  customer_category: syncCustomerCategory,
  ensure_setup: ensureSetup,
  order_survey_link: writeSurveyLink,
};

export async function runJob(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const runner = RUNNERS[job.kind as SyncJobKind];
  if (!runner) throw new PermanentSyncError(`unknown job kind ${job.kind}`);
  return runner(deps, job);
}
