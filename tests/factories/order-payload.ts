// The REST-shaped `orders/create` payload Shopify sends (API 2026-10), only with the fields NPS Sync reads plus
// a few realistic neighbours. Used by tests and by the demo seed.
export interface OrderPayloadInput {
  id: number;
  customerId?: number | null;
  totalPrice?: string;
  currency?: string;
  createdAt?: Date;
  test?: boolean;
  sourceName?: string;
  discountCodes?: string[];
  lineItems?: { productId: number; title: string; quantity: number; price: string }[];
  countryCode?: string;
  locale?: string;
  email?: string;
}

export function orderPayload(input: OrderPayloadInput) {
  const createdAt = (input.createdAt ?? new Date()).toISOString();
  const lineItems = input.lineItems ?? [
    { productId: 7001, title: "Linen shirt", quantity: 1, price: "49.00" },
  ];
  const address = { country_code: input.countryCode ?? "US", country: "United States" };
  return {
    id: input.id,
    admin_graphql_api_id: `gid://shopify/Order/${input.id}`,
    name: `#${input.id}`,
    email: input.email ?? null,
    created_at: createdAt,
    updated_at: createdAt,
    processed_at: createdAt,
    cancelled_at: null,
    currency: input.currency ?? "USD",
    presentment_currency: input.currency ?? "USD",
    total_price: input.totalPrice ?? "49.00",
    subtotal_price: input.totalPrice ?? "49.00",
    financial_status: "paid",
    fulfillment_status: null,
    test: input.test ?? false,
    source_name: input.sourceName ?? "web",
    customer_locale: input.locale ?? "en",
    discount_codes: (input.discountCodes ?? []).map((code) => ({
      code,
      amount: "5.00",
      type: "fixed_amount",
    })),
    line_items: lineItems.map((item, index) => ({
      id: input.id * 100 + index,
      product_id: item.productId,
      variant_id: item.productId * 10,
      title: item.title,
      quantity: item.quantity,
      price: item.price,
    })),
    shipping_address: address,
    billing_address: address,
    customer:
      input.customerId === null || input.customerId === undefined
        ? null
        : {
            id: input.customerId,
            admin_graphql_api_id: `gid://shopify/Customer/${input.customerId}`,
            created_at: createdAt,
            state: "enabled",
            currency: input.currency ?? "USD",
          },
  };
}

/** The `orders/fulfilled` payload: the order with its fulfillments (one here, created at fulfilledAt). */
export function fulfilledOrderPayload(input: OrderPayloadInput & { fulfilledAt: Date }) {
  const order = orderPayload(input);
  return {
    ...order,
    fulfillment_status: "fulfilled",
    updated_at: input.fulfilledAt.toISOString(),
    fulfillments: [
      {
        id: input.id * 10 + 1,
        order_id: input.id,
        status: "success",
        created_at: input.fulfilledAt.toISOString(),
        tracking_company: "UPS",
      },
    ],
  };
}

/** The `fulfillment_events/create` payload (REST shape): a carrier step of one of the order's fulfillments. */
export function fulfillmentEventPayload(input: {
  id: number;
  orderId: number;
  status: string;
  happenedAt: Date;
}) {
  return {
    id: input.id,
    fulfillment_id: input.orderId * 10 + 1,
    order_id: input.orderId,
    shop_id: 1,
    status: input.status,
    message: null,
    happened_at: input.happenedAt.toISOString(),
    created_at: input.happenedAt.toISOString(),
    updated_at: input.happenedAt.toISOString(),
    admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${input.id}`,
  };
}
