import { describe, expect, it } from "vitest";
import { orderFactsFromJson, orderFactsFromWebhook } from "~/domain/order-facts";
import { orderPayload } from "../factories/order-payload";

describe("order facts from the orders/create payload", () => {
  it("keep what the reports and eligibility need", () => {
    const payload = orderPayload({
      id: 1001,
      customerId: 42,
      totalPrice: "128.50",
      currency: "eur",
      sourceName: "pos",
      discountCodes: ["WELCOME10"],
      countryCode: "DE",
      locale: "de",
      createdAt: new Date("2026-11-01T10:00:00Z"),
      lineItems: [
        { productId: 7, title: "Shirt", quantity: 2, price: "40.00" },
        { productId: 7, title: "Shirt", quantity: 1, price: "40.00" },
        { productId: 9, title: "Socks", quantity: 1, price: "8.50" },
      ],
    });
    const result = orderFactsFromWebhook(payload);
    expect(result).toEqual({
      ok: true,
      facts: {
        orderId: "1001",
        customerId: "42",
        orderName: "#1001",
        totalPrice: 128.5,
        currency: "EUR",
        test: false,
        salesChannel: "pos",
        discountCodes: ["WELCOME10"],
        itemCount: 4,
        productIds: ["7", "9"],
        countryCode: "DE",
        locale: "de",
        createdAt: new Date("2026-11-01T10:00:00Z"),
        cancelled: false,
      },
    });
  });

  it("accept a guest order without a customer", () => {
    const result = orderFactsFromWebhook(orderPayload({ id: 5, customerId: null }));
    expect(result.ok && result.facts.customerId).toBeNull();
  });

  it("name the fields a malformed payload lacks", () => {
    const result = orderFactsFromWebhook({ id: "abc", currency: "EURO" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual(
      expect.arrayContaining(["id", "created_at", "total_price", "currency"]),
    );
  });

  it("survive storage as JSON with the date intact", () => {
    const result = orderFactsFromWebhook(orderPayload({ id: 7, customerId: 1 }));
    if (!result.ok) throw new Error("payload refused");
    expect(orderFactsFromJson(JSON.stringify(result.facts))).toEqual(result.facts);
  });
});
