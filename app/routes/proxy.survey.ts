import { clientAddressOf } from "~/adapters/http/client-address.server";
import { enforceRateLimits, perClient } from "~/adapters/http/rate-limit.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { jsonResponse, preflightOrMethodNotAllowed, toErrorResponse } from "~/adapters/http/json.server";
import { authenticateStorefront } from "~/adapters/http/storefront-auth.server";
import { env } from "~/env.server";
import { storefrontSurvey } from "~/services/responses/storefront-survey.server";

// Shopify forwards https://<shop>/apps/nps/survey?token=… here (app proxy, signed).
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  try {
    enforceRateLimits([{ limiter: perClient, key: clientAddressOf(context), field: "client" }]);
    const caller = await authenticateStorefront(request);
    const url = new URL(request.url);
    const result = await storefrontSurvey(db(), caller, {
      token: url.searchParams.get("token"),
      locale: url.searchParams.get("locale"),
      secret: env().SHOPIFY_API_SECRET,
    });
    return jsonResponse(result);
  } catch (error) {
    return toErrorResponse(error);
  }
};

export const action = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
