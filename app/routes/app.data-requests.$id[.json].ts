import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { requireAdmin } from "~/adapters/http/admin-auth.server";
import { toErrorResponse } from "~/adapters/http/json.server";
import { customerDataExport } from "~/services/data-requests.server";

// GET /app/data-requests/<id>.json — everything the app holds about the request's customer, as a download.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  try {
    const data = await customerDataExport(db(), shopDomain, params.id ?? "");
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="nps-customer-${data.request.customerId}-data.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
};
