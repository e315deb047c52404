import type { LoaderFunctionArgs } from "@remix-run/node";
import { preflightOrMethodNotAllowed } from "~/adapters/http/json.server";
import { surveyRequest } from "~/adapters/http/survey-endpoints.server";

// GET /api/customer-account/survey?orderId=gid://shopify/Order/1001 — the order-status page extension.
export const loader = ({ request }: LoaderFunctionArgs) => surveyRequest(request, "customerAccount");
export const action = ({ request }: LoaderFunctionArgs) => preflightOrMethodNotAllowed(request);
