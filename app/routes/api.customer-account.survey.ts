import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientAddressOf } from "~/adapters/http/client-address.server";
import { preflightOrMethodNotAllowed } from "~/adapters/http/json.server";
import { surveyRequest } from "~/adapters/http/survey-endpoints.server";

// GET /api/customer-account/survey?orderId=gid://shopify/Order/1001 — the order-status page extension.
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  surveyRequest(request, "customerAccount", clientAddressOf(context));
export const action = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
