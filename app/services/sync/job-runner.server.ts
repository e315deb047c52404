import type { SyncJob } from "@prisma/client";
import type { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import type { Mailer } from "~/adapters/email.server";
import type { AdminClient } from "~/adapters/shopify-admin/admin-client.server";
import type { UserError } from "~/adapters/shopify-admin/operations";

/** A failure Shopify reported about the data (not about availability): retrying will not help. */
export class PermanentSyncError extends Error {
  override name = "PermanentSyncError";
}

export interface SyncDependencies {
  database: Database;
  adminFor(shopDomain: string): Promise<AdminClient>;
  /** Signs survey-link tokens (the app's API secret). */
  surveyLinkSecret: string;
  /** Merchant alert mail (mailerFromEnv in production); absent or null: SMTP is not configured. */
  mailer?: Mailer | null;
}

/** How one kind of job is run; each kind lives in app/services/sync/jobs/. */
export type JobRunner = (deps: SyncDependencies, job: SyncJob) => Promise<void>;

export function describeUserErrors(errors: UserError[]): string {
  return errors.map((error) => `${error.field?.join(".") ?? "input"}: ${error.message}`).join("; ");
}

/** Throws the user errors Shopify answered as a permanent failure (recorded on the job, not retried). */
export function failOnUserErrors(errors: UserError[] | undefined | null): void {
  if (errors && errors.length > 0) throw new PermanentSyncError(describeUserErrors(errors));
}

/** The job's payload as `schema` reads it; a payload that is not JSON or does not fit is a permanent failure. */
export function readJobPayload<T extends z.ZodTypeAny>(job: SyncJob, schema: T, problem: string): z.infer<T> {
  let payload: unknown = null;
  try {
    payload = JSON.parse(job.payload);
  } catch {
    // not JSON: refused below like any payload that does not fit
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new PermanentSyncError(`${job.kind} job ${problem}`);
  return parsed.data;
}
