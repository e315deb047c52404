import type { BulkRun, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { parseRetagOperations, retagProgress, tagNamesChanged } from "~/domain/bulk-retag";
import type { TagNames } from "~/domain/tag-plan";
import { ServiceError } from "../service-error";
import { createBulkRun } from "./jobs/bulk-retag.server";

// Starting and showing "re-tag all customers" runs (the runner: ./jobs/bulk-retag.server.ts). One run per shop at a
// time: BulkRun.activeShop is unique, so two clicks (or two app instances) cannot start two.

type Tx = Prisma.TransactionClient | Database;

export type RetagTrigger = "manual" | "settings";

export interface RetagRunView {
  id: string;
  trigger: string;
  status: "running" | "completed" | "failed";
  /** Still marked running, but no job is left to carry it on (it gave up, or the app was uninstalled). */
  interrupted: boolean;
  stage: "preparing" | "importing" | "done";
  customers: number;
  processedLines: number;
  totalLines: number;
  lineErrors: number;
  errorSample: string[];
  lastError: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export const RETAG_CONFLICT_MESSAGE = "A re-tag of all customers is already running for this shop";

/** Whether a pending or running job still carries the run on. */
async function hasLiveJob(tx: Tx, run: BulkRun): Promise<boolean> {
  const job = await tx.syncJob.findFirst({
    where: {
      shopDomain: run.shopDomain,
      kind: "bulk_retag",
      status: { in: ["pending", "running"] },
      payload: { contains: `"runId":"${run.id}"` },
    },
    select: { id: true },
  });
  return job !== null;
}

/** The active run, or null; an active run that no job carries on any more is closed as failed first. */
async function activeRun(tx: Tx, shopDomain: string, now: Date): Promise<BulkRun | null> {
  const active = await tx.bulkRun.findUnique({ where: { activeShop: shopDomain } });
  if (!active || (await hasLiveJob(tx, active))) return active;
  await tx.bulkRun.update({
    where: { id: active.id },
    data: {
      status: "failed",
      activeShop: null,
      finishedAt: now,
      lastError: active.lastError ?? "The run stopped: its sync job gave up or the app was uninstalled",
    },
  });
  return null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Starts a run for the shop; a second one while the first goes is refused (409). */
export async function startRetag(
  database: Database,
  shopDomain: string,
  options: { trigger?: RetagTrigger; pollMs?: number; now?: Date } = {},
): Promise<BulkRun> {
  const now = options.now ?? new Date();
  const conflict = () => new ServiceError("conflict", { field: "retag", message: RETAG_CONFLICT_MESSAGE });
  try {
    return await database.$transaction(async (tx) => {
      if (await activeRun(tx, shopDomain, now)) throw conflict();
      return createBulkRun(tx, { shopDomain, trigger: options.trigger ?? "manual", pollMs: options.pollMs });
    });
  } catch (error) {
    // Two starts at the same moment: the unique activeShop lets one through.
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}

/**
 * Called in the transaction that saves new survey settings: new tag names start a run. While one goes, nothing
 * more is needed — a run that ends checks the names it wrote against the current ones and starts the next itself.
 */
export async function retagIfTagNamesChanged(
  tx: Tx,
  shopDomain: string,
  before: TagNames,
  after: TagNames,
  now: Date = new Date(),
): Promise<void> {
  if (!tagNamesChanged(before, after)) return;
  if (await activeRun(tx, shopDomain, now)) return;
  await createBulkRun(tx, { shopDomain, trigger: "settings" });
}

function view(run: BulkRun, interrupted: boolean): RetagRunView {
  const operations = parseRetagOperations(run.operations);
  const progress = retagProgress(run.customers, operations);
  const sample = z.array(z.string()).safeParse(JSON.parse(run.errorSample ?? "[]"));
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status === "completed" || run.status === "failed" ? run.status : "running",
    interrupted,
    stage: run.status !== "running" ? "done" : run.preparedAt ? "importing" : "preparing",
    customers: run.customers,
    processedLines: progress.processed,
    totalLines: progress.total,
    lineErrors: run.lineErrors || progress.failedLines,
    errorSample: sample.success ? sample.data : [],
    lastError: run.lastError,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

/** The shop's newest run, for the sync page; null before the first. */
export async function latestRetag(database: Database, shopDomain: string): Promise<RetagRunView | null> {
  const run = await database.bulkRun.findFirst({
    where: { shopDomain },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
  });
  if (!run) return null;
  return view(run, run.status === "running" && !(await hasLiveJob(database, run)));
}
