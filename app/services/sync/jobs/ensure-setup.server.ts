import type { SyncJob } from "@prisma/client";
import {
  CREATE_METAFIELD_DEFINITION,
  type CreateMetafieldDefinitionResult,
  type UserError,
} from "~/adapters/shopify-admin/operations";
import { NPS_METAFIELD_DEFINITIONS, ORDER_METAFIELD_DEFINITIONS } from "~/domain/tag-plan";
import { currentSurvey } from "../../shops.server";
import { describeUserErrors, PermanentSyncError, type SyncDependencies } from "../job-runner.server";
import { syncNpsSegments } from "./update-segments.server";

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
  // The three segments, with their ids kept so they can follow later tag-name changes (update_segments).
  problems.push(...(await syncNpsSegments(deps.database, admin, job.shopDomain, settings.tagNames)));
  if (problems.length > 0) throw new PermanentSyncError(describeUserErrors(problems));
}
