import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { handleOrderWebhook } from "~/services/order-webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, (webhook) => handleOrderWebhook(db(), webhook, { fulfilled: true }));

export const loader = webhookGetRefused;
