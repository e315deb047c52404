import type { Invitation } from "@prisma/client";
import type { Database } from "~/adapters/db/client.server";
import { verifyInvitationToken } from "~/domain/invitation-token";
import { orderGid } from "~/domain/order-gid";
import { ServiceError } from "../service-error";
import { type SurveyForOrder, surveyForOrder } from "./survey-responses.server";

// The storefront widget (through the app proxy) reaches the same survey service, with an invitation token from
// a survey link or as a logged-in customer with a pending invitation.
export type StorefrontCaller = { shopDomain: string; shopName: string; loggedInCustomerId: string | null };

export type StorefrontSurvey =
  | (Extract<SurveyForOrder, { show: true }> & { orderId: string })
  | Extract<SurveyForOrder, { show: false }>
  | { show: false; reason: "no_invitation" };

/** The invitation a storefront request is about: the token's, else the logged-in customer's newest pending one. */
export async function storefrontInvitation(
  database: Database,
  caller: StorefrontCaller,
  token: string | null,
  secret: string,
  now: Date,
): Promise<Invitation | null> {
  if (token) {
    const check = verifyInvitationToken(token, secret, now);
    if (!check.ok) {
      const code = check.reason === "expired" ? "gone" : "unauthorized";
      throw new ServiceError(code, {
        field: "token",
        message: `the survey link is ${check.reason.replace("_", " ")}`,
      });
    }
    if (check.payload.shop !== caller.shopDomain) {
      throw new ServiceError("unauthorized", {
        field: "token",
        message: "the survey link belongs to another shop",
      });
    }
    return database.invitation.findFirst({
      where: { id: check.payload.invitationId, shopDomain: caller.shopDomain },
    });
  }
  if (!caller.loggedInCustomerId) return null;
  return database.invitation.findFirst({
    where: {
      shopDomain: caller.shopDomain,
      customerId: caller.loggedInCustomerId,
      status: "pending",
      expiresAt: { gt: now },
    },
    orderBy: { createdAt: "desc" },
  });
}

export async function storefrontSurvey(
  database: Database,
  caller: StorefrontCaller,
  options: { token: string | null; locale: string | null; secret: string; now?: Date },
): Promise<StorefrontSurvey> {
  const now = options.now ?? new Date();
  const invitation = await storefrontInvitation(database, caller, options.token, options.secret, now);
  if (!invitation) return { show: false, reason: "no_invitation" };
  const result = await surveyForOrder(database, {
    shopDomain: caller.shopDomain,
    shopName: caller.shopName,
    orderId: invitation.orderId,
    customerId: invitation.customerId,
    invitationId: invitation.id,
    channel: options.token ? "survey_link" : "storefront",
    locale: options.locale,
    now,
  });
  return result.show ? { ...result, orderId: orderGid(invitation.orderId) } : result;
}
