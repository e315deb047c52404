import type { ActionFunctionArgs } from "@remix-run/node";
import { answerRequest } from "~/adapters/http/survey-endpoints.server";

// POST /api/customer-account/responses — same body and answers as /api/checkout/responses.
export const action = ({ request }: ActionFunctionArgs) => answerRequest(request, "customerAccount");
