import type { ActionFunctionArgs } from "@remix-run/node";
import { clientAddressOf } from "~/adapters/http/client-address.server";
import { answerRequest } from "~/adapters/http/survey-endpoints.server";

// POST /api/customer-account/responses — same body and answers as /api/checkout/responses.
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerRequest(request, "customerAccount", clientAddressOf(context));
