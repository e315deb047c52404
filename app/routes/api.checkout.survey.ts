import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientAddressOf } from "~/adapters/http/client-address.server";
import { preflightOrMethodNotAllowed } from "~/adapters/http/json.server";
import { surveyRequest } from "~/adapters/http/survey-endpoints.server";

// GET /api/checkout/survey?orderId=gid://shopify/Order/1001&locale=fr — the thank-you page extension.
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  surveyRequest(request, "checkout", clientAddressOf(context));
export const action = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
