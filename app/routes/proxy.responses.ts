import { clientAddressOf } from "~/adapters/http/client-address.server";
import { enforceRateLimits, perClient } from "~/adapters/http/rate-limit.server";
import { limitAnswersForOrder, storeAnswer } from "~/adapters/http/survey-endpoints.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { preflightOrMethodNotAllowed, readJsonBody, toErrorResponse } from "~/adapters/http/json.server";
import { authenticateStorefront } from "~/adapters/http/storefront-auth.server";
import { fieldErrorsFrom, surveyAnswerSchema } from "~/domain/survey-answer";
import { env } from "~/env.server";
import { storefrontInvitation } from "~/services/responses/storefront-survey.server";
import { ServiceError } from "~/services/service-error";

const tokenSchema = z.object({ token: z.string().max(1024).optional() }).passthrough();

// Shopify forwards POST https://<shop>/apps/nps/responses here (app proxy, signed).
export const action = async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return preflightOrMethodNotAllowed(request);
  try {
    enforceRateLimits([{ limiter: perClient, key: clientAddressOf(context), field: "client" }]);
    const caller = await authenticateStorefront(request);
    const body = await readJsonBody(request);
    const envelope = tokenSchema.safeParse(body);
    if (!envelope.success) throw new ServiceError("invalid", fieldErrorsFrom(envelope.error));
    const { token } = envelope.data;
    // The rest of the body as sent (zod's copy would drop a "__proto__" key the answer schema must refuse).
    const { token: _token, ...rest } = body as Record<string, unknown>;
    const parsed = surveyAnswerSchema.safeParse(rest);
    if (!parsed.success) throw new ServiceError("invalid", fieldErrorsFrom(parsed.error));
    const invitation = await storefrontInvitation(
      db(),
      caller,
      token ?? null,
      env().SHOPIFY_API_SECRET,
      new Date(),
    );
    limitAnswersForOrder(caller.shopDomain, parsed.data.orderId);
    if (!invitation || invitation.orderId !== parsed.data.orderId) {
      throw new ServiceError("not_found", {
        field: "orderId",
        message: "no survey of yours is open for this order",
      });
    }
    return await storeAnswer({
      shopDomain: caller.shopDomain,
      customerId: invitation.customerId,
      channel: token ? "survey_link" : "storefront",
      invitationId: invitation.id,
      answer: parsed.data,
    });
  } catch (error) {
    return toErrorResponse(error);
  }
};

// GET and HEAD: 405 naming the method, in the JSON error contract.
export const loader = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
