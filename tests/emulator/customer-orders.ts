import type { EmulatedOrder, EmulatedShop } from "./store";

// A customer's orders (Customer.orders and Customer.lastOrder), for the order history the enrichment reads.
type Args = Record<string, unknown>;
type Connection = <T>(items: T[], args: Args) => unknown;

function orderView(order: EmulatedOrder) {
  return { __typename: "Order", id: order.id, name: order.name, createdAt: order.createdAt };
}

function numericId(order: EmulatedOrder): number {
  return Number(order.id.split("/").pop());
}

// Shopify's default sort key is ID; CREATED_AT breaks ties by id. Other keys are not emulated and sort by id.
function compare(sortKey: unknown) {
  return (a: EmulatedOrder, b: EmulatedOrder) =>
    sortKey === "CREATED_AT" && a.createdAt !== b.createdAt
      ? Date.parse(a.createdAt) - Date.parse(b.createdAt)
      : numericId(a) - numericId(b);
}

export function customerOrderFields(shop: EmulatedShop, customerId: string, connection: Connection) {
  const ordersOf = (sortKey: unknown) =>
    [...shop.orders.values()].filter((order) => order.customerId === customerId).sort(compare(sortKey));
  return {
    orders: (args: Args) => {
      const orders = ordersOf(args.sortKey);
      if (args.reverse === true) orders.reverse();
      return connection(orders.map(orderView), args);
    },
    lastOrder: () => {
      const last = ordersOf("CREATED_AT").pop();
      return last ? orderView(last) : null;
    },
  };
}
