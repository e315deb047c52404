import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { authenticateExtension } from "~/adapters/http/extension-auth.server";
import { jsonResponse, preflightOrMethodNotAllowed, toErrorResponse } from "~/adapters/http/json.server";
import { parseOrderId } from "~/domain/order-gid";
import { surveyForOrder } from "~/services/responses/survey-responses.server";
import { ServiceError } from "~/services/service-error";

// GET /api/checkout/survey?orderId=gid://shopify/Order/1001&locale=fr — the thank-you page extension.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    const caller = await authenticateExtension(request, "checkout");
    const url = new URL(request.url);
    const orderId = parseOrderId(url.searchParams.get("orderId") ?? "");
    if (!orderId) {
      throw new ServiceError("invalid", {
        field: "orderId",
        message: "orderId must be an order id such as gid://shopify/Order/1001",
      });
    }
    const result = await surveyForOrder(db(), {
      shopDomain: caller.shopDomain,
      shopName: caller.shopName,
      orderId,
      customerId: caller.customerId,
      channel: "thank_you",
      locale: url.searchParams.get("locale"),
    });
    return jsonResponse(result);
  } catch (error) {
    return toErrorResponse(error);
  }
};

export const action = async ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
