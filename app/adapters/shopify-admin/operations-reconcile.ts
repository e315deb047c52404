import type { ReconcileCustomersByIdQuery, ReconcileCustomersWithTagQuery } from "~/types/admin.generated";

// Reconciliation reads (app/services/sync/jobs/reconcile-tags.server.ts). Both pages hold up to 250 customers and
// read only ids and tags: about one point per customer.

/** One page (at most 250) of the customers Shopify finds with a search such as tag:'nps:promoter'. */
export const RECONCILE_CUSTOMERS_WITH_TAG = `#graphql
  query ReconcileCustomersWithTag($query: String!, $first: Int!, $after: String) {
    customers(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes { id tags }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** Customers by id (at most 250); a customer Shopify no longer has comes back as null. */
export const RECONCILE_CUSTOMERS_BY_ID = `#graphql
  query ReconcileCustomersById($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer { id tags }
    }
  }
`;

export type ReconcileCustomersWithTagResult = ReconcileCustomersWithTagQuery;
export type ReconcileCustomersByIdResult = ReconcileCustomersByIdQuery;
