// The thank-you page knows an order as gid://shopify/OrderIdentity/<id>, the order-status page and webhooks as
// gid://shopify/Order/<id>: both name the same order, stored by its numeric id.
const ORDER = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?([1-9]\d{0,19})$/;
const CUSTOMER = /^(?:gid:\/\/shopify\/Customer\/)?([1-9]\d{0,19})$/;

export function parseOrderId(value: string): string | null {
  return ORDER.exec(value.trim())?.[1] ?? null;
}

export function orderGid(id: string): string {
  return `gid://shopify/Order/${id}`;
}

export function parseCustomerId(value: string | number): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  return CUSTOMER.exec(value.trim())?.[1] ?? null;
}

export function customerGid(id: string): string {
  return `gid://shopify/Customer/${id}`;
}
