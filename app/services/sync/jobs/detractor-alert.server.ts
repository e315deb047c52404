import type { SyncJob } from "@prisma/client";
import { z } from "zod";
import { MailDeliveryError } from "~/adapters/email.server";
import { logger } from "~/adapters/log.server";
import { detractorAlertMail } from "~/domain/detractor-alert";
import { orderFactsFromJson } from "~/domain/order-facts";
import { env } from "~/env.server";
import { currentSurvey } from "../../shops.server";
import { PermanentSyncError, type SyncDependencies, readJobPayload } from "../job-runner.server";

export const ALERT_OUTCOMES = [
  "sent",
  "skipped_smtp_not_configured",
  "skipped_alerts_off",
  "skipped_follow_up_gone",
] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

const jobPayloadSchema = z.object({
  followUpId: z.string().min(1),
  outcome: z.enum(ALERT_OUTCOMES).optional(),
});
type AlertJobPayload = z.infer<typeof jobPayloadSchema>;

function payloadOf(job: SyncJob): AlertJobPayload {
  return readJobPayload(job, jobPayloadSchema, "without a followUpId");
}

/** The outcome is kept on the job itself: a skip is visible there, and a re-run after a crash does not mail twice. */
async function record(deps: SyncDependencies, job: SyncJob, payload: AlertJobPayload, outcome: AlertOutcome) {
  await deps.database.syncJob.update({
    where: { id: job.id },
    data: { payload: JSON.stringify({ ...payload, outcome }) },
  });
  logger.info(
    { jobId: job.id, shop: job.shopDomain, followUpId: payload.followUpId, outcome },
    "detractor alert",
  );
}

/**
 * Emails the shop's alert address about a new detractor follow-up. Read when the job runs: a follow-up redacted
 * or an alert address removed in between sends nothing. Without SMTP the job completes as skipped, never dead;
 * an unreachable server or a 4xx is retried by the queue, a 5xx answer is permanent.
 */
export async function sendDetractorAlert(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const payload = payloadOf(job);
  if (payload.outcome === "sent") return; // mailed before a crash kept the job from completing
  const followUp = await deps.database.followUp.findFirst({
    where: { id: payload.followUpId, shopDomain: job.shopDomain },
  });
  const response = followUp
    ? await deps.database.response.findFirst({
        where: { id: followUp.responseId, shopDomain: job.shopDomain },
      })
    : null;
  if (!followUp || !response) return record(deps, job, payload, "skipped_follow_up_gone");
  const { settings } = await currentSurvey(deps.database, job.shopDomain);
  const to = settings.alerts.detractorEmail;
  if (!to) return record(deps, job, payload, "skipped_alerts_off");
  if (!deps.mailer) return record(deps, job, payload, "skipped_smtp_not_configured");

  const invitation = await deps.database.invitation.findFirst({
    where: { id: response.invitationId, shopDomain: job.shopDomain },
    select: { orderName: true, orderFacts: true },
  });
  const orderName =
    invitation?.orderName ??
    (invitation?.orderFacts ? orderFactsFromJson(invitation.orderFacts).orderName : null);
  const mail = detractorAlertMail({
    shopDomain: job.shopDomain,
    apiKey: env().SHOPIFY_API_KEY,
    followUpId: followUp.id,
    score: response.score,
    comment: response.comment,
    orderId: response.orderId,
    orderName,
    stage: response.stage,
  });
  try {
    await deps.mailer.send({ to, ...mail });
  } catch (error) {
    if (error instanceof MailDeliveryError && !error.retryable) throw new PermanentSyncError(error.message);
    throw error;
  }
  await record(deps, job, payload, "sent");
}
