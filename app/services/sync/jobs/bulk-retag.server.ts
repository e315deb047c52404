import type { BulkRun, Prisma, SyncJob } from "@prisma/client";
import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import type { AdminClient } from "~/adapters/shopify-admin/admin-client.server";
import { WRITE_CUSTOMER_CATEGORY } from "~/adapters/shopify-admin/operations";
import {
  BULK_TAGS_ADD,
  BULK_TAGS_REMOVE,
  READ_BULK_OPERATION,
  type ReadBulkOperationResult,
  RUN_BULK_MUTATION,
  type RunBulkMutationResult,
  STAGE_BULK_UPLOAD,
  type StageBulkUploadResult,
} from "~/adapters/shopify-admin/operations-bulk";
import {
  earlierTagNames,
  ERROR_SAMPLE_SIZE,
  parseRetagOperations,
  planRetagOperations,
  RETAG_KIND_LABELS,
  type RetagCustomer,
  type RetagKind,
  type RetagOperation,
  retagLine,
  summarizeResults,
  tagNamesChanged,
  toJsonl,
} from "~/domain/bulk-retag";
import type { Category } from "~/domain/category";
import { backoffDelay } from "~/domain/leaky-bucket";
import { DEFAULT_SURVEY_SETTINGS } from "~/domain/survey-settings";
import { currentSurvey } from "../../shops.server";
import { enqueueJob } from "../job-queue.server";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";

// "Re-tag all customers" through Shopify's bulk mutations (runs started by app/services/sync/retag.server.ts).
//
// Per part of PART_SIZE answered customers (in customer id order) the run sends three bulk mutations: tagsAdd of
// the category's tag, tagsRemove of every other NPS tag name (current and earlier settings), and customerUpdate
// with the nps metafields and no `tags`. tagsAdd/tagsRemove keep every other tag, so no merchant tag can be lost,
// however long the import takes — the single-customer path's customerUpdate(tags:) replaces the list it read, which
// a bulk import (minutes to hours between a read and a line's write) could not guard. The cost: three lines per
// customer instead of one; since API 2026-01 a shop runs five bulk mutations at once, so they run side by side.
//
// Durable and resumable: the run's progress (parts, each operation's id, status and counts) is stored on its
// BulkRun row after every step, and the job re-enqueues itself with a runAt for the next poll instead of sleeping.
// Each save is a compare-and-set on BulkRun.step: of two jobs working on one run (a lease ran out while its first
// worker still worked), the second to save stops. A job re-claimed after a crash finds a newer step: it does nothing
// when a newer job carries the run on, and resumes the run from its saved state when none does. What a crash can
// repeat is the step in hand: an operation submitted just before the crash, before its id was saved, is submitted
// again. Every line is idempotent (adding a tag it has, removing tags it lacks, setting the same metafields), so a
// repeat costs time, not correctness.

export const PART_SIZE = 20_000; // ~10 MB of metafield lines at most (255-character comments): far below 100 MB
export const BULK_MUTATION_CONCURRENCY = 5; // Shopify's per-shop limit since API 2026-01
export const MAX_OPERATION_ATTEMPTS = 3;

const MUTATIONS: Record<RetagKind, string> = {
  tags_add: BULK_TAGS_ADD,
  tags_remove: BULK_TAGS_REMOVE,
  metafields: WRITE_CUSTOMER_CATEGORY,
};

const payloadSchema = z.object({
  runId: z.string().min(1),
  step: z.number().int().nonnegative(),
  /** Retryable failures in a row (Shopify unavailable, network): the run fails after MAX_STEP_FAILURES. */
  failures: z.number().int().nonnegative().default(0),
});
export const MAX_STEP_FAILURES = 8;

const tagNamesSchema = z.object({ promoter: z.string(), passive: z.string(), detractor: z.string() });
const runNamesSchema = z.object({ names: tagNamesSchema, previous: z.array(tagNamesSchema) });
type RunNames = z.infer<typeof runNamesSchema>;

type Tx = Prisma.TransactionClient | Database;

export function bulkRetagPayload(runId: string, step: number, failures = 0) {
  return { runId, step, failures };
}

/** A new run, active for its shop, with its first job — in the caller's transaction. */
export async function createBulkRun(
  tx: Tx,
  input: { shopDomain: string; trigger: "manual" | "settings"; pollMs?: number },
): Promise<BulkRun> {
  const run = await tx.bulkRun.create({
    data: {
      shopDomain: input.shopDomain,
      activeShop: input.shopDomain,
      trigger: input.trigger,
      ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
    },
  });
  await enqueueJob(tx, {
    shopDomain: input.shopDomain,
    kind: "bulk_retag",
    payload: bulkRetagPayload(run.id, 0),
  });
  return run;
}

/** The run moved on without this job (another worker, or a newer job): stop quietly. */
class StaleStep extends Error {}

/** The run as this job holds it; every save is a compare-and-set on `step`. */
class RunHandle {
  constructor(
    readonly database: Database,
    public run: BulkRun,
  ) {}

  async save(data: Prisma.BulkRunUpdateManyMutationInput, tx: Tx = this.database): Promise<void> {
    const { count } = await tx.bulkRun.updateMany({
      where: { id: this.run.id, step: this.run.step },
      data: { ...data, step: this.run.step + 1 },
    });
    if (count !== 1) throw new StaleStep();
    this.run = { ...this.run, step: this.run.step + 1 };
  }
}

async function prepare(
  handle: RunHandle,
  now: Date,
): Promise<{ operations: RetagOperation[]; names: RunNames }> {
  const { database, run } = handle;
  const { settings } = await currentSurvey(database, run.shopDomain);
  const versions = await database.surveyVersion.findMany({
    where: { shopDomain: run.shopDomain },
    orderBy: { version: "asc" },
    select: { settings: true },
  });
  const history = [
    DEFAULT_SURVEY_SETTINGS.tagNames,
    ...versions.flatMap((version) => {
      const parsed = z.object({ tagNames: tagNamesSchema }).safeParse(JSON.parse(version.settings));
      return parsed.success ? [parsed.data.tagNames] : [];
    }),
  ];
  const names: RunNames = { names: settings.tagNames, previous: earlierTagNames(history, settings.tagNames) };

  const parts: { after: string | null; last: string }[] = [];
  let after: string | null = null;
  let customers = 0;
  for (;;) {
    const rows: { customerId: string }[] = await database.customerProfile.findMany({
      where: {
        shopDomain: run.shopDomain,
        latestCategory: { not: null },
        ...(after !== null ? { customerId: { gt: after } } : {}),
      },
      orderBy: { customerId: "asc" },
      select: { customerId: true },
      take: PART_SIZE,
    });
    const last = rows.at(-1)?.customerId;
    if (!last) break;
    parts.push({ after, last });
    customers += rows.length;
    after = last;
    if (rows.length < PART_SIZE) break;
  }
  const operations = planRetagOperations(parts);
  await handle.save({
    preparedAt: now,
    tagNames: JSON.stringify(names),
    customers,
    operations: JSON.stringify(operations),
  });
  return { operations, names };
}

/** The customers of one part, with what their lines need; the comment is the latest answer's, as the single path. */
async function partCustomers(database: Database, shopDomain: string, operation: RetagOperation) {
  const range = { ...(operation.after !== null ? { gt: operation.after } : {}), lte: operation.last };
  const profiles = await database.customerProfile.findMany({
    where: { shopDomain, latestCategory: { not: null }, customerId: range },
    orderBy: { customerId: "asc" },
    select: { customerId: true, latestCategory: true, latestScore: true, latestRespondedAt: true },
  });
  const comments = new Map<string, string | null>();
  if (operation.kind === "metafields") {
    // The part's answers by the same id range (no IN list: SQLite caps a query's parameters), newest first.
    const responses = await database.response.findMany({
      where: { shopDomain, status: "confirmed", customerId: range },
      orderBy: { createdAt: "desc" },
      select: { customerId: true, comment: true },
    });
    for (const response of responses) {
      if (response.customerId && !comments.has(response.customerId)) {
        comments.set(response.customerId, response.comment);
      }
    }
  }
  return profiles.flatMap((profile): RetagCustomer[] =>
    profile.latestCategory && profile.latestScore !== null && profile.latestRespondedAt
      ? [
          {
            customerId: profile.customerId,
            category: profile.latestCategory as Category,
            score: profile.latestScore,
            respondedAt: profile.latestRespondedAt,
            comment: comments.get(profile.customerId) ?? null,
          },
        ]
      : [],
  );
}

async function uploadFile(admin: AdminClient, filename: string, content: string): Promise<string> {
  const { data } = await admin.request<StageBulkUploadResult>(STAGE_BULK_UPLOAD, {
    input: [{ resource: "BULK_MUTATION_VARIABLES", filename, mimeType: "text/jsonl", httpMethod: "POST" }],
  });
  const staged = data.stagedUploadsCreate;
  if (staged?.userErrors.length) throw new PermanentSyncError(describeUserErrors(staged.userErrors));
  const target = staged?.stagedTargets?.[0];
  const key = target?.parameters.find((parameter) => parameter.name === "key")?.value;
  if (!target?.url || !key) throw new Error("stagedUploadsCreate answered without an upload target");
  const form = new FormData();
  for (const parameter of target.parameters) form.append(parameter.name, parameter.value);
  // The file goes last: the storage reads the fields before it.
  form.append("file", new Blob([content], { type: "text/jsonl" }), filename);
  const response = await fetch(target.url, {
    method: "POST",
    body: form,
    signal: AbortSignal.timeout(300_000),
  });
  if (response.status >= 500) throw new Error(`the staged upload failed with ${response.status}`);
  if (!response.ok) {
    const text = (await response.text()).replace(/\s+/g, " ").slice(0, 300);
    throw new PermanentSyncError(`the staged upload was refused (${response.status}): ${text}`);
  }
  return key;
}

type Submission = "submitted" | "empty" | "busy" | "retry" | "failed";

async function submit(
  admin: AdminClient,
  handle: RunHandle,
  operation: RetagOperation,
  names: RunNames,
): Promise<Submission> {
  const customers = await partCustomers(handle.database, handle.run.shopDomain, operation);
  operation.attempts += 1;
  if (customers.length === 0) {
    Object.assign(operation, { status: "completed", lines: 0, objectCount: 0 });
    return "empty";
  }
  const lines = customers.map((customer) => retagLine(operation.kind, customer, names.names, names.previous));
  let key: string;
  try {
    key = await uploadFile(admin, `nps-retag-${operation.kind}-${operation.part + 1}.jsonl`, toJsonl(lines));
  } catch (error) {
    if (!(error instanceof PermanentSyncError)) throw error;
    Object.assign(operation, { status: "failed", error: error.message });
    return "failed";
  }
  const { data } = await admin.request<RunBulkMutationResult>(RUN_BULK_MUTATION, {
    mutation: MUTATIONS[operation.kind],
    stagedUploadPath: key,
    clientIdentifier: `nps-retag-${handle.run.id}-${operation.kind}-${operation.part + 1}`,
  });
  const result = data.bulkOperationRunMutation;
  const problem = result?.userErrors[0];
  if (problem) {
    if (problem.code === "LIMIT_REACHED" || problem.code === "OPERATION_IN_PROGRESS") {
      operation.attempts -= 1; // waiting for a free slot is not a failed attempt
      return "busy";
    }
    const message = describeUserErrors(result?.userErrors ?? []);
    const transient = problem.code === "INTERNAL_FILE_SERVER_ERROR" || problem.code === "NO_SUCH_FILE";
    if (transient && operation.attempts < MAX_OPERATION_ATTEMPTS) {
      operation.error = message;
      return "retry";
    }
    Object.assign(operation, { status: "failed", error: message });
    return "failed";
  }
  if (!result?.bulkOperation) throw new Error("bulkOperationRunMutation answered without an operation");
  Object.assign(operation, {
    status: "submitted",
    bulkOperationId: result.bulkOperation.id,
    lines: lines.length,
    objectCount: 0,
    failedLines: 0,
    error: null,
  });
  return "submitted";
}

async function download(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  if (!response.ok) throw new Error(`the bulk results file answered ${response.status}`);
  return response.text();
}

/** Reads a submitted operation's state from Shopify; a finished one gets its results counted. */
async function poll(admin: AdminClient, operation: RetagOperation, errors: string[]): Promise<void> {
  if (!operation.bulkOperationId) return;
  const { data } = await admin.request<ReadBulkOperationResult>(
    READ_BULK_OPERATION,
    { id: operation.bulkOperationId },
    1,
  );
  const found = data.bulkOperation;
  if (!found) {
    Object.assign(operation, { status: "failed", error: "Shopify no longer knows the bulk operation" });
    return;
  }
  operation.objectCount = Number(found.objectCount);
  if (found.status === "COMPLETED") {
    const summary = found.url
      ? summarizeResults(await download(found.url))
      : { lines: 0, failed: 0, sample: [] };
    Object.assign(operation, { status: "completed", failedLines: summary.failed, error: null });
    const label = `${RETAG_KIND_LABELS[operation.kind]}, part ${operation.part + 1}`;
    errors.push(...summary.sample.map((line) => `${label}, ${line}`));
    return;
  }
  if (found.status === "CREATED" || found.status === "RUNNING" || found.status === "CANCELING") return;
  const reason = `Shopify stopped the bulk operation (${found.errorCode ?? found.status}) after ${found.objectCount} of ${operation.lines} lines`;
  // INTERNAL_SERVER_ERROR and TIMEOUT may pass: the whole file is sent again (its lines are idempotent).
  const retryable = found.status === "FAILED" && found.errorCode !== "ACCESS_DENIED";
  if (retryable && operation.attempts < MAX_OPERATION_ATTEMPTS) {
    Object.assign(operation, { status: "pending", bulkOperationId: null, error: reason });
    return;
  }
  Object.assign(operation, { status: "failed", error: reason });
}

function readNames(run: BulkRun): RunNames {
  return runNamesSchema.parse(JSON.parse(run.tagNames ?? "null"));
}

async function finish(
  handle: RunHandle,
  operations: RetagOperation[],
  errorSample: string[],
  names: RunNames,
  now: Date,
): Promise<void> {
  const { run, database } = handle;
  const failed = operations.filter((operation) => operation.status === "failed");
  const lineErrors = operations.reduce((sum, operation) => sum + operation.failedLines, 0);
  const lastError = failed.length
    ? `${failed.length} of ${operations.length} bulk operations failed: ${failed
        .map(
          (operation) =>
            `${RETAG_KIND_LABELS[operation.kind]}, part ${operation.part + 1}: ${operation.error}`,
        )
        .slice(0, 3)
        .join("; ")}`
    : null;
  const { settings } = await currentSurvey(database, run.shopDomain);
  await database.$transaction(async (tx) => {
    await handle.save(
      {
        status: failed.length ? "failed" : "completed",
        activeShop: null,
        finishedAt: now,
        operations: JSON.stringify(operations),
        lineErrors,
        errorSample: JSON.stringify(errorSample),
        lastError,
      },
      tx,
    );
    // A customer who answered while the run went may have had their own job write the new category before a line
    // of this run wrote the one it was built with: their own job runs once more, after the run.
    const answered = await tx.customerProfile.findMany({
      where: {
        shopDomain: run.shopDomain,
        latestCategory: { not: null },
        latestRespondedAt: { gte: run.startedAt },
      },
      select: { customerId: true },
    });
    for (const { customerId } of answered) {
      await enqueueJob(tx, { shopDomain: run.shopDomain, kind: "customer_category", customerId });
    }
    // The tag names changed again while the run went: the next run writes the newer ones.
    if (!failed.length && tagNamesChanged(names.names, settings.tagNames)) {
      await createBulkRun(tx, { shopDomain: run.shopDomain, trigger: "settings", pollMs: run.pollMs });
    }
  });
}

export async function runBulkRetag(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const payload = payloadSchema.safeParse(JSON.parse(job.payload));
  if (!payload.success) throw new PermanentSyncError("bulk_retag job without a run id and step");
  const run = await deps.database.bulkRun.findFirst({
    where: { id: payload.data.runId, shopDomain: job.shopDomain },
  });
  if (run?.status !== "running") return;
  if (run.step !== payload.data.step) {
    // The run moved on past this job's step. Normally its newer job carries it on; when none does (the worker
    // died after saving progress, before queueing the next poll), this job resumes the run where it stands.
    const newer = await deps.database.syncJob.findFirst({
      where: {
        id: { not: job.id },
        shopDomain: job.shopDomain,
        kind: "bulk_retag",
        status: { in: ["pending", "running"] },
        payload: { contains: `"runId":"${run.id}"` },
      },
      select: { id: true },
    });
    if (newer) return;
  }
  const handle = new RunHandle(deps.database, run);
  const now = () => new Date();
  try {
    let operations: RetagOperation[];
    let names: RunNames;
    if (!run.preparedAt) {
      ({ operations, names } = await prepare(handle, now()));
    } else {
      operations = parseRetagOperations(run.operations);
      names = readNames(run);
    }
    const errorSample: string[] = run.errorSample
      ? z.array(z.string()).parse(JSON.parse(run.errorSample))
      : [];
    if (operations.length > 0) {
      const admin = await deps.adminFor(run.shopDomain);
      for (const operation of operations.filter((candidate) => candidate.status === "submitted")) {
        const errors: string[] = [];
        await poll(admin, operation, errors);
        errorSample.push(...errors.slice(0, Math.max(0, ERROR_SAMPLE_SIZE - errorSample.length)));
      }
      await handle.save({ operations: JSON.stringify(operations), errorSample: JSON.stringify(errorSample) });
      let inFlight = operations.filter((operation) => operation.status === "submitted").length;
      for (const operation of operations) {
        if (inFlight >= BULK_MUTATION_CONCURRENCY) break;
        if (operation.status !== "pending") continue;
        const outcome = await submit(admin, handle, operation, names);
        // Saved after each submission: a crash from here on does not send this file again.
        await handle.save({ operations: JSON.stringify(operations) });
        if (outcome === "busy" || outcome === "retry") break;
        if (outcome === "submitted") inFlight += 1;
      }
    }
    if (operations.every((operation) => operation.status === "completed" || operation.status === "failed")) {
      await finish(handle, operations, errorSample, names, now());
      return;
    }
    await deps.database.$transaction(async (tx) => {
      await handle.save({ lastError: null }, tx);
      await enqueueJob(tx, {
        shopDomain: run.shopDomain,
        kind: "bulk_retag",
        payload: bulkRetagPayload(run.id, handle.run.step),
        runAt: new Date(now().getTime() + run.pollMs),
      });
    });
  } catch (error) {
    if (error instanceof StaleStep) return;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const failures = payload.data.failures + 1;
    if (error instanceof PermanentSyncError || failures >= MAX_STEP_FAILURES) {
      // Nothing to wait for: the run ends failed (shown on the sync page) and can be started again.
      await deps.database.bulkRun.updateMany({
        where: { id: run.id, step: handle.run.step },
        data: { status: "failed", activeShop: null, finishedAt: now(), lastError: message },
      });
      return;
    }
    // Retryable (Shopify unavailable, a network error): the run's next job tries again after a backoff. Not the
    // worker's retry of this job: this job's step may be stale by now, its saves having moved the run on.
    try {
      await deps.database.$transaction(async (tx) => {
        await handle.save({ lastError: message }, tx);
        await enqueueJob(tx, {
          shopDomain: run.shopDomain,
          kind: "bulk_retag",
          payload: bulkRetagPayload(run.id, handle.run.step, failures),
          runAt: new Date(now().getTime() + 1000 + backoffDelay(failures, Math.random(), 2000, 10 * 60_000)),
        });
      });
    } catch (saveError) {
      if (!(saveError instanceof StaleStep)) throw saveError;
    }
  }
}
