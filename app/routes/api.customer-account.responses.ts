import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { clientAddressOf } from "~/adapters/http/client-address.server";
import { preflightOrMethodNotAllowed } from "~/adapters/http/json.server";
import { answerRequest } from "~/adapters/http/survey-endpoints.server";

// POST /api/customer-account/responses — same body and answers as /api/checkout/responses.
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerRequest(request, "customerAccount", clientAddressOf(context));
// GET and HEAD: 405 naming the method, in the JSON error contract (without a loader Remix answers them itself).
export const loader = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
