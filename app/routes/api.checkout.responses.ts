import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { authenticateExtension } from "~/adapters/http/extension-auth.server";
import { jsonResponse, readJsonBody, toErrorResponse } from "~/adapters/http/json.server";
import { fieldErrorsFrom, surveyAnswerSchema } from "~/domain/survey-answer";
import { resolveLocale } from "~/domain/survey-text";
import { submitAnswer } from "~/services/responses/survey-responses.server";
import { ServiceError } from "~/services/service-error";

// POST /api/checkout/responses { orderId, score, comment?, csat?, ces?, locale? } → 201 { id, category, status }
export const action = async ({ request }: ActionFunctionArgs) => {
  try {
    const caller = await authenticateExtension(request, "checkout");
    if (request.method !== "POST") {
      throw new ServiceError("invalid", { field: "method", message: "use POST" });
    }
    const parsed = surveyAnswerSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw new ServiceError("invalid", fieldErrorsFrom(parsed.error));
    const answer = parsed.data;
    const result = await submitAnswer(db(), {
      shopDomain: caller.shopDomain,
      orderId: answer.orderId,
      customerId: caller.customerId,
      channel: "thank_you",
      answer,
      locale: resolveLocale(answer.locale),
    });
    return jsonResponse({ id: result.responseId, category: result.category, status: result.status }, 201);
  } catch (error) {
    return toErrorResponse(error);
  }
};
