import { describe, expect, it } from "vitest";
import { fieldErrorsFrom, surveyAnswerSchema } from "~/domain/survey-answer";

function errorsOf(input: unknown) {
  const result = surveyAnswerSchema.safeParse(input);
  if (result.success) throw new Error("expected the answer to be refused");
  return fieldErrorsFrom(result.error);
}

describe("a survey answer", () => {
  it("is accepted with the order's gid normalized to its id and the comment trimmed", () => {
    expect(
      surveyAnswerSchema.parse({
        orderId: "gid://shopify/OrderIdentity/1001",
        score: 9,
        comment: "  fast  ",
        locale: "fr-CA",
      }),
    ).toEqual({ orderId: "1001", score: 9, comment: "fast", locale: "fr-CA" });
  });

  it("treats an empty comment and null optionals as absent", () => {
    expect(
      surveyAnswerSchema.parse({ orderId: "1001", score: 0, comment: "   ", csat: null, ces: null }),
    ).toEqual({
      orderId: "1001",
      score: 0,
      comment: undefined,
      csat: undefined,
      ces: undefined,
    });
  });

  it("names the score field for 11, 9.5, a string and a missing score", () => {
    for (const score of [11, -1, 9.5, "9", undefined]) {
      const errors = errorsOf({ orderId: "1001", score });
      expect(errors).toEqual([{ field: "score", message: expect.stringMatching(/score/) }]);
    }
  });

  it("checks CSAT 1–5 and CES 1–7", () => {
    expect(surveyAnswerSchema.parse({ orderId: "1", score: 5, csat: 5, ces: 7 })).toMatchObject({
      csat: 5,
      ces: 7,
    });
    expect(errorsOf({ orderId: "1", score: 5, csat: 6 })).toEqual([
      { field: "csat", message: expect.any(String) },
    ]);
    expect(errorsOf({ orderId: "1", score: 5, ces: 0 })).toEqual([
      { field: "ces", message: expect.any(String) },
    ]);
  });

  it("counts comment length in characters, emoji included: 2,000 pass, 2,001 do not", () => {
    expect(
      surveyAnswerSchema.parse({ orderId: "1", score: 5, comment: "😀".repeat(2000) }).comment,
    ).toHaveLength(4000);
    expect(errorsOf({ orderId: "1", score: 5, comment: "a".repeat(2001) })).toEqual([
      { field: "comment", message: "comment must be at most 2000 characters" },
    ]);
  });

  it("refuses a malformed order id, an unknown field, a bad locale and a non-object body", () => {
    expect(errorsOf({ orderId: "gid://shopify/Product/1", score: 5 })[0]?.field).toBe("orderId");
    expect(errorsOf({ orderId: "1", score: 5, admin: true })).toEqual([
      { field: "admin", message: "unknown field" },
    ]);
    expect(errorsOf({ orderId: "1", score: 5, locale: "<script>" })[0]?.field).toBe("locale");
    expect(errorsOf([1, 2])).toEqual([{ field: "body", message: "body must be a JSON object" }]);
    expect(errorsOf(null)[0]?.field).toBe("body");
  });
});
