import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { uninstallShop } from "~/services/shops.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, ({ shopDomain }) => uninstallShop(db(), shopDomain));

export const loader = webhookGetRefused;
