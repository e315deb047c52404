import type { SyncJob } from "@prisma/client";
import {
  READ_CUSTOMER_TAGS,
  type ReadCustomerTagsResult,
  WRITE_CUSTOMER_CATEGORY,
  type WriteCustomerCategoryResult,
} from "~/adapters/shopify-admin/operations";
import type { Category } from "~/domain/category";
import { customerGid } from "~/domain/order-gid";
import { categoryTagsToWrite, planNpsMetafields } from "~/domain/tag-plan";
import { currentSurvey } from "../../shops.server";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";
// Shopify's costs: the tag read is one object (1 point), customerUpdate one mutation (10 points).
const READ_COST = 1;
const WRITE_COST = 10;

export async function syncCustomerCategory(deps: SyncDependencies, job: SyncJob): Promise<void> {
  if (!job.customerId) throw new PermanentSyncError("customer_category job without a customer");
  // Coalescing: the job reads the customer's newest answer when it runs, whatever order jobs were queued in.
  const profile = await deps.database.customerProfile.findUnique({
    where: { shopDomain_customerId: { shopDomain: job.shopDomain, customerId: job.customerId } },
  });
  if (!profile?.latestCategory || profile.latestScore === null || !profile.latestRespondedAt) return;
  const category = profile.latestCategory as Category;
  const { settings } = await currentSurvey(deps.database, job.shopDomain);
  const latest = await deps.database.response.findFirst({
    where: { shopDomain: job.shopDomain, customerId: job.customerId, status: "confirmed" },
    orderBy: { createdAt: "desc" },
    select: { comment: true },
  });
  const id = customerGid(job.customerId);
  const metafields = planNpsMetafields({
    score: profile.latestScore,
    category,
    respondedAt: profile.latestRespondedAt,
    comment: latest?.comment ?? null,
  });

  // One read (1 point) and one customerUpdate (10 points): ~9 customers/s on a Standard plan's 100 points/s.
  // Guard: customerUpdate replaces every tag and Shopify offers no compare-and-set on tags, so a tag someone adds
  // after our read and before our write would be overwritten. Nothing Shopify returns afterwards tells such a
  // write apart from ours (updatedAt is then our write's), so the guard keeps the window as small as it can be:
  // - the read waits until the write's points are in the bucket too, so the write follows it with no pacing
  //   sleep — the window is one round trip;
  // - when the tags already match the category, the write leaves `tags` out and overwrites nothing;
  // - all database work is done before the read. (The Admin client re-sends a write that met a 5xx or THROTTLED
  //   with the same list, which stretches the window by its wait; a write that fails in the end throws, and the
  //   retried job starts again from a fresh read.)
  // tests/integration/customer-write-guard.test.ts shows what survives and what the one-round-trip window costs.
  const admin = await deps.adminFor(job.shopDomain);
  const read = await admin.request<ReadCustomerTagsResult>(
    READ_CUSTOMER_TAGS,
    { id },
    READ_COST + WRITE_COST,
  );
  if (!read.data.customer) {
    throw new PermanentSyncError(describeUserErrors([{ field: ["id"], message: "Customer does not exist" }]));
  }
  const tags = categoryTagsToWrite(category, settings.tagNames, read.data.customer.tags);
  const { data } = await admin.request<WriteCustomerCategoryResult>(
    WRITE_CUSTOMER_CATEGORY,
    { input: { id, metafields, ...(tags ? { tags } : {}) } },
    WRITE_COST,
  );
  if (!data.customerUpdate) throw new Error("customerUpdate answered without a payload");
  if (data.customerUpdate.userErrors.length > 0) {
    throw new PermanentSyncError(describeUserErrors(data.customerUpdate.userErrors));
  }
}
