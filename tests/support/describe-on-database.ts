import { describe } from "vitest";
import { type DatabaseKind, postgresUnavailableReason } from "./test-databases";

/** A suite that runs on one database kind; on PostgreSQL it is skipped, loudly named, when no server answers. */
export function describeOnDatabase(kind: DatabaseKind, title: string, body: () => void): void {
  const unavailable = kind === "postgresql" ? postgresUnavailableReason() : null;
  describe.skipIf(unavailable !== null)(
    `${title} on ${kind}${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`,
    body,
  );
}
