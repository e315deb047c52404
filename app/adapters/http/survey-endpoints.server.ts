import { db } from "~/adapters/db/client.server";
import { parseOrderId } from "~/domain/order-gid";
import { fieldErrorsFrom, surveyAnswerSchema } from "~/domain/survey-answer";
import { resolveLocale } from "~/domain/survey-text";
import {
  type SurveyChannel,
  submitAnswer,
  surveyForOrder,
} from "~/services/responses/survey-responses.server";
import { ServiceError } from "~/services/service-error";
import { authenticateExtension } from "./extension-auth.server";
import { jsonResponse, readJsonBody, toErrorResponse } from "./json.server";
import { enforceRateLimits, perClient, perOrderAnswer } from "./rate-limit.server";

// The survey API of the UI extensions: the thank-you page (checkout session tokens) and the order-status page
// (customer-account session tokens) share one pipeline — auth → parse → tenant check → service.
export type ExtensionSurface = "checkout" | "customerAccount";

const CHANNEL: Record<ExtensionSurface, SurveyChannel> = {
  checkout: "thank_you",
  customerAccount: "order_status",
};

export async function surveyRequest(
  request: Request,
  surface: ExtensionSurface,
  clientAddress: string | null = null,
): Promise<Response> {
  try {
    enforceRateLimits([{ limiter: perClient, key: clientAddress, field: "client" }]);
    const caller = await authenticateExtension(request, surface);
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
      channel: CHANNEL[surface],
      locale: url.searchParams.get("locale"),
    });
    return jsonResponse(result);
  } catch (error) {
    return toErrorResponse(error);
  }
}

export async function answerRequest(
  request: Request,
  surface: ExtensionSurface,
  clientAddress: string | null = null,
): Promise<Response> {
  try {
    enforceRateLimits([{ limiter: perClient, key: clientAddress, field: "client" }]);
    const caller = await authenticateExtension(request, surface);
    if (request.method !== "POST")
      throw new ServiceError("invalid", { field: "method", message: "use POST" });
    const parsed = surveyAnswerSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new ServiceError("invalid", fieldErrorsFrom(parsed.error));
    const answer = parsed.data;
    enforceRateLimits([
      { limiter: perOrderAnswer, key: `${caller.shopDomain}:${answer.orderId}`, field: "orderId" },
    ]);
    const result = await submitAnswer(db(), {
      shopDomain: caller.shopDomain,
      orderId: answer.orderId,
      customerId: caller.customerId,
      channel: CHANNEL[surface],
      answer,
      locale: resolveLocale(answer.locale),
    });
    return jsonResponse({ id: result.responseId, category: result.category, status: result.status }, 201);
  } catch (error) {
    return toErrorResponse(error);
  }
}
