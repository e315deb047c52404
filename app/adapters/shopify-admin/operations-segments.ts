import type {
  ListNpsSegmentsQuery,
  ReadNpsSegmentQuery,
  UpdateNpsSegmentMutation,
} from "~/types/admin.generated";

// The app's three customer segments after they were made (CREATE_SEGMENT in operations.ts): read one by its kept
// id, find them by name when no id is kept, and point their query at new tag names.

export const READ_NPS_SEGMENT = `#graphql
  query ReadNpsSegment($id: ID!) {
    segment(id: $id) { id name query }
  }
`;

export const LIST_NPS_SEGMENTS = `#graphql
  query ListNpsSegments($after: String) {
    segments(first: 250, after: $after) {
      nodes { id name query }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const UPDATE_NPS_SEGMENT = `#graphql
  mutation UpdateNpsSegment($id: ID!, $query: String!) {
    segmentUpdate(id: $id, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export type ReadNpsSegmentResult = ReadNpsSegmentQuery;
export type ListNpsSegmentsResult = ListNpsSegmentsQuery;
export type UpdateNpsSegmentResult = UpdateNpsSegmentMutation;
