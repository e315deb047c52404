import type { SyncJob } from "@prisma/client";
import { AdminApiError, type AdminClient } from "~/adapters/shopify-admin/admin-client.server";
import {
  RECONCILE_CUSTOMERS_BY_ID,
  RECONCILE_CUSTOMERS_WITH_TAG,
  type ReconcileCustomersByIdResult,
  type ReconcileCustomersWithTagResult,
} from "~/adapters/shopify-admin/operations-reconcile";
import type { Category } from "~/domain/category";
import { customerGid, parseCustomerId } from "~/domain/order-gid";
import {
  afterScanPage,
  afterUnseenBatch,
  assessScanPage,
  assessUnseen,
  customerTagSearch,
  type ReconcilePosition,
  reconcilePayloadSchema,
} from "~/domain/reconciliation";
import type { TagNames } from "~/domain/tag-plan";
import { currentSurvey } from "../../shops.server";
import { enqueueJob, MAX_JOB_ATTEMPTS } from "../job-queue.server";
import { PermanentSyncError, readJobPayload, type SyncDependencies } from "../job-runner.server";

// Job kind reconcile_tags: one slice of a reconciliation run (see app/domain/reconciliation.ts for the phases).
// A job reads up to PAGES_PER_JOB pages, then in one transaction records what it found, marks the customers it
// compared, queues customer_category repairs and queues the next slice with the position in its payload — so a
// restart resumes at the last recorded page, and a job re-claimed after its slice was recorded does nothing.

const PAGES_PER_JOB = 4;
const RETAG_WAIT_MS = 5 * 60_000;
// customers(first: n) { nodes { id tags } pageInfo }: 2 + n objects + pageInfo.
const scanCost = (pageSize: number) => 2 + pageSize + 1;

class StaleSlice extends Error {}

type Database = SyncDependencies["database"];

interface SliceContext {
  database: Database;
  admin: AdminClient;
  shopDomain: string;
  runId: string;
  names: TagNames;
  pageSize: number;
}

interface SliceFindings {
  compared: string[];
  drifted: string[];
  checked: number;
  gone: number;
}

async function customersInFlight(
  database: Database,
  shopDomain: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const jobs = await database.syncJob.findMany({
    where: {
      shopDomain,
      kind: "customer_category",
      status: { in: ["pending", "running"] },
      customerId: { in: ids },
    },
    select: { customerId: true },
  });
  return new Set(jobs.flatMap((job) => (job.customerId ? [job.customerId] : [])));
}

async function alreadyCompared(
  database: Database,
  shopDomain: string,
  runId: string,
  ids: string[],
  inThisSlice: readonly string[],
): Promise<Set<string>> {
  const marks =
    ids.length === 0
      ? []
      : await database.reconciliationMark.findMany({
          where: { shopDomain, runId, customerId: { in: ids } },
          select: { customerId: true },
        });
  return new Set([...marks.map((mark) => mark.customerId), ...inThisSlice]);
}

async function scanPage(
  deps: SliceContext,
  position: Extract<ReconcilePosition, { phase: "scan" }>,
  findings: SliceFindings,
): Promise<ReconcilePosition> {
  const { data } = await deps.admin.request<ReconcileCustomersWithTagResult>(
    RECONCILE_CUSTOMERS_WITH_TAG,
    { query: customerTagSearch(deps.names[position.category]), first: deps.pageSize, after: position.cursor },
    scanCost(deps.pageSize),
  );
  const customers = data.customers.nodes.flatMap((node) => {
    const customerId = parseCustomerId(node.id);
    return customerId ? [{ customerId, tags: node.tags }] : [];
  });
  const ids = customers.map((customer) => customer.customerId);
  const profiles =
    ids.length === 0
      ? []
      : await deps.database.customerProfile.findMany({
          where: { shopDomain: deps.shopDomain, customerId: { in: ids }, latestCategory: { not: null } },
          select: { customerId: true, latestCategory: true },
        });
  const result = assessScanPage({
    scanned: position.category,
    customers,
    names: deps.names,
    categories: new Map(profiles.map((profile) => [profile.customerId, profile.latestCategory as Category])),
    compared: await alreadyCompared(deps.database, deps.shopDomain, deps.runId, ids, findings.compared),
    inFlight: await customersInFlight(deps.database, deps.shopDomain, ids),
  });
  findings.compared.push(...result.compared);
  findings.drifted.push(...result.drifted);
  return afterScanPage(position.category, data.customers.pageInfo);
}

async function unseenBatch(
  deps: SliceContext,
  position: Extract<ReconcilePosition, { phase: "unseen" }>,
  findings: SliceFindings,
): Promise<ReconcilePosition | null> {
  const profiles = await deps.database.customerProfile.findMany({
    where: {
      shopDomain: deps.shopDomain,
      latestCategory: { not: null },
      ...(position.after !== null ? { customerId: { gt: position.after } } : {}),
    },
    orderBy: { customerId: "asc" },
    take: deps.pageSize,
    select: { customerId: true, latestCategory: true },
  });
  const ids = profiles.map((profile) => profile.customerId);
  const compared = await alreadyCompared(deps.database, deps.shopDomain, deps.runId, ids, findings.compared);
  const candidates = profiles
    .filter((profile) => !compared.has(profile.customerId))
    .map((profile) => ({ customerId: profile.customerId, category: profile.latestCategory as Category }));
  const found = new Map<string, string[]>();
  if (candidates.length > 0) {
    const { data } = await deps.admin.request<ReconcileCustomersByIdResult>(
      RECONCILE_CUSTOMERS_BY_ID,
      { ids: candidates.map((candidate) => customerGid(candidate.customerId)) },
      candidates.length + 1,
    );
    for (const node of data.nodes) {
      const customerId = node?.id ? parseCustomerId(node.id) : null;
      if (customerId && node) found.set(customerId, node.tags);
    }
  }
  const result = assessUnseen({
    candidates,
    found,
    names: deps.names,
    inFlight: await customersInFlight(
      deps.database,
      deps.shopDomain,
      candidates.map((candidate) => candidate.customerId),
    ),
  });
  findings.checked += profiles.length;
  findings.gone += result.gone.length;
  findings.drifted.push(...result.drifted);
  return afterUnseenBatch(ids, deps.pageSize);
}

function isLastAttempt(error: unknown, job: SyncJob): boolean {
  if (error instanceof PermanentSyncError) return true;
  if (error instanceof AdminApiError && !error.retryable) return true;
  return job.attempts >= MAX_JOB_ATTEMPTS;
}

export async function reconcileTags(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const { database } = deps;
  const payload = readJobPayload(job, reconcilePayloadSchema, "without a readable run position");
  const { runId, step, pageSize } = payload;
  const run = await database.reconciliationRun.findFirst({
    where: { id: runId, shopDomain: job.shopDomain },
  });
  // Ended, or this slice was recorded already (the job was re-claimed after a crash): nothing to do.
  if (!run || run.finishedAt || run.step !== step) return;
  const now = () => new Date();
  // During a bulk re-tag (after a tag rename) every customer would look drifted: check once it is over.
  if (await database.bulkRun.findUnique({ where: { activeShop: job.shopDomain }, select: { id: true } })) {
    await enqueueJob(database, {
      shopDomain: job.shopDomain,
      kind: "reconcile_tags",
      payload,
      runAt: new Date(now().getTime() + RETAG_WAIT_MS),
    });
    return;
  }
  if (!run.startedAt) {
    await database.reconciliationRun.updateMany({
      where: { id: runId, step, startedAt: null },
      data: { startedAt: now(), status: "running" },
    });
  }

  try {
    const { settings } = await currentSurvey(database, job.shopDomain);
    const admin = await deps.adminFor(job.shopDomain);
    const context = {
      database,
      admin,
      shopDomain: job.shopDomain,
      runId,
      names: settings.tagNames,
      pageSize,
    };
    const findings: SliceFindings = { compared: [], drifted: [], checked: 0, gone: 0 };
    let next: ReconcilePosition | null = payload.position;
    for (let page = 0; page < PAGES_PER_JOB && next; page += 1) {
      next =
        next.phase === "scan"
          ? await scanPage(context, next, findings)
          : await unseenBatch(context, next, findings);
    }
    await recordSlice(database, job.shopDomain, { runId, step, pageSize, next, findings, now: now() });
  } catch (error) {
    if (error instanceof StaleSlice) return;
    if (isLastAttempt(error, job)) {
      await database.$transaction([
        database.reconciliationRun.updateMany({
          where: { id: runId, step, finishedAt: null },
          data: {
            status: "failed",
            error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
            finishedAt: now(),
            activeShop: null,
          },
        }),
        database.reconciliationMark.deleteMany({ where: { shopDomain: job.shopDomain, runId } }),
      ]);
    }
    throw error;
  }
}

async function recordSlice(
  database: Database,
  shopDomain: string,
  slice: {
    runId: string;
    step: number;
    pageSize: number;
    next: ReconcilePosition | null;
    findings: SliceFindings;
    now: Date;
  },
): Promise<void> {
  const { runId, step, next, findings } = slice;
  const drifted = [...new Set(findings.drifted)];
  await database.$transaction(async (tx) => {
    const waiting = await tx.syncJob.findMany({
      where: { shopDomain, kind: "customer_category", status: "pending", customerId: { in: drifted } },
      select: { customerId: true },
    });
    const queued = new Set(waiting.map((job) => job.customerId));
    const repairs = drifted.filter((customerId) => !queued.has(customerId));
    const moved = await tx.reconciliationRun.updateMany({
      where: { id: runId, step, finishedAt: null },
      data: {
        step: step + 1,
        checked: { increment: findings.checked },
        drifted: { increment: drifted.length },
        repaired: { increment: repairs.length },
        gone: { increment: findings.gone },
        ...(next ? {} : { status: "done", finishedAt: slice.now, activeShop: null }),
      },
    });
    // Another worker recorded this slice first (a lease ran out): everything here is rolled back.
    if (moved.count !== 1) throw new StaleSlice();
    for (const customerId of repairs) {
      await enqueueJob(tx, { shopDomain, kind: "customer_category", customerId });
    }
    if (next) {
      if (findings.compared.length > 0) {
        await tx.reconciliationMark.createMany({
          data: findings.compared.map((customerId) => ({ shopDomain, runId, customerId })),
        });
      }
      await enqueueJob(tx, {
        shopDomain,
        kind: "reconcile_tags",
        payload: { runId, step: step + 1, position: next, pageSize: slice.pageSize },
      });
    } else {
      await tx.reconciliationMark.deleteMany({ where: { shopDomain, runId } });
    }
  });
}
