import type { SyncJob } from "@prisma/client";
import type { Database } from "./client.server";

export interface JobClaim {
  workerId: string;
  limit: number;
  now: Date;
  lockedUntil: Date;
}

/**
 * PostgreSQL: one statement claims the oldest due jobs (pending and due, or running with a lapsed lease) and
 * skips rows another worker is claiming at the same moment, so concurrent workers take disjoint batches without
 * losing races (see docs/decisions/0004-job-claims.md).
 */
export async function claimJobsSkipLocked(database: Database, claim: JobClaim): Promise<SyncJob[]> {
  const rows = await database.$queryRawUnsafe<SyncJob[]>(
    `UPDATE "SyncJob"
        SET "status" = 'running', "lockedBy" = $1, "lockedUntil" = $2, "attempts" = "attempts" + 1,
            "updatedAt" = $3
      WHERE "id" IN (
        SELECT "id" FROM "SyncJob"
         WHERE ("status" = 'pending' AND "runAt" <= $3) OR ("status" = 'running' AND "lockedUntil" < $3)
         ORDER BY "runAt"
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    claim.workerId,
    claim.lockedUntil,
    claim.now,
    claim.limit,
  );
  return rows.sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
}
