import type { SyncJob } from "@prisma/client";
import { SET_METAFIELDS, type SetMetafieldsResult } from "~/adapters/shopify-admin/operations";
import { signInvitationToken } from "~/domain/invitation-token";
import { orderGid } from "~/domain/order-gid";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";
/** Writes the order's signed survey link to nps.survey_url while its invitation is open. */
export async function writeSurveyLink(deps: SyncDependencies, job: SyncJob): Promise<void> {
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
  if (userErrors.length > 0) throw new PermanentSyncError(describeUserErrors(userErrors));
}
