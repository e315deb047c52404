import type { Category } from "./category";

// The "NPS response submitted" Shopify Flow trigger, declared in extensions/nps-flow-trigger/shopify.extension.toml.
// Payload keys are the TOML's: its reference fields become customer_id / order_id (numeric legacy ids, as Flow
// expects), its custom fields keep their keys (score, category, comment).
export const NPS_FLOW_TRIGGER_HANDLE = "nps-response-submitted";

/** Flow refuses trigger payloads over 50 KB; counted as 50,000 bytes of JSON, the stricter reading. */
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

export interface NpsFlowPayload {
  customer_id?: number;
  order_id: number;
  score: number;
  category: Category;
  comment: string;
}

export interface AnsweredResponse {
  customerId: string | null;
  orderId: string;
  score: number;
  category: Category;
  comment: string | null;
}

export type FlowPayloadResult = { ok: true; payload: NpsFlowPayload } | { ok: false; error: string };

const ELLIPSIS = "…";

export function payloadBytes(payload: unknown): number {
  return new TextEncoder().encode(JSON.stringify(payload)).length;
}

/** A Shopify legacy id as the JSON number Flow wants, or null when it cannot be one exactly. */
export function legacyId(id: string): number | null {
  if (!/^[1-9]\d*$/.test(id)) return null;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : null;
}

// Cut between grapheme clusters, so neither a surrogate pair nor an emoji sequence is split.
function graphemes(text: string): string[] {
  return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map(
    (part) => part.segment,
  );
}

/** The longest start of the comment (ending in "…" when cut) that keeps the whole payload within the limit. */
function commentThatFits(base: Omit<NpsFlowPayload, "comment">, comment: string, limit: number): string {
  if (payloadBytes({ ...base, comment }) <= limit) return comment;
  const parts = graphemes(comment);
  const fits = (count: number) =>
    payloadBytes({ ...base, comment: parts.slice(0, count).join("") + ELLIPSIS }) <= limit;
  if (!fits(0)) return "";
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return parts.slice(0, low).join("") + ELLIPSIS;
}

/**
 * The trigger's payload for one answer. No customer (a guest, or one redacted since) leaves customer_id out; no
 * comment (none given, or redacted) sends an empty one. The comment is shortened until the payload fits Flow's limit.
 */
export function npsFlowPayload(
  response: AnsweredResponse,
  limit: number = FLOW_PAYLOAD_LIMIT_BYTES,
): FlowPayloadResult {
  const orderId = legacyId(response.orderId);
  if (orderId === null) return { ok: false, error: `order id ${response.orderId} is not a Shopify order id` };
  const customerId = response.customerId === null ? null : legacyId(response.customerId);
  if (response.customerId !== null && customerId === null) {
    return { ok: false, error: `customer id ${response.customerId} is not a Shopify customer id` };
  }
  const base = {
    ...(customerId === null ? {} : { customer_id: customerId }),
    order_id: orderId,
    score: response.score,
    category: response.category,
  };
  const payload = { ...base, comment: commentThatFits(base, response.comment ?? "", limit) };
  if (payloadBytes(payload) > limit) return { ok: false, error: "the payload exceeds Flow's limit" };
  return { ok: true, payload };
}
