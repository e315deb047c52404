import type { ActionFunctionArgs } from "@remix-run/node";
import { clientAddressOf } from "~/adapters/http/client-address.server";
import { answerRequest } from "~/adapters/http/survey-endpoints.server";

// POST /api/checkout/responses { orderId, score, comment?, csat?, ces?, locale? } → 201 { id, category, status }
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerRequest(request, "checkout", clientAddressOf(context));
