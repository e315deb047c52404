import type { ReadCustomerOrderFactsQuery } from "~/types/admin.generated";

// The customer's order history as Shopify knows it, including orders placed before the app was installed (order
// webhooks only ever show the app the orders since). Costs 8 points: the customer and its amountSpent 1 each, each
// one-order connection 3.
export const READ_CUSTOMER_ORDER_FACTS = `#graphql
  query ReadCustomerOrderFacts($id: ID!) {
    customer(id: $id) {
      id
      numberOfOrders
      amountSpent { amount currencyCode }
      createdAt
      firstOrder: orders(first: 1, sortKey: CREATED_AT) { nodes { createdAt } }
      lastOrder: orders(first: 1, sortKey: CREATED_AT, reverse: true) { nodes { createdAt } }
    }
  }
`;

export const READ_CUSTOMER_ORDER_FACTS_COST = 8;

export type ReadCustomerOrderFactsResult = ReadCustomerOrderFactsQuery;
