import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { redactShop } from "~/services/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, (webhook) => redactShop(db(), webhook));

export const loader = webhookGetRefused;
