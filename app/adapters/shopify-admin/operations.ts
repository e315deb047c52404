// Every GraphQL document the app sends to the Admin API. Tests validate each one against Shopify's real
// 2026-10 schema (tests/unit/admin-operations.test.ts), so a typo fails CI, not a merchant's sync.
export const SET_CUSTOMER_CATEGORY = `#graphql
  mutation SetCustomerCategory($id: ID!, $add: [String!]!, $remove: [String!]!, $metafields: [MetafieldsSetInput!]!) {
    tagsAdd(id: $id, tags: $add) {
      userErrors { field message }
    }
    tagsRemove(id: $id, tags: $remove) {
      userErrors { field message }
    }
    metafieldsSet(metafields: $metafields) {
      userErrors { field message code }
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

export const ADMIN_OPERATIONS = {
  SET_CUSTOMER_CATEGORY,
  SET_METAFIELDS,
  CREATE_METAFIELD_DEFINITION,
  CREATE_SEGMENT,
} as const;

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export interface SetCustomerCategoryResult {
  tagsAdd: { userErrors: UserError[] } | null;
  tagsRemove: { userErrors: UserError[] } | null;
  metafieldsSet: { userErrors: UserError[] } | null;
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
