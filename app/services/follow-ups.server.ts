import { z } from "zod";
import type { Database } from "~/adapters/db/client.server";
import { FOLLOW_UP_STAGE, surveyLinkUrl } from "~/domain/follow-up-survey";
import { signInvitationToken } from "~/domain/invitation-token";
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

/** A case's follow-up survey (app/services/follow-up-surveys.server.ts): its state, answer, and open link. */
export interface FollowUpSurveyView {
  status: string;
  score: number | null;
  category: string | null;
  /** The signed survey link for the merchant to send while the survey is open; null otherwise. */
  link: string | null;
  expiresAt: Date;
}

export interface ListFollowUpsOptions {
  /** Only this follow-up (the link of an alert mail). */
  id?: string;
  /** Signs the follow-up surveys' links (the app's API secret); without it no link is shown. */
  surveyLinkSecret?: string;
  now?: Date;
}

function surveyStatus(status: string, open: boolean, redacted: boolean): string {
  if (open || status !== "pending") return status;
  return redacted ? "redacted" : "expired";
}

async function followUpSurveys(
  database: Database,
  shopDomain: string,
  orderIds: string[],
  options: ListFollowUpsOptions,
): Promise<Map<string, FollowUpSurveyView>> {
  const now = options.now ?? new Date();
  const invitations = await database.invitation.findMany({
    where: { shopDomain, stage: FOLLOW_UP_STAGE, orderId: { in: orderIds } },
    select: {
      id: true,
      orderId: true,
      status: true,
      expiresAt: true,
      orderFacts: true,
      response: { select: { score: true, category: true, status: true } },
    },
  });
  return new Map(
    invitations.map((invitation) => {
      // No order facts: the customer was redacted (customers/redact) after the survey was made.
      const redacted = invitation.orderFacts === null;
      const open = invitation.status === "pending" && invitation.expiresAt > now && !redacted;
      const token =
        open && options.surveyLinkSecret
          ? signInvitationToken(
              {
                shop: shopDomain,
                invitationId: invitation.id,
                expiresAt: Math.floor(invitation.expiresAt.getTime() / 1000),
              },
              options.surveyLinkSecret,
            )
          : null;
      const answer = invitation.response?.status === "confirmed" ? invitation.response : null;
      return [
        invitation.orderId,
        {
          status: surveyStatus(invitation.status, open, redacted),
          score: answer?.score ?? null,
          category: answer?.category ?? null,
          link: token ? surveyLinkUrl(shopDomain, token) : null,
          expiresAt: invitation.expiresAt,
        },
      ];
    }),
  );
}

export async function listFollowUps(
  database: Database,
  shopDomain: string,
  status: FollowUpState | "all",
  options: ListFollowUpsOptions = {},
) {
  const followUps = await database.followUp.findMany({
    where: {
      shopDomain,
      ...(status === "all" ? {} : { status }),
      ...(options.id ? { id: options.id } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const responses = await database.response.findMany({
    where: { shopDomain, id: { in: followUps.map((followUp) => followUp.responseId) } },
    select: {
      id: true,
      score: true,
      comment: true,
      orderId: true,
      customerId: true,
      createdAt: true,
      stage: true,
    },
  });
  const byId = new Map(responses.map((response) => [response.id, response]));
  const surveys = await followUpSurveys(
    database,
    shopDomain,
    responses.filter((response) => response.stage !== FOLLOW_UP_STAGE).map((response) => response.orderId),
    options,
  );
  const counts = await database.followUp.groupBy({
    by: ["status"],
    where: { shopDomain },
    _count: { _all: true },
  });
  return {
    items: followUps.map((followUp) => {
      const response = byId.get(followUp.responseId) ?? null;
      const survey = response && response.stage !== FOLLOW_UP_STAGE ? surveys.get(response.orderId) : null;
      return { ...followUp, response, survey: survey ?? null };
    }),
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

/** Detractor cases nobody has contacted yet: the admin's badge. */
export function countOpenFollowUps(database: Database, shopDomain: string): Promise<number> {
  return database.followUp.count({ where: { shopDomain, status: "open" } });
}
