import type { Database } from "~/adapters/db/client.server";
import { createDueFollowUpSurveys } from "./follow-up-surveys.server";
import { openDueInvitations } from "./survey-timing.server";
import { scheduleDailyReconciliations } from "./sync/reconciliation.server";

// Answers given on the thank-you page before the order exists wait for the order webhook; one that never comes
// within this time is marked expired (kept, counted, never synced).
export const PENDING_ANSWER_TTL_MS = 3 * 24 * 60 * 60 * 1000;

export interface MaintenanceResult {
  invitationsOpened: number;
  invitationsExpired: number;
  pendingAnswersExpired: number;
}

/** Idempotent housekeeping for all shops (open due delivery stages, expire stale ones); safe on several instances. */
export async function expireStale(database: Database, now = new Date()): Promise<MaintenanceResult> {
  const invitationsOpened = await openDueInvitations(database, now);
  const invitations = await database.invitation.updateMany({
    where: { status: { in: ["pending", "scheduled"] }, expiresAt: { lte: now } },
    data: { status: "expired" },
  });
  const answers = await database.response.updateMany({
    where: { status: "pending", createdAt: { lte: new Date(now.getTime() - PENDING_ANSWER_TTL_MS) } },
    data: { status: "expired" },
  });
  await scheduleDailyReconciliations(database, now); // the daily tag check of each installed shop
  await createDueFollowUpSurveys(database, now); // asks resolved detractors again, N days after resolution
  return { invitationsOpened, invitationsExpired: invitations.count, pendingAnswersExpired: answers.count };
}

export async function unconfirmedAnswerCounts(database: Database, shopDomain: string) {
  const groups = await database.response.groupBy({
    by: ["status"],
    where: { shopDomain, status: { in: ["pending", "expired"] } },
    _count: { _all: true },
  });
  const countOf = (status: string) => groups.find((group) => group.status === status)?._count._all ?? 0;
  return { waitingForOrder: countOf("pending"), expired: countOf("expired") };
}
