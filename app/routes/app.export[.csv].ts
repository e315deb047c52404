import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { responsesCsvStream } from "~/services/export.server";

// GET /app/export.csv — every confirmed answer with its order and customer facts, streamed.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(responsesCsvStream(db(), shopDomain), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="nps-responses-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
