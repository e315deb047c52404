import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { env } from "~/env.server";
import { receiveOrderWebhook } from "~/services/order-webhooks.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, (webhook) =>
    receiveOrderWebhook(db(), webhook, { processing: env().WEBHOOK_PROCESSING }),
  );

export const loader = webhookGetRefused;
