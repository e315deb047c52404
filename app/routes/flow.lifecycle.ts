import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/adapters/db/client.server";
import { errorResponse, jsonResponse } from "~/adapters/http/json.server";
import { flowLifecycleSchema } from "~/domain/flow-lifecycle";
import { recordFlowLifecycle } from "~/services/flow-lifecycle.server";
import { authenticate } from "~/shopify.server";

// Shopify Flow's trigger lifecycle callback (extensions/nps-flow-lifecycle). Signed like a Flow action request
// (HMAC of the body with the app's secret); a refused callback keeps the merchant from enabling the workflow.
function methodRefused(): Response {
  return errorResponse(405, [{ field: "method", message: "lifecycle callbacks are sent with POST" }]);
}

export const action = async ({ request }: ActionFunctionArgs) => {
  let payload: unknown;
  try {
    ({ payload } = await authenticate.flow(request));
  } catch (thrown) {
    if (thrown instanceof SyntaxError)
      return errorResponse(400, [{ field: "body", message: "the callback body must be JSON" }]);
    // A correctly signed body that names no valid shop: Shopify's library throws before looking for a session.
    // (a body that is not an object makes it fail reading the shop).
    if (thrown instanceof TypeError || (thrown instanceof Error && /invalid shop/i.test(thrown.message)))
      return errorResponse(400, [
        {
          field: "shopify_domain",
          message: "the callback must be a JSON object naming a *.myshopify.com shop",
        },
      ]);
    if (!(thrown instanceof Response)) throw thrown;
    if (thrown.status === 405) return methodRefused();
    return errorResponse(400, [
      {
        field: "x-shopify-hmac-sha256",
        message: "the signature does not match the body, or the shop has not installed the app",
      },
    ]);
  }
  const parsed = flowLifecycleSchema.safeParse(payload);
  if (!parsed.success) {
    return errorResponse(
      400,
      parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "body", message: issue.message })),
    );
  }
  return jsonResponse({ ok: true, outcome: await recordFlowLifecycle(db(), parsed.data) });
};

export const loader = methodRefused;
