import { z } from "zod";
import { type FieldError, fieldErrorsFrom } from "./survey-answer";

// fulfillment_events/create (REST-shaped payload, API 2026-10, needs read_fulfillments): a carrier or the merchant
// reported a step of a shipment. Only "delivered" matters to NPS Sync: it opens the delivery-stage survey.
const fulfillmentEventSchema = z
  .object({
    id: z.number().int().positive(),
    order_id: z.number().int().positive(),
    fulfillment_id: z.number().int().positive().optional(),
    status: z.string().min(1),
    happened_at: z.string().datetime({ offset: true }).nullable().optional(),
    created_at: z.string().datetime({ offset: true }).nullable().optional(),
  })
  .passthrough();

export interface FulfillmentEvent {
  orderId: string;
  delivered: boolean;
  happenedAt: Date | null;
}

export function fulfillmentEventFromWebhook(
  payload: unknown,
): { ok: true; event: FulfillmentEvent } | { ok: false; errors: FieldError[] } {
  const parsed = fulfillmentEventSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error) };
  const event = parsed.data;
  const when = event.happened_at ?? event.created_at ?? null;
  return {
    ok: true,
    event: {
      orderId: String(event.order_id),
      delivered: event.status.toLowerCase() === "delivered",
      happenedAt: when ? new Date(when) : null,
    },
  };
}

const fulfilledOrderSchema = z
  .object({
    fulfillments: z
      .array(z.object({ created_at: z.string().datetime({ offset: true }) }).passthrough())
      .default([]),
    updated_at: z.string().datetime({ offset: true }).nullable().optional(),
  })
  .passthrough();

/** When an orders/fulfilled payload says the order was fulfilled: its last fulfillment, else its last update. */
export function fulfilledAtFromOrder(payload: unknown): Date | null {
  const parsed = fulfilledOrderSchema.safeParse(payload);
  if (!parsed.success) return null;
  const times = parsed.data.fulfillments.map((fulfillment) => new Date(fulfillment.created_at).getTime());
  if (times.length > 0) return new Date(Math.max(...times));
  return parsed.data.updated_at ? new Date(parsed.data.updated_at) : null;
}
