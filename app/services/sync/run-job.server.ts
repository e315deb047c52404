import type { SyncJob } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import type { AdminClient } from "~/adapters/shopify-admin/admin-client.server";
import {
  CREATE_METAFIELD_DEFINITION,
  CREATE_SEGMENT,
  type CreateMetafieldDefinitionResult,
  type CreateSegmentResult,
  READ_CUSTOMER_TAGS,
  type ReadCustomerTagsResult,
  SET_METAFIELDS,
  type SetMetafieldsResult,
  type UserError,
  WRITE_CUSTOMER_CATEGORY,
  type WriteCustomerCategoryResult,
} from "~/adapters/shopify-admin/operations";
import { type Category, CATEGORIES } from "~/domain/category";
import { customerGid, orderGid } from "~/domain/order-gid";
import { signInvitationToken } from "~/domain/invitation-token";
import {
  categoryTagsToWrite,
  NPS_METAFIELD_DEFINITIONS,
  ORDER_METAFIELD_DEFINITIONS,
  planNpsMetafields,
} from "~/domain/tag-plan";
import { currentSurvey } from "../shops.server";

/** A failure Shopify reported about the data (not about availability): retrying will not help. */
export class PermanentSyncError extends Error {
  override name = "PermanentSyncError";
}

export interface SyncDependencies {
  database: Database;
  adminFor(shopDomain: string): Promise<AdminClient>;
  /** Signs survey-link tokens (the app's API secret). */
  surveyLinkSecret: string;
}

function describe(errors: UserError[]): string {
  return errors.map((error) => `${error.field?.join(".") ?? "input"}: ${error.message}`).join("; ");
}

// Shopify's costs: the tag read is one object (1 point), customerUpdate one mutation (10 points).
const READ_COST = 1;
const WRITE_COST = 10;

async function syncCustomerCategory(deps: SyncDependencies, job: SyncJob): Promise<void> {
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
    throw new PermanentSyncError(describe([{ field: ["id"], message: "Customer does not exist" }]));
  }
  const tags = categoryTagsToWrite(category, settings.tagNames, read.data.customer.tags);
  const { data } = await admin.request<WriteCustomerCategoryResult>(
    WRITE_CUSTOMER_CATEGORY,
    { input: { id, metafields, ...(tags ? { tags } : {}) } },
    WRITE_COST,
  );
  if (!data.customerUpdate) throw new Error("customerUpdate answered without a payload");
  if (data.customerUpdate.userErrors.length > 0) {
    throw new PermanentSyncError(describe(data.customerUpdate.userErrors));
  }
}

const SEGMENT_NAMES: Record<Category, string> = {
  promoter: "NPS promoters",
  passive: "NPS passives",
  detractor: "NPS detractors",
};

function isAlreadyThere(error: UserError): boolean {
  return error.code === "TAKEN" || /taken|already exists/i.test(error.message);
}

async function ensureSetup(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const admin = await deps.adminFor(job.shopDomain);
  const problems: UserError[] = [];
  const definitions = [
    ...NPS_METAFIELD_DEFINITIONS.map((definition) => ({ ...definition, ownerType: "CUSTOMER" })),
    ...ORDER_METAFIELD_DEFINITIONS.map((definition) => ({ ...definition, ownerType: "ORDER" })),
  ];
  for (const definition of definitions) {
    const { data } = await admin.request<CreateMetafieldDefinitionResult>(CREATE_METAFIELD_DEFINITION, {
      definition,
    });
    problems.push(
      ...(data.metafieldDefinitionCreate?.userErrors ?? []).filter((error) => !isAlreadyThere(error)),
    );
  }
  const { settings } = await currentSurvey(deps.database, job.shopDomain);
  for (const category of CATEGORIES) {
    const query = `customer_tags CONTAINS '${settings.tagNames[category]}'`;
    const { data } = await admin.request<CreateSegmentResult>(CREATE_SEGMENT, {
      name: SEGMENT_NAMES[category],
      query,
    });
    problems.push(...(data.segmentCreate?.userErrors ?? []).filter((error) => !isAlreadyThere(error)));
  }
  if (problems.length > 0) throw new PermanentSyncError(describe(problems));
}

/** Writes the order's signed survey link to nps.survey_url while its invitation is open. */
async function writeSurveyLink(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const { invitationId } = JSON.parse(job.payload) as { invitationId?: string };
  const invitation = invitationId
    ? await deps.database.invitation.findFirst({ where: { id: invitationId, shopDomain: job.shopDomain } })
    : null;
  if (invitation?.status !== "pending") return;
  const token = signInvitationToken(
    {
      shop: job.shopDomain,
      invitationId: invitation.id,
      expiresAt: Math.floor(invitation.expiresAt.getTime() / 1000),
    },
    deps.surveyLinkSecret,
  );
  const admin = await deps.adminFor(job.shopDomain);
  const { data } = await admin.request<SetMetafieldsResult>(SET_METAFIELDS, {
    metafields: [
      {
        ownerId: orderGid(invitation.orderId),
        namespace: "nps",
        key: "survey_url",
        type: "url",
        value: `https://${job.shopDomain}/?nps_token=${encodeURIComponent(token)}`,
      },
    ],
  });
  const userErrors = data.metafieldsSet?.userErrors ?? [];
  if (userErrors.length > 0) throw new PermanentSyncError(describe(userErrors));
}

export async function runJob(deps: SyncDependencies, job: SyncJob): Promise<void> {
  switch (job.kind) {
    case "customer_category":
      return syncCustomerCategory(deps, job);
    case "ensure_setup":
      return ensureSetup(deps, job);
    case "order_survey_link":
      return writeSurveyLink(deps, job);
    default:
      throw new PermanentSyncError(`unknown job kind ${job.kind}`);
  }
}
