import type { Prisma } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { recountAnswers } from "~/adapters/db/report-rollups.server";
import { expiresAfterOpening, opensAfterFulfillment } from "~/domain/survey-timing";
import { currentSurvey } from "./shops.server";
import { enqueueJob } from "./sync/job-queue.server";

// The delivery stage of a survey: scheduled with the order, given an opening time by the fulfillment, opened by a
// delivery event or by the clock. Opening is a compare-and-set on the status, so two instances open it once.
type Tx = Prisma.TransactionClient;

/** orders/fulfilled: the delivery stage opens daysAfterFulfillment later unless a delivery event comes first. */
export async function scheduleDeliveryStage(tx: Tx, shopDomain: string, orderId: string, fulfilledAt: Date) {
  // The order's answers move to a fulfillment-delay band: the reports' rollups recount them.
  await recountAnswers(tx, shopDomain, { orderIds: [orderId] }, () =>
    tx.invitation.updateMany({
      where: { shopDomain, orderId, fulfilledAt: null },
      data: { fulfilledAt },
    }),
  );
  const { settings } = await currentSurvey(tx, shopDomain);
  const opensAt = opensAfterFulfillment(fulfilledAt, settings);
  await tx.invitation.updateMany({
    where: { shopDomain, orderId, stage: "delivery", status: "scheduled", opensAt: null },
    data: { opensAt, expiresAt: expiresAfterOpening(opensAt, settings) },
  });
}

async function open(tx: Tx, invitationId: string, shopDomain: string, now: Date): Promise<boolean> {
  const { settings } = await currentSurvey(tx, shopDomain);
  const opened = await tx.invitation.updateMany({
    where: { id: invitationId, status: "scheduled" },
    data: { status: "pending", opensAt: now, expiresAt: expiresAfterOpening(now, settings) },
  });
  if (opened.count === 0) return false;
  if (settings.channels.surveyLink) {
    await enqueueJob(tx, { shopDomain, kind: "order_survey_link", payload: { invitationId } });
  }
  return true;
}

/** A DELIVERED fulfillment event opens the order's delivery stage now. */
export async function openDeliveryStage(tx: Tx, shopDomain: string, orderId: string, now: Date) {
  const invitation = await tx.invitation.findUnique({
    where: { shopDomain_orderId_stage: { shopDomain, orderId, stage: "delivery" } },
    select: { id: true, status: true },
  });
  if (invitation?.status !== "scheduled") return false;
  return open(tx, invitation.id, shopDomain, now);
}

/** Opens every delivery stage whose time has come (no delivery event arrived). Idempotent across instances. */
export async function openDueInvitations(database: Database, now = new Date(), batch = 500): Promise<number> {
  const due = await database.invitation.findMany({
    where: { status: "scheduled", opensAt: { lte: now } },
    select: { id: true, shopDomain: true },
    orderBy: { opensAt: "asc" },
    take: batch,
  });
  let opened = 0;
  for (const invitation of due) {
    const done = await database.$transaction((tx) => open(tx, invitation.id, invitation.shopDomain, now));
    if (done) opened += 1;
  }
  return opened;
}
