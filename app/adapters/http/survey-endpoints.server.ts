import { db } from "~/adapters/db/client.server";
import { parseOrderId } from "~/domain/order-gid";
import { fieldErrorsFrom, type SurveyAnswer, surveyAnswerSchema } from "~/domain/survey-answer";
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
    limitAnswersForOrder(caller.shopDomain, answer.orderId);
    return await storeAnswer({
      shopDomain: caller.shopDomain,
      customerId: caller.customerId,
      channel: CHANNEL[surface],
      answer,
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** Counts an attempt to answer an order against that order's limit. */
export function limitAnswersForOrder(shopDomain: string, orderId: string): void {
  enforceRateLimits([{ limiter: perOrderAnswer, key: `${shopDomain}:${orderId}`, field: "orderId" }]);
}

/** Stores a validated answer and gives the public contract's reply: 201 { id, category, status }. */
export async function storeAnswer(input: {
  shopDomain: string;
  customerId: string | null;
  channel: SurveyChannel;
  answer: SurveyAnswer;
  /** The invitation a survey link or storefront session is about, when the caller knows it. */
  invitationId?: string;
}): Promise<Response> {
  const result = await submitAnswer(db(), {
    shopDomain: input.shopDomain,
    orderId: input.answer.orderId,
    customerId: input.customerId,
    channel: input.channel,
    invitationId: input.invitationId ?? null,
    answer: input.answer,
    locale: resolveLocale(input.answer.locale),
  });
  return jsonResponse({ id: result.responseId, category: result.category, status: result.status }, 201);
}
