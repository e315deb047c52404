import { describe, expect, it } from "vitest";
import { customerGid, orderGid, parseCustomerId, parseOrderId } from "~/domain/order-gid";

describe("order and customer ids", () => {
  it("read the thank-you page's OrderIdentity, the order-status page's Order gid and a bare id as one order", () => {
    expect(parseOrderId("gid://shopify/OrderIdentity/1001")).toBe("1001");
    expect(parseOrderId("gid://shopify/Order/1001")).toBe("1001");
    expect(parseOrderId("1001")).toBe("1001");
    expect(orderGid("1001")).toBe("gid://shopify/Order/1001");
  });

  it("refuse anything else", () => {
    for (const value of [
      "",
      "0",
      "-1",
      "gid://shopify/Customer/1",
      "gid://shopify/Order/",
      "1001; drop",
      "1".repeat(21),
    ]) {
      expect(parseOrderId(value)).toBeNull();
    }
  });

  it("read customers from gids, strings and numbers", () => {
    expect(parseCustomerId("gid://shopify/Customer/42")).toBe("42");
    expect(parseCustomerId(42)).toBe("42");
    expect(parseCustomerId("42")).toBe("42");
    expect(parseCustomerId(0)).toBeNull();
    expect(parseCustomerId(4.2)).toBeNull();
    expect(parseCustomerId("gid://shopify/Order/42")).toBeNull();
    expect(customerGid("42")).toBe("gid://shopify/Customer/42");
  });
});
