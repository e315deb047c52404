import { z } from "zod";
import { parseCustomerId } from "./order-gid";
import { type FieldError, fieldErrorsFrom } from "./survey-answer";

// The REST-shaped order payload of orders/create and orders/fulfilled (API 2026-10): only what NPS Sync reads.
// Since API 2025-01 the embedded customer carries no tags or consent.
const money = z.union([z.string(), z.number()]).transform((value) => Number(value));
const address = z
  .object({ country_code: z.string().nullable().optional() })
  .passthrough()
  .nullable()
  .optional();

export const orderWebhookSchema = z
  .object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER, "id must be an order id"),
    admin_graphql_api_id: z.string().optional(),
    name: z.string().nullable().optional(),
    created_at: z.string().datetime({ offset: true }),
    total_price: money.refine(
      (value) => Number.isFinite(value) && value >= 0,
      "total_price must be an amount",
    ),
    currency: z.string().length(3),
    test: z.boolean().default(false),
    source_name: z.string().nullable().optional(),
    cancelled_at: z.string().nullable().optional(),
    customer_locale: z.string().nullable().optional(),
    discount_codes: z.array(z.object({ code: z.string() }).passthrough()).default([]),
    line_items: z
      .array(
        z
          .object({
            product_id: z.number().int().nullable().optional(),
            quantity: z.number().int().nonnegative(),
            title: z.string().optional(),
          })
          .passthrough(),
      )
      .default([]),
    customer: z
      .object({ id: z.union([z.number(), z.string()]) })
      .passthrough()
      .nullable()
      .optional(),
    shipping_address: address,
    billing_address: address,
  })
  .passthrough();

export interface OrderFacts {
  orderId: string;
  customerId: string | null;
  orderName: string | null;
  totalPrice: number;
  currency: string;
  test: boolean;
  salesChannel: string;
  discountCodes: string[];
  itemCount: number;
  productIds: string[];
  countryCode: string | null;
  locale: string | null;
  createdAt: Date;
  cancelled: boolean;
}

/** OrderFacts as the app stores them in JSON (a job's payload): dates as ISO text, read back as Dates. */
export const storedOrderFactsSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().nullable(),
  orderName: z.string().nullable(),
  totalPrice: z.number(),
  currency: z.string(),
  test: z.boolean(),
  salesChannel: z.string(),
  discountCodes: z.array(z.string()),
  itemCount: z.number().int(),
  productIds: z.array(z.string()),
  countryCode: z.string().nullable(),
  locale: z.string().nullable(),
  createdAt: z.coerce.date(),
  cancelled: z.boolean(),
}) satisfies z.ZodType<OrderFacts, z.ZodTypeDef, unknown>;

export function orderFactsFromWebhook(
  payload: unknown,
): { ok: true; facts: OrderFacts } | { ok: false; errors: FieldError[] } {
  const parsed = orderWebhookSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error) };
  const order = parsed.data;
  const productIds = [
    ...new Set(order.line_items.flatMap((item) => (item.product_id ? [String(item.product_id)] : []))),
  ];
  return {
    ok: true,
    facts: {
      orderId: String(order.id),
      customerId: order.customer ? parseCustomerId(order.customer.id) : null,
      orderName: order.name ?? null,
      totalPrice: order.total_price,
      currency: order.currency.toUpperCase(),
      test: order.test,
      salesChannel: (order.source_name ?? "web").toLowerCase(),
      discountCodes: order.discount_codes.map((discount) => discount.code),
      itemCount: order.line_items.reduce((sum, item) => sum + item.quantity, 0),
      productIds,
      countryCode: order.shipping_address?.country_code ?? order.billing_address?.country_code ?? null,
      locale: order.customer_locale ?? null,
      createdAt: new Date(order.created_at),
      cancelled: Boolean(order.cancelled_at),
    },
  };
}

/** Order facts stored as JSON (dates become strings) read back with their types. */
export function orderFactsFromJson(json: string): OrderFacts {
  const raw = JSON.parse(json) as Omit<OrderFacts, "createdAt"> & { createdAt: string };
  return { ...raw, createdAt: new Date(raw.createdAt) };
}
