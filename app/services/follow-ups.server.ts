import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { ServiceError } from "./service-error";

// A detractor case: open → contacted → resolved (a case may be reopened).
export const FOLLOW_UP_STATES = ["open", "contacted", "resolved"] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export const followUpUpdateSchema = z.object({
  id: z.string().min(1, "id is required"),
  status: z.enum(FOLLOW_UP_STATES, {
    errorMap: () => ({ message: "status must be open, contacted or resolved" }),
  }),
  note: z.string().trim().max(2000, "note must be at most 2000 characters").optional(),
  owner: z.string().trim().max(200, "owner must be at most 200 characters").optional(),
});

export async function listFollowUps(database: Database, shopDomain: string, status: FollowUpState | "all") {
  const followUps = await database.followUp.findMany({
    where: { shopDomain, ...(status === "all" ? {} : { status }) },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const responses = await database.response.findMany({
    where: { shopDomain, id: { in: followUps.map((followUp) => followUp.responseId) } },
    select: { id: true, score: true, comment: true, orderId: true, customerId: true, createdAt: true },
  });
  const byId = new Map(responses.map((response) => [response.id, response]));
  const counts = await database.followUp.groupBy({
    by: ["status"],
    where: { shopDomain },
    _count: { _all: true },
  });
  return {
    items: followUps.map((followUp) => ({ ...followUp, response: byId.get(followUp.responseId) ?? null })),
    counts: Object.fromEntries(
      FOLLOW_UP_STATES.map((state) => [state, counts.find((row) => row.status === state)?._count._all ?? 0]),
    ) as Record<FollowUpState, number>,
  };
}

export async function updateFollowUp(
  database: Database,
  shopDomain: string,
  input: unknown,
  now = new Date(),
) {
  const parsed = followUpUpdateSchema.safeParse(input);
  if (!parsed.success) {
    throw new ServiceError(
      "invalid",
      parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "body", message: issue.message })),
    );
  }
  const { id, status, note, owner } = parsed.data;
  const { count } = await database.followUp.updateMany({
    where: { id, shopDomain },
    data: {
      status,
      ...(note !== undefined ? { note: note || null } : {}),
      ...(owner !== undefined ? { owner: owner || null } : {}),
      ...(status === "contacted" ? { contactedAt: now } : {}),
      ...(status === "resolved" ? { resolvedAt: now } : {}),
    },
  });
  if (count === 0)
    throw new ServiceError("not_found", { field: "id", message: "no such follow-up in this shop" });
}
