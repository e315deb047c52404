// GraphQL documents the app sends to the Admin API (more in operations-*.ts). Tests validate every one against Shopify's real
// 2026-10 schema (tests/unit/admin-operations.test.ts), so a typo fails CI, not a merchant's sync.

// The customer sync reads the customer's tags (1 point), then writes tags and nps metafields with ONE
// customerUpdate (10 points) — instead of tagsAdd + tagsRemove + metafieldsSet (30 points). customerUpdate replaces
// the whole tag list, so the list sent must be the current tags with the plan applied.
export const READ_CUSTOMER_TAGS = `#graphql
  query ReadCustomerTags($id: ID!) {
    customer(id: $id) {
      id
      tags
    }
  }
`;

export const WRITE_CUSTOMER_CATEGORY = `#graphql
  mutation WriteCustomerCategory($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer { id tags }
      userErrors { field message }
    }
  }
`;

export const CREATE_METAFIELD_DEFINITION = `#graphql
  mutation CreateNpsMetafieldDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id }
      userErrors { field message code }
    }
  }
`;

export const CREATE_SEGMENT = `#graphql
  mutation CreateNpsSegment($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export const SET_METAFIELDS = `#graphql
  mutation SetMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors { field message code }
    }
  }
`;

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export interface ReadCustomerTagsResult {
  customer: { id: string; tags: string[] } | null;
}

export interface WriteCustomerCategoryResult {
  customerUpdate: {
    customer: { id: string; tags: string[] } | null;
    userErrors: UserError[];
  } | null;
}

export interface CreateMetafieldDefinitionResult {
  metafieldDefinitionCreate: { createdDefinition: { id: string } | null; userErrors: UserError[] } | null;
}

export interface CreateSegmentResult {
  segmentCreate: {
    segment: { id: string; name: string; query: string } | null;
    userErrors: UserError[];
  } | null;
}

export interface SetMetafieldsResult {
  metafieldsSet: { userErrors: UserError[] } | null;
}
