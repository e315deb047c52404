import type { Database } from "~/adapters/db/client.server";

// Answers given on the thank-you page before the order exists wait for the order webhook; one that never comes
// within this time is marked expired (kept, counted, never synced).
export const PENDING_ANSWER_TTL_MS = 3 * 24 * 60 * 60 * 1000;

export interface MaintenanceResult {
  invitationsExpired: number;
  pendingAnswersExpired: number;
}

/** Idempotent housekeeping for all shops; safe to run from several instances at once. */
export async function expireStale(database: Database, now = new Date()): Promise<MaintenanceResult> {
  const invitations = await database.invitation.updateMany({
    where: { status: "pending", expiresAt: { lte: now } },
    data: { status: "expired" },
  });
  const answers = await database.response.updateMany({
    where: { status: "pending", createdAt: { lte: new Date(now.getTime() - PENDING_ANSWER_TTL_MS) } },
    data: { status: "expired" },
  });
  return { invitationsExpired: invitations.count, pendingAnswersExpired: answers.count };
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
