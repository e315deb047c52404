import type { Database } from "~/adapters/db/client.server";
import { type FlowLifecycle, lifecycleSupersedes } from "~/domain/flow-lifecycle";

export type FlowLifecycleOutcome = "recorded" | "stale" | "unknown_shop";

/** Records whether the shop uses the trigger; an older callback arriving late changes nothing. */
export async function recordFlowLifecycle(
  database: Database,
  callback: FlowLifecycle,
): Promise<FlowLifecycleOutcome> {
  const sentAt = new Date(callback.timestamp);
  const shop = await database.shop.findUnique({
    where: { shopDomain: callback.shopify_domain },
    select: { flowTriggerChangedAt: true },
  });
  if (!shop) return "unknown_shop";
  if (!lifecycleSupersedes(sentAt, shop.flowTriggerChangedAt)) return "stale";
  // Compare-and-set on the stored time, so two callbacks racing each other leave the newer one.
  const { count } = await database.shop.updateMany({
    where: {
      shopDomain: callback.shopify_domain,
      OR: [{ flowTriggerChangedAt: null }, { flowTriggerChangedAt: { lt: sentAt } }],
    },
    data: { flowTriggerEnabled: callback.has_enabled_flow, flowTriggerChangedAt: sentAt },
  });
  return count === 1 ? "recorded" : "stale";
}
