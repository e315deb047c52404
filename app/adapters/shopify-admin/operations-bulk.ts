import type {
  BulkRetagOperationQuery,
  BulkRetagRunMutation,
  BulkRetagStageMutation,
} from "~/types/admin.generated";

// Shopify's bulk import flow (https://shopify.dev/docs/api/usage/bulk-operations/imports): a staged upload of a
// JSONL file (one line of variables per mutation call), bulkOperationRunMutation over it, then polling the
// operation until its results file is ready. The re-tag run (app/services/sync/jobs/bulk-retag.server.ts) writes
// three files per part of the shop's customers: the lines of BULK_TAGS_ADD, of BULK_TAGS_REMOVE, and of
// WRITE_CUSTOMER_CATEGORY (operations.ts) without `tags`, for the nps metafields.

export const STAGE_BULK_UPLOAD = `#graphql
  mutation BulkRetagStage($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }
`;

export const RUN_BULK_MUTATION = `#graphql
  mutation BulkRetagRun($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(
      mutation: $mutation
      stagedUploadPath: $stagedUploadPath
      clientIdentifier: $clientIdentifier
    ) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const READ_BULK_OPERATION = `#graphql
  query BulkRetagOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

// tagsAdd and tagsRemove keep every other tag, so these lines cannot drop a merchant's tag whatever happens to
// the customer while the import runs (customerUpdate(tags:) would replace the list read before it).
export const BULK_TAGS_ADD = `#graphql
  mutation BulkRetagTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export const BULK_TAGS_REMOVE = `#graphql
  mutation BulkRetagTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export type StageBulkUploadResult = BulkRetagStageMutation;
export type RunBulkMutationResult = BulkRetagRunMutation;
export type ReadBulkOperationResult = BulkRetagOperationQuery;
