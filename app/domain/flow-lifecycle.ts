import { z } from "zod";

// Shopify Flow's trigger lifecycle callback: sent when a merchant enables or disables a workflow that uses one of
// the app's triggers. A newer `timestamp` takes precedence over the one stored.
export const flowLifecycleSchema = z.object({
  flow_trigger_definition_id: z.string().min(1).max(255),
  has_enabled_flow: z.boolean(),
  shopify_domain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain"),
  timestamp: z.string().datetime({ offset: true }),
});

export type FlowLifecycle = z.infer<typeof flowLifecycleSchema>;

/** Whether a callback sent at `sentAt` should replace what was stored from one sent at `storedAt`. */
export function lifecycleSupersedes(sentAt: Date, storedAt: Date | null): boolean {
  return storedAt === null || sentAt.getTime() > storedAt.getTime();
}
