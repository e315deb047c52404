import type { SyncJob } from "@prisma/client";
import {
  CREATE_METAFIELD_DEFINITION,
  CREATE_SEGMENT,
  type CreateMetafieldDefinitionResult,
  type CreateSegmentResult,
  type UserError,
} from "~/adapters/shopify-admin/operations";
import { type Category, CATEGORIES } from "~/domain/category";
import { NPS_METAFIELD_DEFINITIONS, ORDER_METAFIELD_DEFINITIONS } from "~/domain/tag-plan";
import { currentSurvey } from "../../shops.server";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";
const SEGMENT_NAMES: Record<Category, string> = {
  promoter: "NPS promoters",
  passive: "NPS passives",
  detractor: "NPS detractors",
};

function isAlreadyThere(error: UserError): boolean {
  return error.code === "TAKEN" || /taken|already exists/i.test(error.message);
}

export async function ensureSetup(deps: SyncDependencies, job: SyncJob): Promise<void> {
  const admin = await deps.adminFor(job.shopDomain);
  const problems: UserError[] = [];
  const definitions = [
    ...NPS_METAFIELD_DEFINITIONS.map((definition) => ({ ...definition, ownerType: "CUSTOMER" })),
    ...ORDER_METAFIELD_DEFINITIONS.map((definition) => ({ ...definition, ownerType: "ORDER" })),
  ];
  for (const definition of definitions) {
    const { data } = await admin.request<CreateMetafieldDefinitionResult>(CREATE_METAFIELD_DEFINITION, {
      definition,
    });
    problems.push(
      ...(data.metafieldDefinitionCreate?.userErrors ?? []).filter((error) => !isAlreadyThere(error)),
    );
  }
  const { settings } = await currentSurvey(deps.database, job.shopDomain);
  for (const category of CATEGORIES) {
    const query = `customer_tags CONTAINS '${settings.tagNames[category]}'`;
    const { data } = await admin.request<CreateSegmentResult>(CREATE_SEGMENT, {
      name: SEGMENT_NAMES[category],
      query,
    });
    problems.push(...(data.segmentCreate?.userErrors ?? []).filter((error) => !isAlreadyThere(error)));
  }
  if (problems.length > 0) throw new PermanentSyncError(describeUserErrors(problems));
}
