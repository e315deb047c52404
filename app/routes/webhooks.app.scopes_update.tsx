import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/adapters/db/client.server";
import { handleWebhook, webhookGetRefused } from "~/adapters/http/webhook.server";
import { ServiceError } from "~/services/service-error";

const scopesUpdateSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, async ({ shopDomain, payload }) => {
    const parsed = scopesUpdateSchema.safeParse(payload);
    if (!parsed.success)
      throw new ServiceError("invalid", { field: "current", message: "current must list scopes" });
    await db().session.updateMany({
      where: { shop: shopDomain },
      data: { scope: parsed.data.current.join(",") },
    });
  });

export const loader = webhookGetRefused;
