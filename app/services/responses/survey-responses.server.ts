import type { Invitation, Prisma } from "@prisma/client";
import { type Database, ROLLUP_TRANSACTION } from "~/adapters/db/client.server";
import { beginRecount } from "~/adapters/db/report-rollups.server";
import { isUniqueViolation, retryOnUniqueViolation } from "~/adapters/db/unique-violation.server";
import { categoryForScore } from "~/domain/category";
import { invitationExpiresAt } from "~/domain/eligibility";
import { orderFactsFromJson } from "~/domain/order-facts";
import type { SurveyAnswer } from "~/domain/survey-answer";
import { type LocalizedSurvey, localizeSurvey } from "~/domain/survey-text";
import { pickInvitation, type SurveyChannel, stagesFor, stagesForChannel } from "~/domain/survey-timing";
import { ServiceError } from "../service-error";
import { currentSurvey } from "../shops.server";
import { confirmResponse } from "./confirm-response.server";

export type { SurveyChannel };
export type NothingToShowReason =
  | "already_answered"
  | "expired"
  | "suppressed"
  | "channel_disabled"
  | "not_open_yet";

export type SurveyForOrder =
  | { show: true; invitationId: string; survey: LocalizedSurvey }
  | { show: false; reason: NothingToShowReason; detail?: string | null };

interface OrderContext {
  shopDomain: string;
  orderId: string;
  /** The customer as the caller knows it (session token `sub`), when it does. */
  customerId?: string | null;
  channel: SurveyChannel;
  /** A survey link names its invitation: that one, not the channel's choice among the order's stages. */
  invitationId?: string | null;
  now?: Date;
}

type Tx = Prisma.TransactionClient;

// The thank-you page often renders before orders/create arrives: the first fetch creates the purchase-stage
// invitation and the webhook later fills in the same row (both are idempotent on shop + order + stage). The
// delivery stage is only ever created by the order webhook. Null: this channel has nothing of the order to ask yet.
async function findOrCreateInvitation(tx: Tx, context: OrderContext, now: Date): Promise<Invitation | null> {
  const found = await findInvitation(tx, context, now);
  return found.decided ? found.invitation : createPurchaseInvitation(tx, context, now);
}

/** The order's invitation for this channel (decided), or undecided: none yet, one may be created. */
async function findInvitation(
  reader: Pick<Tx, "invitation">,
  context: OrderContext,
  now: Date,
): Promise<{ decided: true; invitation: Invitation | null } | { decided: false }> {
  const { shopDomain, orderId } = context;
  const invitations = await reader.invitation.findMany({ where: { shopDomain, orderId } });
  if (context.invitationId) {
    return {
      decided: true,
      invitation: invitations.find((invitation) => invitation.id === context.invitationId) ?? null,
    };
  }
  const picked = pickInvitation(invitations, context.channel, now);
  return picked ? { decided: true, invitation: picked } : { decided: false };
}

async function createPurchaseInvitation(
  tx: Tx,
  context: OrderContext,
  now: Date,
): Promise<Invitation | null> {
  const { shopDomain, orderId } = context;
  const survey = await currentSurvey(tx, shopDomain);
  const purchaseAsked = stagesFor(survey.settings.timing.mode).includes("purchase");
  if (!purchaseAsked || !stagesForChannel(context.channel).includes("purchase")) return null;
  // A known customer's new order can make their earlier answers repeat purchases: the rollups recount them.
  const recount = await beginRecount(tx, shopDomain, {
    customerIds: context.customerId ? [context.customerId] : [],
  });
  const created = await tx.invitation.create({
    data: {
      shopDomain,
      orderId,
      customerId: context.customerId ?? null,
      stage: "purchase",
      source:
        context.channel === "storefront" || context.channel === "survey_link" ? "storefront" : "extension",
      surveyVersion: survey.version,
      createdAt: now,
      expiresAt: invitationExpiresAt(now, survey.settings),
    },
  });
  await recount.end();
  return created;
}

const NOT_OPEN_YET: SurveyForOrder = { show: false, reason: "not_open_yet" };

function unavailableReason(invitation: Invitation | null, now: Date): SurveyForOrder | null {
  if (!invitation || invitation.status === "scheduled") return NOT_OPEN_YET;
  if (invitation.status === "answered") return { show: false, reason: "already_answered" };
  if (invitation.status === "suppressed") {
    return { show: false, reason: "suppressed", detail: invitation.suppressionReason };
  }
  if (invitation.status === "expired" || invitation.expiresAt <= now)
    return { show: false, reason: "expired" };
  return null;
}

export async function surveyForOrder(
  database: Database,
  context: OrderContext & { locale?: string | null; shopName: string },
): Promise<SurveyForOrder> {
  const now = context.now ?? new Date();
  // Most fetches find the invitation: read without a transaction (on SQLite one takes the write lock) and open
  // one only to create it, where the read is repeated.
  const found = await findInvitation(database, context, now);
  const invitation = found.decided
    ? found.invitation
    : await retryOnUniqueViolation(() =>
        database.$transaction((tx) => findOrCreateInvitation(tx, context, now)),
      );
  const unavailable = unavailableReason(invitation, now);
  if (unavailable || !invitation) return unavailable ?? NOT_OPEN_YET;
  const { settings } = await currentSurvey(database, context.shopDomain);
  return {
    show: true,
    invitationId: invitation.id,
    survey: localizeSurvey(settings, { locale: context.locale, shopName: context.shopName }),
  };
}

export interface SubmittedAnswer {
  responseId: string;
  category: ReturnType<typeof categoryForScore>;
  status: "confirmed" | "pending";
}

function conflictFor(invitation: Invitation | null, now: Date): ServiceError | null {
  const unavailable = unavailableReason(invitation, now);
  if (!unavailable || unavailable.show) return null;
  if (unavailable.reason === "not_open_yet") {
    return new ServiceError(
      "conflict",
      { field: "orderId", message: "this order's survey opens after delivery" },
      "not_open_yet",
    );
  }
  if (unavailable.reason === "expired") {
    return new ServiceError(
      "gone",
      { field: "orderId", message: "the survey for this order has expired" },
      "expired",
    );
  }
  if (unavailable.reason === "already_answered") {
    return new ServiceError(
      "conflict",
      { field: "orderId", message: "this order's survey was already answered" },
      "already_answered",
    );
  }
  return new ServiceError(
    "conflict",
    { field: "orderId", message: `this order is not surveyed (${unavailable.detail ?? "suppressed"})` },
    "suppressed",
  );
}

/** Stores one answer per invitation; confirms it at once when the order's facts are known, else keeps it pending. */
export async function submitAnswer(
  database: Database,
  context: OrderContext & { answer: SurveyAnswer; locale: string },
): Promise<SubmittedAnswer> {
  const now = context.now ?? new Date();
  const category = categoryForScore(context.answer.score);
  try {
    return await retryOnUniqueViolation(() =>
      database.$transaction(async (tx) => {
        const invitation = await findOrCreateInvitation(tx, context, now);
        const conflict = conflictFor(invitation, now);
        if (conflict || !invitation) throw conflict;
        const response = await tx.response.create({
          data: {
            shopDomain: context.shopDomain,
            invitationId: invitation.id,
            orderId: context.orderId,
            customerId: invitation.customerId ?? context.customerId ?? null,
            score: context.answer.score,
            category,
            comment: context.answer.comment ?? null,
            csat: context.answer.csat ?? null,
            ces: context.answer.ces ?? null,
            channel: context.channel,
            stage: invitation.stage,
            locale: context.locale,
            surveyVersion: invitation.surveyVersion,
            status: "pending",
            createdAt: now,
          },
        });
        await tx.invitation.update({
          where: { id: invitation.id },
          data: { status: "answered", answeredAt: now },
        });
        if (!invitation.orderFacts) return { responseId: response.id, category, status: "pending" as const };
        await confirmResponse(tx, response, orderFactsFromJson(invitation.orderFacts));
        return { responseId: response.id, category, status: "confirmed" as const };
      }, ROLLUP_TRANSACTION),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ServiceError(
        "conflict",
        { field: "orderId", message: "this order's survey was already answered" },
        "already_answered",
      );
    }
    throw error;
  }
}
