import type { Prisma, SyncJob } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import type { AdminClient } from "~/adapters/shopify-admin/admin-client.server";
import {
  CREATE_SEGMENT,
  type CreateSegmentResult,
  type UserError,
} from "~/adapters/shopify-admin/operations";
import {
  LIST_NPS_SEGMENTS,
  type ListNpsSegmentsResult,
  READ_NPS_SEGMENT,
  type ReadNpsSegmentResult,
  UPDATE_NPS_SEGMENT,
  type UpdateNpsSegmentResult,
} from "~/adapters/shopify-admin/operations-segments";
import { type NpsSegmentSpec, npsSegmentSpecs, tagNamesChanged } from "~/domain/nps-segments";
import type { TagNames } from "~/domain/tag-plan";
import { currentSurvey } from "../../shops.server";
import { enqueueJob } from "../job-queue.server";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";

// The three segments follow the shop's tag names: their ids are kept in NpsSegment; a kept segment whose query is
// out of date gets segmentUpdate, one Shopify no longer has (deleted by the merchant) is made again and its new id
// kept. Without a kept id (a shop set up before ids were kept) the segment is found by its name.

const READ_COST = 1;
const LIST_COST = 2 + 250;
const WRITE_COST = 10;

function isNameTaken(error: UserError): boolean {
  return error.code === "TAKEN" || /taken|already exists/i.test(error.message);
}

interface ShopifySegment {
  id: string;
  name: string;
  query: string;
}

async function listSegmentsByName(admin: AdminClient): Promise<Map<string, ShopifySegment>> {
  const byName = new Map<string, ShopifySegment>();
  let after: string | null = null;
  for (;;) {
    const page: ListNpsSegmentsResult = (
      await admin.request<ListNpsSegmentsResult>(LIST_NPS_SEGMENTS, { after }, LIST_COST)
    ).data;
    for (const segment of page.segments.nodes) {
      if (!byName.has(segment.name)) byName.set(segment.name, segment);
    }
    if (!page.segments.pageInfo.hasNextPage || !page.segments.pageInfo.endCursor) return byName;
    after = page.segments.pageInfo.endCursor;
  }
}

/**
 * Makes Shopify's three NPS segments filter on `names`, keeping their ids; returns the user errors Shopify
 * answered (the segments it could make or update are kept even then).
 */
export async function syncNpsSegments(
  database: Database,
  admin: AdminClient,
  shopDomain: string,
  names: TagNames,
): Promise<UserError[]> {
  const kept = await database.npsSegment.findMany({ where: { shopDomain } });
  const problems: UserError[] = [];
  let byName: Map<string, ShopifySegment> | null = null;
  const findByName = async (name: string) => {
    byName ??= await listSegmentsByName(admin);
    return byName.get(name) ?? null;
  };

  const readSegment = async (id: string): Promise<ShopifySegment | null> => {
    const { data } = await admin.request<ReadNpsSegmentResult>(READ_NPS_SEGMENT, { id }, READ_COST);
    return data.segment ?? null;
  };

  const update = async (
    segment: ShopifySegment,
    spec: NpsSegmentSpec,
    recreate = true,
  ): Promise<string | null> => {
    if (segment.query === spec.query) return segment.id;
    const { data } = await admin.request<UpdateNpsSegmentResult>(
      UPDATE_NPS_SEGMENT,
      { id: segment.id, query: spec.query },
      WRITE_COST,
    );
    const errors = data.segmentUpdate?.userErrors ?? [];
    if (errors.length === 0) return segment.id;
    // Deleted since it was read: made again, like one found missing.
    if (recreate && !(await readSegment(segment.id))) return create(spec);
    problems.push(...errors);
    return null;
  };

  const create = async (spec: NpsSegmentSpec): Promise<string | null> => {
    const { data } = await admin.request<CreateSegmentResult>(
      CREATE_SEGMENT,
      { name: spec.name, query: spec.query },
      WRITE_COST,
    );
    const made = data.segmentCreate?.segment;
    if (made) return made.id;
    const errors = data.segmentCreate?.userErrors ?? [];
    // The name is in use: a segment of ours whose id was not kept (or one the merchant made under our name).
    const existing = errors.some(isNameTaken) ? await findByName(spec.name) : null;
    if (existing) return update(existing, spec, false);
    problems.push(...errors);
    return null;
  };

  for (const spec of npsSegmentSpecs(names)) {
    const keptId = kept.find((row) => row.category === spec.category)?.segmentId;
    const segment = keptId ? await readSegment(keptId) : await findByName(spec.name);
    const id = segment ? await update(segment, spec) : await create(spec);
    if (id && id !== keptId) {
      await database.npsSegment.upsert({
        where: { shopDomain_category: { shopDomain, category: spec.category } },
        create: { shopDomain, category: spec.category, segmentId: id },
        update: { segmentId: id },
      });
    }
  }
  return problems;
}

/** Job kind update_segments: the segments follow the shop's current tag names. */
export async function updateSegments(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const { settings } = await currentSurvey(deps.database, job.shopDomain);
  const admin = await deps.adminFor(job.shopDomain);
  const problems = await syncNpsSegments(deps.database, admin, job.shopDomain, settings.tagNames);
  if (problems.length > 0) throw new PermanentSyncError(describeUserErrors(problems));
}

/**
 * Called in the transaction that saves new survey settings: when the tag names changed, an update_segments job
 * (one is enough while it waits: it reads the names when it runs).
 */
export async function enqueueSegmentUpdate(
  tx: Prisma.TransactionClient,
  shopDomain: string,
  before: TagNames,
  after: TagNames,
): Promise<void> {
  if (!tagNamesChanged(before, after)) return;
  const waiting = await tx.syncJob.findFirst({
    where: { shopDomain, kind: "update_segments", status: "pending" },
    select: { id: true },
  });
  if (!waiting) await enqueueJob(tx, { shopDomain, kind: "update_segments" });
}
