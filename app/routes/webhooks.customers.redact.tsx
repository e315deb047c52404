import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { redactCustomer } from "~/services/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, (webhook) => redactCustomer(db(), webhook));

export const loader = webhookGetRefused;
