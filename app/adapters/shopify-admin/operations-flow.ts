import type { FlowTriggerReceiveMutation } from "~/types/admin.generated";

// Starts the merchant's Shopify Flow workflows that begin with one of the app's Flow triggers
// (extensions/nps-flow-trigger). `handle` names the trigger extension; `payload` carries the fields its TOML
// declares (reference fields as customer_id / order_id with numeric ids). The older `body` argument is deprecated.
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`;

export type FlowTriggerReceiveResult = FlowTriggerReceiveMutation;
