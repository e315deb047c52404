import { describe, expect, it } from "vitest";
import { categoryForScore } from "~/domain/category";

describe("categories", () => {
  it("file 9 and 10 as promoters, 7 and 8 as passives, 0 to 6 as detractors", () => {
    const byScore = Array.from({ length: 11 }, (_, score) => categoryForScore(score));
    expect(byScore).toEqual([...Array(7).fill("detractor"), "passive", "passive", "promoter", "promoter"]);
  });

  it("refuse scores outside 0–10 or that are not whole numbers", () => {
    for (const score of [-1, 11, 9.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => categoryForScore(score)).toThrow(RangeError);
    }
  });
});
