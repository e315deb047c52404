import { describe, expect, it } from "vitest";
import {
  FLOW_PAYLOAD_LIMIT_BYTES,
  legacyId,
  NPS_FLOW_TRIGGER_HANDLE,
  npsFlowPayload,
  payloadBytes,
} from "~/domain/flow-trigger";
import { flowTriggerDefinitions } from "../emulator/flow";

const answer = {
  customerId: "7001",
  orderId: "5001",
  score: 3,
  category: "detractor" as const,
  comment: "Late again",
};

function payloadOf(result: ReturnType<typeof npsFlowPayload>) {
  if (!result.ok) throw new Error(result.error);
  return result.payload;
}

describe("the NPS response submitted Flow trigger", () => {
  it("is declared with the fields the payload sends, in types Flow accepts on a trigger", () => {
    const definition = flowTriggerDefinitions().find((found) => found.handle === NPS_FLOW_TRIGGER_HANDLE);
    expect(definition?.fields.map((field) => field.type)).toEqual([
      "customer_reference",
      "order_reference",
      "number_decimal",
      "single_line_text_field",
      "single_line_text_field",
    ]);
    // The CLI's deploy refuses any other custom field type on a trigger (multi_line_text_field included).
    const customTypes = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];
    const keys = (definition?.fields ?? []).map((field) =>
      field.type.endsWith("_reference") ? field.type.replace("_reference", "_id") : field.key,
    );
    expect(
      definition?.fields.filter(
        (field) => !field.type.endsWith("_reference") && !customTypes.includes(field.type),
      ),
    ).toEqual([]);
    expect(keys.sort()).toEqual(Object.keys(payloadOf(npsFlowPayload(answer))).sort());
  });

  it("sends numeric legacy ids for the customer and the order, the score, category and comment", () => {
    expect(payloadOf(npsFlowPayload(answer))).toEqual({
      customer_id: 7001,
      order_id: 5001,
      score: 3,
      category: "detractor",
      comment: "Late again",
    });
  });

  it("leaves the customer out when there is none and sends an empty comment when there is none", () => {
    expect(payloadOf(npsFlowPayload({ ...answer, customerId: null, comment: null }))).toEqual({
      order_id: 5001,
      score: 3,
      category: "detractor",
      comment: "",
    });
  });

  it("refuses ids that are not Shopify's numeric ids or would lose digits as JSON numbers", () => {
    expect(legacyId("9007199254740993")).toBeNull();
    expect(legacyId("0")).toBeNull();
    expect(legacyId("gid://shopify/Order/1")).toBeNull();
    expect(npsFlowPayload({ ...answer, orderId: "9007199254740993" })).toEqual({
      ok: false,
      error: expect.stringContaining("order id"),
    });
    expect(npsFlowPayload({ ...answer, customerId: "abc" }).ok).toBe(false);
  });

  it("shortens a comment that would take the payload over the limit, to exactly fit, ending in an ellipsis", () => {
    const comment = "Très bien ".repeat(50);
    const limit = 200;
    const payload = payloadOf(npsFlowPayload({ ...answer, comment }, limit));
    expect(payloadBytes(payload)).toBeLessThanOrEqual(limit);
    expect(payload.comment.endsWith("…")).toBe(true);
    expect(comment.startsWith(payload.comment.slice(0, -1))).toBe(true);
    // One more character would not have fitted.
    const longer = `${comment.slice(0, payload.comment.length)}…`;
    expect(payloadBytes({ ...payload, comment: longer })).toBeGreaterThan(limit);
  });

  it("never cuts through an emoji or an escaped character when shortening", () => {
    const comment = `${"👍🏽".repeat(40)}"\n`.repeat(5);
    for (let limit = 120; limit < 400; limit += 7) {
      const { comment: sent } = payloadOf(npsFlowPayload({ ...answer, comment }, limit));
      expect(payloadBytes({ ...payloadOf(npsFlowPayload(answer)), comment: sent })).toBeLessThanOrEqual(
        limit,
      );
      const kept = sent.replace(/…$/, "");
      expect(comment.startsWith(kept)).toBe(true);
      // Only whole thumbs with their skin tone (no lone half of a surrogate pair, no bare 👍) were kept.
      expect(kept.replaceAll("👍🏽", "").replaceAll('"', "").replaceAll("\n", "")).toBe("");
    }
  });

  it("keeps a comment of the longest allowed answer whole under Flow's limit", () => {
    const comment = "😡".repeat(2000);
    expect(payloadOf(npsFlowPayload({ ...answer, comment })).comment).toBe(comment);
    expect(FLOW_PAYLOAD_LIMIT_BYTES).toBe(50_000);
  });
});
